"""The demo report as a client sees it: printed on A4 (or Letter) with page numbers, and read on a phone."""

from __future__ import annotations

import base64
import html as html_lib
import re
import shutil
import subprocess

import nbformat
import pytest

from partnerlib.render.batch import render_manifest
from partnerlib.render.convert import MIN_CHART_SCALE, find_chromium, to_html, to_pdf

from .conftest import DEMO_REVIEW, ROOT, SAMPLE

pytestmark = [pytest.mark.slow]
HEADER = "Northwind Health & Contoso Logistics · Partnership review 2026"


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils chromium)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    _need("pdftotext")
    _need("chromium")
    out = tmp_path_factory.mktemp("reports")
    outcome, *_pulse = render_manifest(SAMPLE / "reviews.yml", out, only=DEMO_REVIEW, pdf=True)
    assert outcome.status == "rendered", outcome
    return out / "northwind-contoso" / "2026"


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _headings() -> list[str]:
    source = (ROOT / "notebooks" / "02-review.py").read_text(encoding="utf-8")
    return re.findall(r"^# ## (.+)$", source, flags=re.M)


def test_pdf_is_a4_with_a_header_page_numbers_and_a_cover(demo):
    info = subprocess.run(["pdfinfo", str(demo / "review.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = _pages(demo / "review.pdf")
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] == f"Page {number} of {len(pages)}", lines[-3:]
        if number > 1:  # the cover page carries the same in its cover block
            assert lines[0].startswith(HEADER) and lines[0].endswith("Confidential"), lines[0]
    cover = pages[0]
    assert "CONFIDENTIAL" in cover and "Partnership review 2026" in cover and "Northwind Health & Contoso" in cover
    assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                     r"December) 20\d\d\b", cover)  # fmt: skip


def test_no_heading_ends_a_page(demo):
    headings = _headings()
    assert "Summary" in headings and "Method note" in headings
    for number, page in enumerate(_pages(demo / "review.pdf"), start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()][:-1]  # without "Page n of m"
        assert lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]!r}"


def _word_heights(pdf) -> list[tuple[str, float]]:
    """Each word of three characters or more and the height of its type: the height of its box, or for a word of
    six characters or more its short side (a word set upright, as on a chart's vertical axis, has its box turned;
    a short word such as "all" can be narrower than it is high, so only long words are taken as turned)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    words = [(html_lib.unescape(w), float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1, w in found]
    return [
        (w, min(width, height) if len(w.strip()) >= 6 else height) for w, width, height in words if len(w.strip()) >= 3
    ]


def test_printed_text_is_at_least_seven_points(demo):
    words = _word_heights(demo / "review.pdf")
    # the page numbers are set in 8 pt: their boxes give this font's box height per point of type size
    page_words = [h for w, h in words if w == "Page"]
    per_point = min(page_words) / 8
    smallest = min(words, key=lambda wh: wh[1])
    assert smallest[1] / per_point >= 7 - 0.05, f"{smallest[0]!r} is printed at {smallest[1] / per_point:.1f} pt"


def test_letter_paper_when_asked(demo, tmp_path):
    html = to_html(demo / "review.ipynb", tmp_path / "review.html", title="t", header=HEADER, paper="letter")
    pdf = to_pdf(html, tmp_path / "review.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", info), info


def _svg_text_sizes(src: str) -> tuple[float, list[float]]:
    """The width of an SVG chart in its own units (its viewBox) and the font sizes of its texts, same units."""
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    return width, [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]


@pytest.mark.browser
def test_on_a_phone_no_chart_is_narrower_than_its_text_needs_and_the_page_does_not_scroll_sideways(demo):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find_chromium()), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto((demo / "review.html").as_uri(), wait_until="load")
            charts = page.eval_on_selector_all(
                "img[src^='data:image/svg']",
                "els => els.map(e => [e.alt, e.getBoundingClientRect().width, e.src,"
                " e.parentElement.scrollWidth > e.parentElement.clientWidth,"
                " getComputedStyle(e.parentElement.nextElementSibling).display])",
            )
            page_width = page.evaluate("document.documentElement.scrollWidth")
            tables = page.eval_on_selector_all(
                ".partnerlib-scroll", "els => els.map(e => [e.scrollWidth > e.clientWidth, getComputedStyle(e)"
                ".overflowX, getComputedStyle(e, '::before').content])",
            )  # fmt: skip
            page.goto((demo.parent.parent / "index.html").as_uri(), wait_until="load")
            viewport = page.eval_on_selector("meta[name=viewport]", "e => e.content")
            index_width = page.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()
    assert len(charts) >= 8
    assert page_width <= 390 and index_width <= 390  # only charts and tables scroll, inside their own boxes
    for alt, shown_width, src, scrolls, cue in charts:
        width, sizes = _svg_text_sizes(src)
        smallest = min(sizes) * shown_width / width  # CSS pixels on the phone's screen
        assert smallest >= 9 * MIN_CHART_SCALE * 96 / 72 - 0.1, f"{alt}: its smallest text is {smallest:.1f} px"
        assert smallest >= 8.9, alt
        if scrolls:  # a chart wider than the screen says it scrolls
            assert cue == "block", alt
    assert any(scrolls for *_, scrolls, _ in charts)
    assert all(overflow == "auto" for _, overflow, _ in tables)
    assert any(wide and "Scroll sideways" in before for wide, _, before in tables)  # a wide table says so
    assert viewport == "width=device-width, initial-scale=1"


def test_the_report_has_no_code_no_raw_flags_and_no_internal_names(demo):
    html = (demo / "review.html").read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", html), flags=re.S)
    for raw in ("True", "False", "nan", "NaN", "None", "<NA>", "northwind-contoso", "trust_2", "ci_low"):
        assert not re.search(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text), raw
    nb = nbformat.read(demo / "review.ipynb", as_version=4)
    assert all(o.get("output_type") != "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
