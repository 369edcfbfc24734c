"""A report is the same whatever the shell it is rendered from, and a report that should hold charts holds them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from partnerlib.plots import INLINE_BACKEND
from partnerlib.render.batch import render_manifest, summary
from partnerlib.render.checks import MISSING_CHART_ERROR, cells_without_chart
from partnerlib.render.environment import REMOVED_VARIABLES, kernel_environment
from partnerlib.render.execute import review_kernel_manager
from partnerlib.report import CHART_TAG, NO_CHART_MIME

from .conftest import DEMO_REVIEW, ROOT, SAMPLE, embedded_svg_charts

#: A shell as found on a headless server: charts into nothing, a German locale, a time zone far from UTC.
HOSTILE = {
    "MPLBACKEND": "Agg",
    "LANG": "de_DE.UTF-8",
    "LC_NUMERIC": "de_DE.UTF-8",
    "LC_TIME": "de_DE.UTF-8",
    "LANGUAGE": "de",
    "TZ": "Pacific/Auckland",
    "PYTHONWARNINGS": "error",
}
PROBE = """
import locale, os, time
import matplotlib
locale.setlocale(locale.LC_ALL, "")
print(json.dumps({"backend": matplotlib.get_backend(), "decimal": locale.localeconv()["decimal_point"],
                  "zone": time.strftime("%Z"), "env": {k: os.environ.get(k) for k in NAMES}}))
"""


def test_kernel_environment_sets_and_clears_the_variables_that_change_a_report():
    base = {**HOSTILE, "MATPLOTLIBRC": "/elsewhere/matplotlibrc", "MPLCONFIGDIR": "/elsewhere", "PATH": "/bin",
            "LC_ALL": "de_DE.UTF-8", "PROJECT": "kept"}  # fmt: skip
    env = kernel_environment(base)
    assert env["MPLBACKEND"] == INLINE_BACKEND == "module://matplotlib_inline.backend_inline"
    assert env["LC_ALL"] == env["LANG"] == "C.UTF-8" and env["TZ"] == "UTC"
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONUTF8"] == "1"
    assert not any(k.startswith("LC_") and k != "LC_ALL" for k in env)
    assert not set(REMOVED_VARIABLES) & set(env) and "PYTHONWARNINGS" in REMOVED_VARIABLES
    assert env["MPLCONFIGDIR"] != "/elsewhere" and Path(env["MPLCONFIGDIR"]).is_dir()
    assert not (Path(env["MPLCONFIGDIR"]) / "matplotlibrc").exists()
    assert env["PATH"] == "/bin" and env["PROJECT"] == "kept"  # everything else passed on
    assert base["MPLBACKEND"] == "Agg"  # the caller's mapping is not changed


def _run_in_kernel(manager_class, code: str) -> list[dict]:
    """Start a kernel of ``manager_class``, run ``code`` and return the contents of its output messages."""
    import asyncio

    async def run():
        km = manager_class(kernel_name="python3")
        await km.start_kernel()
        client = km.client()
        client.start_channels()
        outputs: list[dict] = []
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(
                code, timeout=60, output_hook=lambda msg: outputs.append({"type": msg["msg_type"], **msg["content"]})
            )
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)
        return outputs

    return asyncio.run(run())


@pytest.mark.slow
def test_review_kernel_runs_in_the_bundle_environment_whatever_the_callers(monkeypatch):
    for name, value in HOSTILE.items():
        monkeypatch.setenv(name, value)
    names = ["MPLBACKEND", "LANG", "LC_ALL", "LC_NUMERIC", "TZ", "PYTHONWARNINGS"]
    code = f"import json\nNAMES = {names!r}\n" + PROBE
    outputs = _run_in_kernel(review_kernel_manager(ipc=os.name == "posix"), code)
    errors = [o for o in outputs if o["type"] == "error"]
    assert not errors, errors
    printed = json.loads("".join(o.get("text", "") for o in outputs if o["type"] == "stream"))
    assert printed["backend"] == INLINE_BACKEND
    assert printed["decimal"] == "." and printed["zone"] == "UTC"
    assert printed["env"] == {"MPLBACKEND": INLINE_BACKEND, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                              "LC_NUMERIC": None, "TZ": "UTC", "PYTHONWARNINGS": None}  # fmt: skip


@pytest.mark.slow
def test_setup_draws_charts_in_a_kernel_started_with_agg():
    """JupyterLab started from a shell with MPLBACKEND=Agg: report.setup() still makes each chart an output."""
    from jupyter_client import AsyncKernelManager

    class AggKernel(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = {**os.environ, "MPLBACKEND": "Agg"}
            return await super()._async_pre_start_kernel(**kw)

    code = (
        "import matplotlib; before = matplotlib.get_backend()\n"
        "from partnerlib import report; report.setup()\n"
        "import matplotlib.pyplot as plt; plt.plot([1, 2]); plt.show()\nprint(before)"
    )
    outputs = _run_in_kernel(AggKernel, code)
    assert "agg" in "".join(o.get("text", "") for o in outputs if o["type"] == "stream").lower()
    figures = [o for o in outputs if o["type"] == "display_data" and "image/svg+xml" in o["data"]]
    assert len(figures) == 1 and "<dc:date>" not in figures[0]["data"]["image/svg+xml"]


def _chart_cell(source, *outputs):
    cell = new_code_cell(source, metadata={"tags": [CHART_TAG]}, execution_count=7)
    cell.outputs = list(outputs)
    return cell


def test_chart_cells_that_show_neither_a_figure_nor_a_no_chart_record_are_found():
    drawn = _chart_cell("a()", new_output("display_data", data={"image/svg+xml": "<svg/>", "text/plain": "F"}))
    none_by_design = _chart_cell("b()", new_output("display_data", data={NO_CHART_MIME: {"plot": "kpi_bars"}}))
    text_only = _chart_cell("c()", new_output("execute_result", data={"text/plain": "<Axes: >"}, execution_count=7))
    nothing = _chart_cell("d()")
    untagged = new_code_cell("e()")
    nb = new_notebook(cells=[drawn, none_by_design, text_only, nothing, untagged])
    assert [c.source for c in cells_without_chart(nb)] == ["c()", "d()"]


def _review_notebook_with(tmp_path: Path, cell_index: int, source: str) -> Path:
    nb = nbformat.read(ROOT / "notebooks" / "02-review.ipynb", as_version=4)
    charts = [c for c in nb.cells if CHART_TAG in c.metadata.get("tags", [])]
    charts[cell_index].source = source
    path = tmp_path / "02-review.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_review_whose_chart_cell_draws_nothing_fails_naming_the_cell(tmp_path):
    notebook = _review_notebook_with(tmp_path, 1, "shown = review.scores  # the chart call was deleted")
    outcome, _pulse = render_manifest(SAMPLE / "reviews.yml", tmp_path / "reports", only=DEMO_REVIEW, notebook=notebook)
    assert outcome.status == "failed"
    assert re.fullmatch(r"In \[\d+\] `shown = review.scores  # the chart call was deleted`", outcome.cell)
    assert outcome.error == MISSING_CHART_ERROR and "shows no figure" in outcome.error
    assert summary([outcome]).splitlines()[1] == f"FAILED northwind-contoso 2026: cell {outcome.cell}: {outcome.error}"
    folder = tmp_path / "reports" / "northwind-contoso" / "2026"
    assert sorted(p.name for p in folder.iterdir()) == ["failed.json", "review.failed.ipynb"]  # no report written


def _render_from_shell(out: Path, env: dict) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "partnerlib",
            "render",
            "--manifest",
            str(SAMPLE / "reviews.yml"),
            "--out",
            str(out),
            "--only",
            DEMO_REVIEW,
        ],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out / "northwind-contoso" / "2026" / "review.html"


def _without_dates(html: str) -> str:
    """The page with its dates (``1 December 2026``, ``1 December 2026, 22:24``) blanked."""
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    return re.sub(rf"\b\d{{1,2}} ({months}) \d{{4}}(, \d{{2}}:\d{{2}})?", "<date>", html)


@pytest.mark.slow
def test_same_html_with_every_chart_from_a_bare_shell_and_a_hostile_one(tmp_path):
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"} or k.startswith("COVERAGE")}
    bare = _render_from_shell(tmp_path / "bare", keep).read_text("utf-8")
    hostile = _render_from_shell(tmp_path / "hostile", {**keep, **HOSTILE}).read_text("utf-8")
    nb = nbformat.read(tmp_path / "hostile" / "northwind-contoso" / "2026" / "review.ipynb", as_version=4)
    chart_cells = [c for c in nb.cells if CHART_TAG in c.metadata.get("tags", [])]
    source = jupytext.read(ROOT / "notebooks" / "02-review.py")
    assert len(chart_cells) == sum(CHART_TAG in c.metadata.get("tags", []) for c in source.cells) >= 11
    assert not cells_without_chart(nb)
    drawn = [c for c in chart_cells if any("image/svg+xml" in o.get("data", {}) for o in c.outputs)]
    # the demo has data for every chart (key drivers and norms too)
    assert len(embedded_svg_charts(hostile)) == len(drawn) == len(chart_cells)
    assert _without_dates(hostile) == _without_dates(bare)  # the same but for the cover's date
    index = [(tmp_path / f / "index.html").read_text("utf-8") for f in ("bare", "hostile")]
    assert _without_dates(index[0]) == _without_dates(index[1])
