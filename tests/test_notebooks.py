"""Notebook hygiene, and every notebook executed for real with papermill on data/sample."""

import ast
import json
import re

import jupytext
import nbformat
import papermill as pm
import pytest

from partnerlib.config import NOTEBOOKS_DIR
from partnerlib.render.batch import render_manifest

from .conftest import DEMO_REVIEW, SAMPLE, embedded_svg_charts

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {"01-explore.ipynb", "02-review.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_paired_in_sync(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "strip outputs"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    pair = path.with_suffix(".py")
    assert pair.is_file(), f"{path.name} has no jupytext py:percent pair"
    from_ipynb = jupytext.read(path)
    from_py = jupytext.read(pair)

    def strip(nb_):
        return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb_.cells]

    assert strip(from_ipynb) == strip(from_py), f"{path.name} and {pair.name} are out of sync: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_notebook_shape(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        tree = ast.parse(re.sub(r"^[%!].*$", "", cell.source, flags=re.M))
        defs = [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defs, f"{path.name}: notebooks define no functions or classes; move them into partnerlib"
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [1], "the second code cell, and only it, is tagged 'parameters'"
    params = ast.parse(code[1].source).body
    assert params and all(isinstance(s, ast.AnnAssign) for s in params), "parameters are typed: name: type = value"
    lines = [line for line in code[1].source.splitlines() if re.match(r"^\w+\s*:", line)]
    assert all("#" in line for line in lines), "every parameter has a comment"
    names = {s.target.id for s in params}
    for cell in code[2:]:
        for node in ast.walk(ast.parse(re.sub(r"^[%!].*$", "", cell.source, flags=re.M))):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assert node.id not in names, f"parameter {node.id} is reassigned"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_on_sample_data(path, tmp_path):
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), cwd=str(NOTEBOOKS_DIR), kernel_name="python3", progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert shown, "the notebook showed something"


@pytest.mark.slow
def test_demo_review_renders_to_html_without_code_or_personal_data(tmp_path):
    outcome, pulse = render_manifest(
        SAMPLE / "reviews.yml", tmp_path, only=DEMO_REVIEW
    )  # the review, then its pulse check-in
    assert pulse.status == "rendered", pulse.line()
    assert outcome.status == "rendered"
    html = outcome.html.read_text()
    assert outcome.html == tmp_path / "northwind-contoso" / "2026" / "review.html"
    assert (tmp_path / "northwind-contoso" / "2026" / "review.ipynb").is_file()
    assert "Partnership review 2026" in html and "Accountability" in html
    # every chart the notebook drew is embedded as SVG, its text kept as text
    nb = nbformat.read(outcome.html.with_name("review.ipynb"), as_version=4)
    drawn = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/svg+xml" in o.get("data", {})]
    charts = embedded_svg_charts(html)
    assert len(charts) == len(drawn) >= 8 and 'src="data:image/png' not in html
    # each chart image is named by its title, read from the SVG the chart drew
    alts = re.findall(r'<img alt="([^"]*)" src="data:image/svg', html)
    assert len(alts) == len(charts)
    for title in [
        "Strengths and gaps",
        "How people answered",
        "Where the two organisations see it differently",
        "Who took part",
        "KPI scorecard 2026",
    ]:
        drawn_in = [i for i, svg in enumerate(charts) if f">{title}</text>" in svg]
        assert len(drawn_in) == 1 and alts[drawn_in[0]] == f"Chart: {title}", title
    assert "No description has been provided" not in html
    for leaked in [
        "import partnerlib",
        "injected-parameters",
        "read_surveys(",
        "@northwind-health.example",
        "@contoso-logistics.example",
        "203.0.113.",
        "review_name",
        "&lt;Axes",  # a chart cell's return value printed as text
        "&lt;Figure size",
    ]:
        assert leaked not in html, leaked
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    code_input = re.search(r'class="[^"]*\b(jp-InputPrompt|jp-Editor|highlight|jp-CodeMirrorEditor)\b', body)
    assert code_input is None, "a code cell's input was rendered"
    assert "jp-mod-noInput" in body
