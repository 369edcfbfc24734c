"""The shape of the code: short functions, and imports that point down the flow only.

The package is layered in the order a review flows (README, "Layout"): the
rules every step reads, then files in (``io``), numbers made (``analysis``),
charts drawn (``plots``), the review composed (``report``), reports rendered
(``render``), the workshop, and the command line on top.  A module imports
only from its own layer or the layers below; the analysis, pure by design,
imports nothing from ``io``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "partnerlib"
#: Most lines of code a function may have (its docstring, comments and blank lines not counted).
MAX_FUNCTION_LINES = 60
LAYERS = {
    "config": 0,
    "settings": 0,
    "vocabulary": 0,
    "exceptions": 0,
    "schemas": 0,
    "io": 1,
    "analysis": 2,
    "plots": 3,
    "report": 4,
    "render": 5,
    "workshop": 6,
    "demo": 7,
    "cli": 7,
    "__main__": 7,
    "__init__": 8,
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _code_lines(node: ast.AST, source: list[str]) -> int:
    """Lines of a function that hold code: not blank, not comments, not its docstring."""
    body = node.body
    start = body[0].lineno
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        start = first.end_lineno + 1
    lines = source[start - 1 : node.end_lineno]
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_longer_than_sixty_lines_of_code(path):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    long = {f.name: n for f in _functions(ast.parse(source)) if (n := _code_lines(f, lines)) > MAX_FUNCTION_LINES}
    assert not long, f"{path.name}: functions over {MAX_FUNCTION_LINES} lines of code: {long}"


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = list(here[:-1])[: len(here) - node.level]
                target = base + (node.module.split(".") if node.module else [])
                if not target:  # "from .. import x" at the top: the names are modules of the package
                    target = [alias.name for alias in node.names][:1]
            elif node.module and node.module.startswith("partnerlib."):
                target = node.module.split(".")[1:]
            else:
                continue
            found.add(target[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("partnerlib.")}
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_flow(path):
    layer = _layer(path)
    upward = {t for t in _imported_layers(path) if t in LAYERS and LAYERS[t] > LAYERS[layer]}
    assert not upward, f"{path.relative_to(PACKAGE)} ({layer}) imports from layers above it: {sorted(upward)}"
    if layer == "analysis":
        assert "io" not in _imported_layers(path), "the analysis is pure: it imports nothing from io"
