"""partnerlib's packages import their exports on first use (``lazy_loader`` with ``__init__.pyi`` stubs).

``import partnerlib`` and the render command load only what they touch, each exported name still resolves to
the object its stub names, and the kernel template still imports everything a review uses before it forks.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAZY_PACKAGES = ["partnerlib", "partnerlib.report", "partnerlib.io", "partnerlib.analysis", "partnerlib.plots"]
HEAVY = ["matplotlib", "seaborn", "scipy", "statsmodels", "pandera", "IPython", "pandas"]


def _loaded_after(statement: str, modules=HEAVY) -> list[str]:
    """The ``modules`` loaded by a fresh interpreter after running ``statement``."""
    code = f"import json, sys\n{statement}\nprint(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_partnerlib_loads_none_of_the_heavy_libraries():
    assert _loaded_after("import partnerlib") == []


def test_the_render_command_loads_no_chart_or_statistics_library():
    # The command (and each worker) needs pandas for the portfolio page, never matplotlib, scipy or IPython.
    assert _loaded_after("import partnerlib.render.batch, partnerlib.cli") == ["pandas"]


def test_the_render_machinery_keeps_the_rfc3987_grammar_out_and_nbformat_still_validates():
    code = (
        "import sys, partnerlib.render, nbformat, jsonschema\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() in {"None", "absent"}


def _stub_exports(package: str) -> dict[str, str]:
    """``{name: submodule}`` of every name a package's ``__init__.pyi`` imports (``""`` for a submodule)."""
    module = importlib.import_module(package)
    stub = Path(module.__file__).with_suffix(".pyi")
    out = {}
    for node in ast.parse(stub.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                out[alias.asname or alias.name] = node.module or ""
    return out


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_exported_name_is_the_object_its_stub_names(package):
    module = importlib.import_module(package)
    exports = _stub_exports(package)
    assert set(exports) <= set(module.__all__) and set(exports) <= set(dir(module))
    for name, where in exports.items():
        value = getattr(module, name)
        if where:
            assert value is getattr(importlib.import_module(f"{package}.{where}"), name), name
        else:
            assert value is importlib.import_module(f"{package}.{name}"), name


def test_report_headlines_is_the_function_even_once_the_marks_module_is_loaded():
    # The module of the notebook's marks was once called ``headlines``: loading it made ``report.headlines``
    # the module instead of the function the notebook calls.
    import partnerlib.report.marks  # noqa: F401
    from partnerlib import report

    assert callable(report.headlines) and report.headlines.__module__ == "partnerlib.report.review"


def test_the_kernel_template_preloads_every_export_of_partnerlib():
    code = (
        "import json, sys\n"
        "from partnerlib.render.fork import _preload\n"
        "_preload()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    for package in LAZY_PACKAGES:
        for name, where in _stub_exports(package).items():
            assert f"{package}.{where or name}" in loaded, f"{package}.{where or name}"
    assert "matplotlib_inline.backend_inline" not in loaded  # imported in the kernel, after the fork
