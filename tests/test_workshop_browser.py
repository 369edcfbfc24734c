"""The workshop as participants see it: ``partnerlib workshop`` serving Voilà, driven in headless Chromium.

Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright; nothing is
downloaded.  ``.ci/run`` installs Chromium with apt-get when it is missing;
these tests skip, saying why, only where it could not be installed.  Every
file the app writes goes to a temporary copy of the demo data.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from partnerlib import read_actions
from partnerlib.render.convert import CHROMIUM_FLAGS

from .conftest import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [f for f in CHROMIUM_FLAGS if f not in ("--headless", "--no-pdf-header-footer")]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _skip_reason() -> str | None:
    if not CHROMIUM.is_file():
        return (
            f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium` (.ci/run does this when it can)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (`pip install -e .[test]`)"
    return None


@contextmanager
def workshop_server(manifest: Path, log_path: Path):
    """Run ``partnerlib workshop`` on ``manifest``; yield (url, process) once it listens; stop it afterwards."""
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "partnerlib", "workshop", "--manifest", str(manifest), "--review", "northwind-contoso"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = process.stdout.readline()  # printed once Voilà listens
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert match, f"no address printed: {line!r}; server log: {log_path.read_text()[-2000:]}"
        yield match.group(1), process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


HOSTILE = ("<script>alert(1)</script>", "[x](javascript:alert(1))")


def hostile_comments(path: Path) -> None:
    """Give some respondents of the export at ``path`` (a copy) the comments of :data:`HOSTILE`, several each."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("Q20")
    first = 3 if rows[2][0].startswith("{") else 2  # after the header rows
    for k, row in enumerate(rows[first : first + 16]):
        row[column] = HOSTILE[k % 2]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``partnerlib workshop`` on a copy of the demo with an empty actions register; yields (url, register, process)."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("workshop-demo")
    for path in SAMPLE.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    hostile_comments(folder / "survey_2026.csv")
    register = folder / "workshop-actions.csv"
    register.write_text("id,period,principle,action,owner,due,status,notes\n", encoding="utf-8")
    manifest = yaml.safe_load((folder / "reviews.yml").read_text(encoding="utf-8"))
    manifest["reviews"] = manifest["reviews"][:1]  # the demo partnership, not the generated portfolio
    manifest["reviews"][0]["actions"] = register.name
    (folder / "reviews.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    with workshop_server(folder / "reviews.yml", folder / "server.log") as (url, process):
        yield url, register, process


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, width: int = 1300, height: int = 950, *, wait: bool = True):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(180_000)
    page.goto(url)
    if wait:
        page.wait_for_selector("img.partnerlib-explore-chart")
    return page


@pytest.fixture
def page(served, browser):
    page = open_page(browser, served[0])
    yield page
    page.close()


def dropdown(page, label: str):
    return page.locator(".widget-dropdown", has=page.locator(f"label:text-is('{label}')")).first.locator("select")


def figure_src(page) -> str:
    return page.eval_on_selector("img.partnerlib-explore-chart", "img => img.src")


def test_filter_change_redraws_the_chart_and_small_groups_show_only_the_message(page):
    assert "68 respondents in this selection" in page.inner_text("body")
    before = figure_src(page)
    dropdown(page, "Organisation").select_option("Northwind Health")
    page.wait_for_function("old => document.querySelector('img.partnerlib-explore-chart').src !== old", arg=before)
    page.get_by_text("39 respondents in this selection").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workshop-explore.png"), full_page=True)
    dropdown(page, "Organisation").select_option("Contoso Logistics")
    dropdown(page, "Role").select_option("Executive")  # 4 Contoso executives in 2026
    page.get_by_text("Too few responses to show (n < 5)").wait_for()
    assert not page.locator("img.partnerlib-explore-chart").is_visible()
    page.screenshot(path=str(ARTIFACTS / "workshop-too-few.png"), full_page=True)


def test_the_themes_view_shows_hostile_comments_literally_each_once_with_a_count(page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    before = figure_src(page)
    dropdown(page, "View").select_option(label="What the comments are about (themes)")
    page.wait_for_function("old => document.querySelector('img.partnerlib-explore-chart').src !== old", arg=before)
    examples = page.locator(".partnerlib-examples")
    examples.wait_for()
    text = examples.inner_text()
    for comment in HOSTILE:
        assert text.count(f"“{comment}”") == 1, f"{comment!r} not shown once, literally: {text!r}"
    assert re.search(r"“<script>alert\(1\)</script>” \(\d+ people\)", text)
    assert examples.locator("script").count() == 0 and examples.locator("a").count() == 0
    assert "How to read it: Each bar counts one organisation's comments" in page.inner_text("body")
    assert dialogs == []


def test_submitted_action_reaches_the_register_file(page, served):
    register = served[1]
    page.get_by_role("tab", name="Act").click()
    act = page.locator(".widget-dropdown", has=page.locator("label:text-is('Principle')")).last
    act.locator("select").select_option("Accountability")
    page.locator(".widget-textarea textarea").fill("Publish a RACI for joint commitments <b>now</b>")
    page.locator(".widget-text", has=page.locator("label:text-is('Owner')")).locator("input").fill("PMO")
    due = page.locator(".widget-text", has=page.locator("label:text-is('Due date')")).locator("input")
    due.fill("31/12/2099")
    due.press("Enter")
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("is not a date: write it as YYYY-MM-DD").wait_for()
    due.fill("2099-12-31")
    due.press("Enter")
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Saved action 2026-01").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workshop-act.png"), full_page=True)
    saved = read_actions(register)
    assert saved["id"].tolist() == ["2026-01"]
    assert saved["action"].iat[0] == "Publish a RACI for joint commitments <b>now</b>"
    assert saved["owner"].iat[0] == "PMO" and str(saved["due"].iat[0].date()) == "2099-12-31"
    # the register shown in the page has the text escaped, not rendered as markup
    assert page.locator("td", has_text="Publish a RACI for joint commitments <b>now</b>").count() == 1


def text_box(page, label: str):
    return page.locator(".widget-text", has=page.locator(f"label:text-is('{label}')")).first.locator("input")


def chart_svg(page, selector: str = "img.partnerlib-explore-chart") -> str:
    """The SVG text of the (first visible) chart image, fetched from its blob URL in the page."""
    return page.eval_on_selector(selector, "img => fetch(img.src).then(r => r.text())")


def svg_texts(svg: str) -> str:
    """Every text of an SVG, in document order, joined by single spaces."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg.encode())
    return " ".join(" ".join("".join(el.itertext()).split()) for el in root.iter() if el.tag.endswith("}text"))


def screenshots(page, size: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for tab in ("Prioritise", "Act", "Explore"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / f"workshop-{tab.lower()}-{size}.png"))


def view_screenshots(page, size: str) -> None:
    """A screenshot of each Explore view (``test-artifacts/workshop-view-<view>-<size>.png``), the chart as wide as the
    page in each."""
    from partnerlib.workshop import VIEWS

    page.get_by_role("tab", name="Explore").click()
    width = page.viewport_size["width"]
    for key, view in VIEWS.items():
        before = figure_src(page) if page.locator("img.partnerlib-explore-chart").is_visible() else ""
        shown = dropdown(page, "View").evaluate("s => s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' ')")
        if shown != view.label:  # ipywidgets writes the spaces of an option as no-break spaces
            dropdown(page, "View").select_option(label=view.label)
            page.wait_for_function(
                "old => document.querySelector('img.partnerlib-explore-chart').src !== old", arg=before
            )
        page.wait_for_timeout(300)
        box = page.eval_on_selector("img.partnerlib-explore-chart", "i => i.getBoundingClientRect().width")
        assert box >= 0.7 * width, f"{key}: chart {box:.0f} px wide at {width}"
        page.screenshot(path=str(ARTIFACTS / f"workshop-view-{key}-{size}.png"), full_page=True)


def test_on_a_1080p_projector_the_chart_fills_the_page_text_is_large_and_nothing_leaves_localhost(served, browser):
    url = served[0]
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(180_000)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector("img.partnerlib-explore-chart")
    box = page.eval_on_selector(
        "img.partnerlib-explore-chart", "i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; }"
    )
    assert box[0] >= 1400, f"chart {box[0]:.0f} px wide at 1920"
    label = page.eval_on_selector(".partnerlib-workshop .widget-label", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert label >= 20
    svg = chart_svg(page)
    view_box = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    scale = min(box[0] / view_box[2], box[1] / view_box[3])  # the image keeps its proportions
    tick = float(re.search(r'<g id="xtick_1">.*?font-size: ([\d.]+)px', svg, re.S).group(1))
    assert tick * scale >= 16, f"tick labels {tick * scale:.1f} px on screen"
    screenshots(page, "1920x1080")
    # every statement of every principle appears whole in the principle-detail chart
    from partnerlib import read_surveys

    survey = read_surveys({p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}, SAMPLE / "codebook.yml")
    categories = list(survey.responses["principle"].cat.categories)
    for k, principle in enumerate(categories):
        before = figure_src(page)
        if k == 0:
            dropdown(page, "View").select_option(label="Principle detail (answers per statement)")
        else:
            dropdown(page, "Principle").select_option(principle)
        page.wait_for_function("old => document.querySelector('img.partnerlib-explore-chart').src !== old", arg=before)
        texts = svg_texts(chart_svg(page))
        items = survey.responses.loc[survey.responses["principle"] == principle, "item"].unique()
        for item in items:
            statement = " ".join(survey.codebook.statement_label(item).split())
            assert statement in texts, f"{statement!r} not whole in the chart of {principle}"
    page.get_by_text("How to read it: Each bar is one statement").wait_for()
    page.screenshot(path=str(ARTIFACTS / "workshop-detail-1920x1080.png"))
    page.get_by_role("button", name="Present").click()
    page.get_by_role("button", name="Leave presentation").wait_for()
    page.wait_for_timeout(500)
    assert not dropdown(page, "View").is_visible()
    page.screenshot(path=str(ARTIFACTS / "workshop-present-1920x1080.png"))
    page.get_by_role("button", name="Leave presentation").click()
    view_screenshots(page, "1920x1080")
    small = open_page(browser, url, 1280, 800)
    screenshots(small, "1280x800")
    view_screenshots(small, "1280x800")
    small.close()
    page.close()
    outside = [r for r in requests if not re.match(r"^(blob:)?http://127\.0\.0\.1:\d+/|^data:", r)]
    assert outside == []


def test_two_pages_see_each_others_vote_within_two_seconds_and_votes_survive_a_reload(served, browser):
    first, second = (open_page(browser, served[0]) for _ in range(2))
    for page in (first, second):
        page.get_by_role("tab", name="Prioritise").click()
    text_box(first, "Participant").fill("Table 7")
    box = text_box(first, "Trust")
    box.fill("2")
    box.press("Enter")
    first.get_by_role("button", name="Cast dots").click()
    first.get_by_text("Dots recorded for Table 7").wait_for()
    start = time.monotonic()
    second.get_by_text("Table 7: 1 of 3 dots left").wait_for(timeout=5_000)
    assert time.monotonic() - start <= 2.0
    first.reload()
    first.wait_for_selector("img.partnerlib-explore-chart")
    first.get_by_role("tab", name="Prioritise").click()
    first.get_by_text("Table 7: 1 of 3 dots left").wait_for(timeout=5_000)
    first.close()
    second.close()


def test_five_pages_saving_actions_at_once_get_five_ids_and_five_rows(served, browser):
    register = served[1]
    before = set(read_actions(register)["id"]) if register.stat().st_size else set()
    pages = [open_page(browser, served[0], wait=False) for _ in range(5)]
    for k, page in enumerate(pages):
        page.wait_for_selector("img.partnerlib-explore-chart")
        page.get_by_role("tab", name="Act").click()
        page.locator(".widget-dropdown", has=page.locator("label:text-is('Principle')")).last.locator(
            "select"
        ).select_option("Trust")
        page.locator(".widget-textarea textarea").fill(f"Action of laptop {k}")
        text_box(page, "Owner").fill(f"Owner {k}")
        due = text_box(page, "Due date")
        due.fill("2099-06-30")
        due.press("Enter")
    buttons = [page.get_by_role("button", name="Add action") for page in pages]
    for button in buttons:  # as close together as the browser clicks
        button.click(no_wait_after=True)
    for page in pages:
        page.get_by_text(re.compile(r"Saved action 2026-\d\d")).wait_for()
    saved = read_actions(register)
    new = saved[~saved["id"].isin(before)]
    assert len(new) == 5 and new["id"].nunique() == 5
    assert sorted(new["action"]) == [f"Action of laptop {k}" for k in range(5)]
    for page in pages:
        page.close()


def kernels(process) -> int:
    """Kernel processes the workshop server runs now (exited ones, not yet reaped, are not counted)."""
    import psutil

    alive = 0
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                alive += 1
        except psutil.NoSuchProcess:
            pass
    return alive


def kernels_after(process, at_most: int, timeout: float = 30.0) -> int:
    """The kernel processes left once there are ``at_most`` or fewer, or when ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while (alive := kernels(process)) > at_most and time.monotonic() < deadline:
        time.sleep(0.25)
    return alive


@pytest.mark.timeout(3600)  # 50 page loads: about 5 s each on a quiet machine, 15 s or more on a busy one
def test_fifty_reloads_leave_at_most_two_kernels_and_a_closed_page_leaves_none(served, browser):
    """Each reload's old kernel is gone within 30 s (not one count at one instant: a kernel takes a moment to exit).

    The pages of the earlier tests were closed without their unload handler (Playwright's ``page.close()``), as a
    crashed tab or a sleeping laptop leaves a page: the server releases their kernels itself, well before the
    idle cull (60 s) would.
    """
    process = served[2]
    for context in browser.contexts:  # pages an earlier test left open (it failed before closing them)
        for left_open in context.pages:
            left_open.close()
    assert kernels_after(process, 0, timeout=30) == 0, "kernels of the closed pages of earlier tests still alive"
    page = open_page(browser, served[0])
    left = []
    for _ in range(50):
        page.reload()
        page.wait_for_selector("img.partnerlib-explore-chart")
        left.append(kernels_after(process, 1, timeout=30))
    assert max(left) <= 2, f"kernels alive 30 s after each reload: {left}"
    assert kernels_after(process, 2) <= 2
    page.close()  # no unload handler runs: the server notices the page's websocket closing
    start = time.monotonic()
    assert kernels_after(process, 0, timeout=30) == 0
    assert time.monotonic() - start < 30


def test_saving_through_the_demo_leaves_the_committed_files_clean(browser, tmp_path):
    """The README's command on the demo itself: the action goes to data/processed/, git sees no change."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)

    def status() -> str:
        return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout

    processed = ROOT / "data" / "processed"
    kept = {p: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    before = status()
    try:
        with workshop_server(SAMPLE / "reviews.yml", tmp_path / "server.log") as (url, _):
            page = open_page(browser, url)
            page.get_by_role("tab", name="Act").click()
            page.get_by_text("Actions are saved to").wait_for()
            assert str(processed / "actions.csv") in page.inner_text("body")
            page.locator(".widget-dropdown", has=page.locator("label:text-is('Principle')")).last.locator(
                "select"
            ).select_option("Trust")
            page.locator(".widget-textarea textarea").fill("Trial action from the demo")
            text_box(page, "Owner").fill("Facilitator")
            due = text_box(page, "Due date")
            due.fill("2099-06-30")
            due.press("Enter")
            page.get_by_role("button", name="Add action").click()
            page.get_by_text("Saved action A26-01").wait_for()  # the demo register's own scheme (A25-01...)
            page.close()
        assert status() == before
        assert "Trial action from the demo" in set(read_actions(processed / "actions.csv")["action"])
        assert "Trial action from the demo" not in set(read_actions(SAMPLE / "actions.csv")["action"])
    finally:
        for path in processed.iterdir():
            if path.is_file() and path not in kept:
                path.unlink()
        for path, data in kept.items():
            path.write_bytes(data)
