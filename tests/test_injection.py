"""Client text is shown literally: links, markup, formulas and formulas for TeX in every field, checked in Chromium.

The demo review is rendered with a payload in every field a client or a respondent writes: the client's name, both
organisations, a role, a principle, a statement, a KPI, an objective, an action and its owner, and a comment. The
report and the index are then opened in headless Chromium, which is where a payload would come alive.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import openpyxl
import pytest
import yaml

from partnerlib.render.batch import render_manifest
from partnerlib.render.progress import ProgressBoard

from .conftest import SAMPLE

LINK = "[see details](javascript:alert(1))"
SCRIPT = "<script>alert(2)</script>"
FORMULA = '=HYPERLINK("http://evil.example/","click")'
TEX = "$5 vs $10"
BOLD = "**urgent**"
IMAGE = "<img src=x onerror=alert(3)>"

#: Each field and the text it is given (the org and role names keep a word of their own, so they stay distinct).
FIELDS = {
    "client": f"Acme {LINK} {SCRIPT}",
    "Northwind Health": f"Northwind {BOLD} {SCRIPT}",
    "Contoso Logistics": f"Contoso {LINK}",
    "Executive": f"Exec {FORMULA}",
    "Trust": f"Trust {TEX} {IMAGE}",
    "statement": f"We rely on each other {BOLD} {LINK} {TEX}.",
    "Patient complaints about supply delays": f"Complaints {LINK} {SCRIPT}",
    "Fewer patient complaints about supplies": f"Fewer complaints {FORMULA} {BOLD}",
    "action": f"Name an owner {LINK} {IMAGE}",
    "owner": f"Steering {SCRIPT} {TEX}",
    "comment": f"Please fix {LINK} {SCRIPT} {FORMULA} {TEX} {BOLD}",
}
NAMES = ("Northwind Health", "Contoso Logistics")  # replaced wherever they appear (headers such as "importance (…)")
#: Replaced where a cell is exactly this.
EXACT = ("Executive", "Trust", "Patient complaints about supply delays", "Fewer patient complaints about supplies")


def _edit_cell(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, FIELDS[name])
    return FIELDS[text] if text in EXACT else text


def _rewrite_csv(path: Path, edit_rows=None) -> None:
    raw = path.read_text(encoding="utf-8-sig")
    rows = [[_edit_cell(c) for c in row] for row in csv.reader(raw.splitlines())]
    if edit_rows:
        edit_rows(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _comment(rows) -> None:
    col = rows[0].index("Q20")
    for row in rows[3:]:
        if row[col].strip():
            row[col] = FIELDS["comment"]  # every comment: the report shows some of them whatever it chooses


def _action(rows) -> None:
    header = rows[0]
    rows[1][header.index("action")] = FIELDS["action"]
    rows[1][header.index("owner")] = FIELDS["owner"]


def _hostile_review(folder: Path) -> Path:
    shutil.copytree(SAMPLE, folder)
    for export in folder.glob("survey_*.csv"):
        _rewrite_csv(export, _comment if export.name == "survey_2026.csv" else None)
    for name in ("roster.csv", "objectives.csv"):
        _rewrite_csv(folder / name)
    _rewrite_csv(folder / "actions.csv", _action)
    wb = openpyxl.load_workbook(folder / "kpis.xlsx")
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _edit_cell(cell.value)
    wb.save(folder / "kpis.xlsx")
    codebook = yaml.safe_load((folder / "codebook.yml").read_text(encoding="utf-8"))
    principles = codebook["principles"]
    codebook["principles"] = {FIELDS.get(k, k) if k in EXACT else k: v for k, v in principles.items()}
    codebook["principles"][FIELDS["Trust"]][0]["text"] = FIELDS["statement"]
    codebook["keywords"] = {FIELDS.get(k, k) if k in EXACT else k: v for k, v in codebook["keywords"].items()}
    (folder / "codebook.yml").write_text(yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), "utf-8")
    manifest = yaml.safe_load((folder / "reviews.yml").read_text(encoding="utf-8"))
    manifest["reviews"] = manifest["reviews"][:1]  # the demo partnership, not the generated portfolio
    manifest["reviews"][0]["client"] = FIELDS["client"]
    manifest["reviews"][0].pop("pulse")  # the review's own report is under test here
    (folder / "reviews.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), "utf-8")
    return folder / "reviews.yml"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    manifest = _hostile_review(root / "data")
    out = root / "reports"
    (outcome,) = render_manifest(manifest, out, jobs=1, board=ProgressBoard({}, enabled=False, total=1))
    assert outcome.status == "rendered", outcome.line()
    return out


#: Every href and src of the page, whether any dialog opened, the page's text, and its elements made from markup.
INSPECT = """() => {
  const urls = [...document.querySelectorAll('[href], [src]')]
      .map(e => e.getAttribute('href') || e.getAttribute('src'));
  return {
    urls,
    text: document.body.innerText,
    strong: [...document.querySelectorAll('strong, b, em')].map(e => e.textContent),
    injected: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert')).length
        + [...document.querySelectorAll('img[onerror]')].length,
  };
}"""


def _chart_text(page_path: Path) -> str:
    """The text drawn in the page's charts (SVG images, parsed as XML: a payload that broke the XML would fail)."""
    texts = []
    for b64 in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page_path.read_text("utf-8")):
        root = ElementTree.fromstring(base64.b64decode(b64))
        texts += ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    return " ".join(" ".join(texts).split())  # a name wrapped over lines is read as one


def _open(page_path: Path) -> dict:
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed")
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # an onerror handler fires after load
        found = page.evaluate(INSPECT)
        browser.close()
    found["dialogs"] = dialogs
    found["svg"] = _chart_text(page_path)
    return found


def _safe_url(url: str) -> bool:
    """A link or source that can run nothing: relative, http(s), mailto, or an embedded image."""
    url = "".join(url.split()).lower()  # browsers ignore white space and case in a scheme
    return urlsplit(url).scheme in ("", "http", "https", "mailto") or url.startswith("data:image/")


def _assert_inert(found: dict) -> None:
    assert found["dialogs"] == []
    assert found["injected"] == 0
    bad = [u for u in found["urls"] if not _safe_url(u)]
    assert bad == [], bad
    assert not any("urgent" in s for s in found["strong"])  # "**urgent**" is never bold


@pytest.mark.slow
def test_report_shows_every_fields_text_literally_in_chromium(hostile):
    found = _open(hostile / "northwind-contoso" / "2026" / "review.html")
    _assert_inert(found)
    text = found["text"]
    for field in ("client", "Northwind Health", "Contoso Logistics", "comment"):
        assert FIELDS[field] in text, field
    # the other fields appear in tables or charts, shortened where a chart must (to 32 characters at least)
    shown = " ".join(text.split()) + " " + found["svg"]
    for field in ("Trust", "statement", "Patient complaints about supply delays", "action", "owner", "Executive",
                  "Fewer patient complaints about supplies"):  # fmt: skip
        assert FIELDS[field][:20] in shown, field
    assert TEX in text  # never typeset
    assert FORMULA in text  # shown as text, never a link


@pytest.mark.slow
def test_index_shows_the_client_literally_in_chromium(hostile):
    found = _open(hostile / "index.html")
    _assert_inert(found)
    assert FIELDS["client"] in found["text"]


def test_report_ranks_against_other_clients_without_naming_one(hostile):
    from partnerlib.io.norms import read_norm_records

    html = (hostile / "northwind-contoso" / "2026" / "review.html").read_text("utf-8")
    assert "Compared with other partnerships" in html and "partnerships." in html
    others = read_norm_records(SAMPLE / "norms.csv")
    for name in {*others["client"], *others["review"]}:
        assert name not in html


class _Markup(HTMLParser):
    """Every live thing a piece of widget HTML would make: scripts, handlers, links and their schemes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "action") and not _safe_url(value or "")):
                self.found.append(f"{tag} {name}={value}")


def _widget_html(widget) -> list[str]:
    import ipywidgets

    found = []
    if isinstance(widget, ipywidgets.HTML):
        found.append(widget.value)
    for child in getattr(widget, "children", ()):
        found += _widget_html(child)
    return found


def test_workshop_shows_every_fields_text_literally(tmp_path):
    """The workshop on the same hostile review: every view, a vote by a hostile name and a hostile action."""
    import partnerlib as pl
    from partnerlib.workshop import Workshop
    from partnerlib.workshop.views import VIEWS

    folder = tmp_path / "data"
    _hostile_review(folder)
    survey = pl.read_surveys({p: folder / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}, folder / "codebook.yml")
    app = Workshop(survey, period="2026", actions=folder / "actions.csv", title=FIELDS["client"], watch=None)
    pages = []
    for view in VIEWS:
        app.view.value = view
        for value in app.filters["partner"].options:
            app.filters["partner"].value = value
            pages += _widget_html(app.widget)
    app.participant.value = FIELDS["comment"]
    principle = next(iter(app.allocation))
    app.allocation[principle].value = 1
    app.cast_dots()
    for name, value in {"principle": FIELDS["Trust"], "action": FIELDS["action"], "owner": FIELDS["owner"],
                        "due": (dt.date.today() + dt.timedelta(days=300)).isoformat()}.items():  # fmt: skip
        app.action_fields[name].value = value
    app.submit.click()
    pages += _widget_html(app.widget)
    parser = _Markup()
    for html in pages:
        parser.feed(html)
    assert parser.found == []
    shown = "\n".join(pages)
    assert "<strong>urgent</strong>" not in shown and "&lt;script&gt;alert(2)&lt;/script&gt;" in shown
    assert "Saved action" in app.act_feedback.value, app.act_feedback.value
    assert FIELDS["action"] in pl.read_actions(folder / "actions.csv")["action"].tolist()
