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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``partnerlib workshop`` on a copy of the demo with an actions register; yields (url, register path)."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("workshop-demo")
    for path in SAMPLE.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    register = folder / "workshop-actions.csv"
    register.write_text("id,period,principle,action,owner,due,status,notes\n", encoding="utf-8")
    manifest = yaml.safe_load((folder / "reviews.yml").read_text(encoding="utf-8"))
    manifest["reviews"][0]["actions"] = register.name
    (folder / "reviews.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "partnerlib",
            "workshop",
            "--manifest",
            str(folder / "reviews.yml"),
            "--review",
            "northwind-contoso",
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = process.stdout.readline()  # printed once Voilà listens
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert match, f"no address printed: {line!r}; server log: {(folder / 'server.log').read_text()[-2000:]}"
        yield match.group(1), register
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def page(served):
    from playwright.sync_api import sync_playwright

    url, _ = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 950})
        page.set_default_timeout(120_000)
        page.goto(url)
        page.wait_for_selector("img.widget-image")
        yield page
        browser.close()


def dropdown(page, label: str):
    return page.locator(".widget-dropdown", has=page.locator(f"label:text-is('{label}')")).first.locator("select")


def figure_src(page) -> str:
    return page.eval_on_selector("img.widget-image", "img => img.src")


def test_filter_change_redraws_the_chart_and_small_groups_show_only_the_message(page):
    assert "68 respondents in this selection" in page.inner_text("body")
    before = figure_src(page)
    dropdown(page, "Organisation").select_option("Northwind Health")
    page.wait_for_function("old => document.querySelector('img.widget-image').src !== old", arg=before)
    page.get_by_text("39 respondents in this selection").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workshop-explore.png"), full_page=True)
    dropdown(page, "Organisation").select_option("Contoso Logistics")
    dropdown(page, "Role").select_option("Executive")  # 4 Contoso executives in 2026
    page.get_by_text("Too few responses to show (n < 5)").wait_for()
    assert not page.locator("img.widget-image").is_visible()
    page.screenshot(path=str(ARTIFACTS / "workshop-too-few.png"), full_page=True)


def test_submitted_action_reaches_the_register_file(page, served):
    _, register = served
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
