"""The batch runner: parallel renders, failure isolation, skipping unchanged reviews, the index, PDF and Dask.

Notebook executions are slow (about 10 s each here), so one module-scoped run of a three-review manifest
(two copies of the demo, one with a broken export) is shared by most assertions.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from partnerlib import ManifestError, RenderError
from partnerlib.cli import main
from partnerlib.render.batch import render_manifest, summary
from partnerlib.render.cache import changes, fingerprint
from partnerlib.render.convert import find_chromium, to_pdf
from partnerlib.render.manifest import load_manifest
from partnerlib.render.progress import ProgressBoard

from .conftest import DEMO_REVIEW, SAMPLE, embedded_svg_charts

SCRIPT = "<script>alert(1)</script>"


def _rewrite_export(src: Path, dest: Path, edit) -> None:
    """Copy a Qualtrics CSV, letting ``edit(header, rows)`` change the data rows in place."""
    raw = src.read_bytes()
    newline = "\r\n" if b"\r\n" in raw else "\n"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    edit(rows[0], rows[3:])
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator=newline).writerows(rows)


def _comment_script(header, rows):
    col = header.index("Q20")
    row = next(r for r in rows if r[col].strip())  # a kept respondent's comment (both organisations have 10+)
    row[col] = SCRIPT


def _bad_label(header, rows):
    rows[2][header.index("Q3_1")] = "Aagree"  # data row 3 = file row 6


def write_portfolio(folder: Path) -> Path:
    """Three copies of the demo review: alpha (with a <script> comment), beta, and broken (a bad label)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("codebook.yml", "roster.csv", "survey_2024.csv", "survey_2025.csv", "survey_2026.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    _rewrite_export(SAMPLE / "survey_2026.csv", folder / "alpha_2026.csv", _comment_script)
    _rewrite_export(SAMPLE / "survey_2026.csv", folder / "broken_2026.csv", _bad_label)
    entry = (
        "  - name: {name}\n    client: {client}\n    period: '2026'\n    surveys: {{'2024': survey_2024.csv, "
        "'2025': survey_2025.csv, '2026': {export}}}\n    codebook: codebook.yml\n    roster: roster.csv\n"
    )
    manifest = folder / "reviews.yml"
    manifest.write_text(
        "reviews:\n"
        + entry.format(name="alpha", client="Alpha & Co", export="alpha_2026.csv")
        + entry.format(name="beta", client="Beta Ltd", export="survey_2026.csv")
        + entry.format(name="broken", client="Broken plc", export="broken_2026.csv")
    )
    return manifest


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    """The three-review manifest rendered once with two jobs; later runs are recorded as they happen."""
    root = tmp_path_factory.mktemp("portfolio")
    manifest = write_portfolio(root / "data")
    out = root / "reports"
    board = ProgressBoard({}, enabled=False, total=3)
    first = render_manifest(manifest, out, jobs=2, board=board)
    stamps = {name: (out / name / "2026" / "review.html").stat().st_mtime_ns for name in ("alpha", "beta")}
    return {"manifest": manifest, "out": out, "first": first, "board": board, "stamps": stamps}


def _by_name(outcomes):
    return {o.review: o for o in outcomes}


@pytest.mark.slow
def test_two_reports_rendered_and_the_broken_review_reported(portfolio):
    out, first = portfolio["out"], _by_name(portfolio["first"])
    assert [o.review for o in portfolio["first"]] == ["alpha", "beta", "broken"]
    assert first["alpha"].status == first["beta"].status == "rendered"
    for name in ("alpha", "beta"):
        folder = out / name / "2026"
        assert sorted(p.name for p in folder.iterdir()) == ["render.json", "review.html", "review.ipynb"]
    broken = first["broken"]
    assert broken.status == "failed"
    assert re.fullmatch(
        r"In \[\d+\] `review = report.analyse_review\(surveys=surveys, codebook=codebook, .*`", broken.cell
    )
    assert broken.error.startswith("PartnerDataError: file ")
    assert "broken_2026.csv" in broken.error and "column 'Q3_1', value 'Aagree'" in broken.error
    folder = out / "broken" / "2026"
    assert sorted(p.name for p in folder.iterdir()) == ["failed.json", "review.failed.ipynb"]
    partial = nbformat.read(folder / "review.failed.ipynb", as_version=4)
    errors = [o for c in partial.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 1 and "Aagree" in errors[0].evalue
    failure = json.loads((folder / "failed.json").read_text())
    assert failure["error"] == broken.error and failure["cell"] == broken.cell
    lines = summary(portfolio["first"]).splitlines()
    assert lines[0] == "2 rendered, 0 skipped, 1 failed"
    assert lines[1] == f"FAILED broken 2026: cell {broken.cell}: {broken.error}"


@pytest.mark.slow
def test_progress_bars_counted_every_cell_of_each_review(portfolio):
    out, board = portfolio["out"], portfolio["board"]
    for name in ("alpha", "beta"):
        cells = len(nbformat.read(out / name / "2026" / "review.ipynb", as_version=4).cells)
        assert board.cells[f"{name}/2026"] == (cells, cells)
    done, total = board.cells["broken/2026"]
    assert done < total  # stopped at the failing cell
    assert sorted(board.finished) == ["alpha/2026", "beta/2026", "broken/2026"]


@pytest.mark.slow
def test_report_html_has_no_code_parameters_or_personal_data(portfolio):
    html = (portfolio["out"] / "alpha" / "2026" / "review.html").read_text()
    assert "Partnership review 2026" in html and "Alpha &amp; Co" in html
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    assert re.search(r'class="[^"]*\b(jp-InputPrompt|jp-Editor|highlight|jp-CodeMirrorEditor)\b', body) is None
    assert "jp-mod-noInput" in body
    for leaked in ("injected-parameters", "import partnerlib", "review_name", "survey_2024.csv", "codebook.yml"):
        assert leaked not in html, leaked
    rows = list(csv.DictReader(io.StringIO((portfolio["manifest"].parent / "alpha_2026.csv").read_text())))[2:]
    emails = {r["RecipientEmail"] for r in rows if r["RecipientEmail"]}
    ips = {r["IPAddress"] for r in rows if r["IPAddress"]}
    assert len(emails) > 50 and len(ips) > 50
    assert not [e for e in emails if e in html] and not [ip for ip in ips if ip in html]
    assert re.search(r"[\w.+-]+@[\w-]+\.(example|org|com)\b", body) is None
    assert SCRIPT not in html and "alert(1)</script>" not in html


@pytest.mark.slow
def test_comment_with_script_is_shown_escaped_under_what_people_said(portfolio):
    html = (portfolio["out"] / "alpha" / "2026" / "review.html").read_text()
    assert "What people said" in html
    after = html.split("What people said", 1)[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in after
    assert SCRIPT not in html


@pytest.mark.slow
def test_index_lists_every_review_with_links_and_the_failure(portfolio):
    index = (portfolio["out"] / "index.html").read_text()
    rows = re.findall(r"<tr><td>(.*?)</tr>", index, flags=re.S)
    assert [r.split("</td>")[0] for r in rows] == ["alpha", "beta", "broken"]  # sorted by client
    assert '<a href="alpha/2026/review.html">html</a>' in rows[0]
    assert '<a href="alpha/2026/review.ipynb">ipynb</a>' in rows[0]
    assert "Alpha &amp; Co" in rows[0] and "last run failed" not in rows[0]
    assert "last run failed" in rows[2] and "Aagree" in rows[2]
    assert '<a href="broken/2026/review.failed.ipynb">partial notebook</a>' in rows[2]
    assert "review.html" not in rows[2]


@pytest.mark.slow
def test_second_run_skips_unchanged_reviews_and_exits_non_zero(portfolio):
    out = portfolio["out"]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        rc = main(
            ["render", "--manifest", str(portfolio["manifest"]), "--out", str(out), "--jobs", "1", "--no-progress"]
        )
    text = stdout.getvalue()
    assert rc == 1
    since = r"\d+ \w+ 20\d\d, \d\d:\d\d"  # a date people read: "1 December 2026, 22:24"
    assert re.search(rf"^alpha 2026: skipped \(unchanged since {since}; --force re-renders\)", text, flags=re.M)
    assert re.search(r"^beta 2026: skipped ", text, flags=re.M)
    assert re.search(r"^broken 2026: failed in cell .*Aagree", text, flags=re.M)  # a failed review is retried
    assert "0 rendered, 2 skipped, 1 failed" in text and "FAILED broken 2026: cell " in text
    for name, stamp in portfolio["stamps"].items():
        assert (out / name / "2026" / "review.html").stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_force_re_renders(portfolio):
    out = portfolio["out"]
    before = json.loads((out / "beta" / "2026" / "render.json").read_text())
    (outcome,) = render_manifest(portfolio["manifest"], out, only="beta", force=True)
    assert outcome.status == "rendered"
    after = json.loads((out / "beta" / "2026" / "render.json").read_text())
    assert (out / "beta" / "2026" / "review.html").stat().st_mtime_ns != portfolio["stamps"]["beta"]
    assert after["fingerprint"] == before["fingerprint"] and after["seconds"] > 0


@pytest.mark.slow
def test_pdf_printed_with_chromium(portfolio, tmp_path):
    pytest.importorskip("playwright")  # the test extra; chromium itself is checked below
    try:
        find_chromium()
    except RenderError:
        pytest.skip("chromium is not installed")
    pdf = to_pdf(portfolio["out"] / "alpha" / "2026" / "review.html", tmp_path / "review.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["review.pdf"]  # nothing left behind


@pytest.mark.slow
@pytest.mark.browser
def test_report_loads_nothing_from_the_internet_and_fits_a_narrow_page_in_chromium(portfolio):
    """The page asks for no resource beyond its own file (no CDN scripts: offline it reads as online, and no third
    party learns it was opened).  On a 700-pixel-wide page the wide charts are scaled down, not cut off at its
    edge; printed (paper cannot scroll), every table fits the page too."""
    playwright = pytest.importorskip("playwright.sync_api")
    try:
        chromium = find_chromium()
    except RenderError:
        pytest.skip("chromium is not installed")
    report = portfolio["out"] / "alpha" / "2026" / "review.html"
    right_edges = "els => els.map(e => [e.alt || e.tagName, e.getBoundingClientRect().right, e.width, e.naturalWidth])"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 700, "height": 900})
            requested = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(report.as_uri(), wait_until="load", timeout=60_000)
            images = page.eval_on_selector_all("img[src^='data:image/svg']", right_edges)
            page.emulate_media(media="print")
            printed = page.eval_on_selector_all("img[src^='data:image/svg'], table", right_edges)
            width = page.evaluate("document.documentElement.clientWidth")
        finally:
            browser.close()
    assert [url for url in requested if not url.startswith("data:")] == [report.as_uri()]
    assert "<script" not in report.read_text()
    assert len(images) == report.read_text().count('src="data:image/svg') >= 5
    assert sum(name == "TABLE" for name, *_ in printed) >= 2
    for what, found in [("on screen", images), ("printed", printed)]:
        too_wide = [(name, round(right)) for name, right, *_ in found if right > width + 1]
        assert not too_wide, f"{what}: beyond the {width}px page: {too_wide}"
    assert any(natural > shown for _, _, shown, natural in images)  # some chart is wider than the page: scaled


def test_missing_chromium_is_one_clear_error_before_any_kernel(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium here
    with pytest.raises(RenderError, match=r"--pdf needs the 'chromium' browser.*apt-get install chromium"):
        find_chromium()
    rc = main(
        ["render", "--manifest", str(SAMPLE / "reviews.yml"), "--out", str(tmp_path / "out"), "--pdf", "--no-progress"]
    )
    assert rc == 2
    assert "partnerlib: --pdf needs the 'chromium' browser" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_fingerprint_changes_with_input_contents_parameters_and_notebook(tmp_path):
    manifest = write_portfolio(tmp_path)
    review = load_manifest(manifest)[1]
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text("{}")
    fp = fingerprint(review, notebook)
    assert (
        fp["inputs"][str(tmp_path / "roster.csv")]
        == __import__("hashlib").sha256((tmp_path / "roster.csv").read_bytes()).hexdigest()
    )
    assert changes(fp, fingerprint(review, notebook)) == []
    assert changes(None, fp) == ["never rendered"]
    (tmp_path / "roster.csv").write_text((tmp_path / "roster.csv").read_text().replace(",8", ",9"))
    notebook.write_text('{"x": 1}')
    changed = load_manifest(manifest)[1]
    object.__setattr__(changed, "parameters", {"min_n": 7})
    assert changes(fp, fingerprint(changed, notebook)) == [
        "notebook changed",
        "inputs changed: roster.csv",
        "parameters changed",
    ]


def test_manifest_or_parameter_problems_stop_the_run_before_any_kernel(tmp_path):
    manifest = write_portfolio(tmp_path / "data")
    text = manifest.read_text().replace(
        "    roster: roster.csv\n", "    roster: roster.csv\n    parameters: {min_n: five, colour: red}\n", 1
    )
    manifest.write_text(text)
    with pytest.raises(ManifestError) as err:
        render_manifest(manifest, tmp_path / "out")
    lines = str(err.value).splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("review 'alpha': parameter 'min_n' must be int (notebook default 5), got 'five'")
    assert "review 'alpha': unknown parameter 'colour'; notebook '02-review.ipynb' declares [" in lines[1]
    assert not (tmp_path / "out").exists()
    expected = r"--only gamma: no review of that name; the manifest lists \['alpha', 'beta', 'broken'\]"
    with pytest.raises(ManifestError, match=expected):
        render_manifest(manifest, tmp_path / "out", only="gamma")


@pytest.mark.slow
def test_dask_scheduler_renders_the_demo(tmp_path):
    distributed = pytest.importorskip("distributed")
    board = ProgressBoard({}, enabled=False, total=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        outcome, pulse = render_manifest(
            SAMPLE / "reviews.yml", tmp_path, only=DEMO_REVIEW, scheduler=cluster.scheduler_address, board=board
        )
    assert pulse.status == "rendered", pulse.error
    assert outcome.status == "rendered", outcome.error
    cells = len(nbformat.read(tmp_path / "northwind-contoso" / "2026" / "review.ipynb", as_version=4).cells)
    assert board.cells["northwind-contoso/2026"] == (cells, cells)  # progress came back through a Dask queue
    html = (tmp_path / "northwind-contoso" / "2026" / "review.html").read_text()
    assert "Partnership review 2026" in html and "Accountability" in html
    assert any("Strengths and gaps" in svg for svg in embedded_svg_charts(html))
    assert (tmp_path / "index.html").is_file() and (tmp_path / "northwind-contoso" / "2026" / "render.json").is_file()


def test_kernel_start_lock_excludes_other_processes(tmp_path):
    from partnerlib.render.execute import kernel_start_lock

    lock = tmp_path / "k.lock"
    probe = (
        "import fcntl, sys; fh = open(sys.argv[1], 'a')\n"
        "try:\n    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB); print('free')\n"
        "except BlockingIOError:\n    print('held')\n"
    )

    def run():
        return subprocess.run([sys.executable, "-c", probe, str(lock)], capture_output=True, text=True).stdout

    with kernel_start_lock(lock) as release:
        assert run().strip() == "held"
        release()
        assert run().strip() == "free"
    assert run().strip() == "free"


def test_store_prints_the_pdf_and_a_failed_print_fails_only_that_review(tmp_path, monkeypatch):
    from partnerlib.render.jobs import JobResult
    from partnerlib.render.store import store_result as _store

    manifest = write_portfolio(tmp_path / "data")
    review = load_manifest(manifest)[0]
    nb = nbformat.writes(nbformat.v4.new_notebook()).encode()
    ok = JobResult(
        "alpha/2026",
        True,
        notebook=nb,
        html="<html><body><h1>Review</h1></body></html>",
        headlines={"respondents": 70},
        seconds=1.5,
    )
    fp = {"notebook": "n", "inputs": {}, "parameters": "p", "partnerlib": "0"}
    folder = tmp_path / "out" / "alpha" / "2026"
    try:
        find_chromium()
        outcome = _store(review, fp, ok, tmp_path / "out", pdf=True, notebook=Path("nb.ipynb"))
        assert outcome.status == "rendered"
        assert (folder / "review.pdf").read_bytes().startswith(b"%PDF-")
        record = json.loads((folder / "render.json").read_text())
        assert record["headlines"] == {"respondents": 70} and record["fingerprint"] == fp
        (folder / "render.json").unlink()
        (folder / "review.pdf").unlink()
    except RenderError:
        pass  # no chromium here: only the failure half below
    monkeypatch.setenv("PATH", str(tmp_path))
    outcome = _store(review, fp, ok, tmp_path / "out", pdf=True, notebook=Path("nb.ipynb"))
    assert outcome.status == "failed" and outcome.error.startswith("RenderError: --pdf needs the 'chromium' browser")
    assert sorted(p.name for p in folder.iterdir()) == ["failed.json", "review.html", "review.ipynb"]
