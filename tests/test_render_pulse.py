"""The pulse check-in: the manifest's ``pulse:``, its report through the runner (papermill, real HTML), what the
report shows and hides, and the norms the render step refreshes."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pandas as pd
import pytest

from partnerlib import ManifestError, Method
from partnerlib.analysis.pulse import action_status, pulse_change
from partnerlib.io.norms import read_norm_records
from partnerlib.render.batch import PULSE_NOTEBOOK, render_manifest
from partnerlib.render.manifest import Pulse, load_manifest
from partnerlib.render.progress import ProgressBoard
from partnerlib.report.pulse import PulseResults, analyse_pulse, pulse_table, pulse_text

from .conftest import DEMO_REVIEW, SAMPLE, embedded_svg_charts
from .test_pulse import tidy


def _text(html: str) -> str:
    body = re.sub(r"<style.*?</style>|<script.*?</script>|<svg.*?</svg>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo manifest (its 2026 review and its pulse 2026-Q3) rendered once, norms refreshed after."""
    out = tmp_path_factory.mktemp("reports")
    outcomes = render_manifest(SAMPLE / "reviews.yml", out, only=DEMO_REVIEW, jobs=2, norms=True,
                               board=ProgressBoard({}, enabled=False, total=2))  # fmt: skip
    return out, outcomes


@pytest.mark.slow
def test_pulse_report_renders_through_the_runner_with_the_pulsed_principles_and_action_status(demo):
    out, outcomes = demo
    assert [(o.review, o.period, o.status) for o in outcomes] == [
        ("northwind-contoso", "2026", "rendered"),
        ("northwind-contoso", "2026-Q3", "rendered"),
    ], [o.line() for o in outcomes]
    page = (out / "northwind-contoso" / "2026-Q3" / "review.html").read_text()
    text = _text(page)
    assert "<title>Northwind Health &amp; Contoso Logistics – pulse check-in 2026-Q3</title>" in page
    assert "Pulse check-in 2026-Q3" in text
    expected = analyse_pulse(
        baseline_survey=SAMPLE / "survey_2026.csv", pulse_survey=SAMPLE / "pulse_2026-Q3.csv",
        codebook=SAMPLE / "codebook.yml", pulse_codebook=SAMPLE / "pulse_codebook.yml", period="2026-Q3",
        baseline="2026", actions=SAMPLE / "actions.csv",
    )  # fmt: skip
    for r in expected.change.to_dict("records"):  # each pulsed principle, its figures and the actions on it
        assert r["test"] == "paired"
        change = f"{round(r['change'], 1) + 0.0:+.1f}"
        row = f"{r['principle']} {r['baseline']:.1f} ({r['n_baseline']}) {r['pulse']:.1f} ({r['n_pulse']}) {change} "
        assert row in text, row
        assert f"paired, {r['n_pairs']} in both" in text and f"the {r['n_pairs']} people who answered both" in text
    assert "Accountability improved since the annual review" in text
    assert "2 actions: 1 in progress, 1 done" in text  # Accountability: A25-01 done, A25-02 in progress
    assert "2 actions: 1 on hold, 1 done" in text and "1 action: 1 not started" in text
    assert any("Change since the annual review" in svg for svg in embedded_svg_charts(page))
    # no code, no parameters, no personal data or panel ids
    assert "analyse_pulse" not in page and "pulse_codebook" not in page
    assert not re.search(r"\bP\d{3}\b|@northwind-health|203\.0\.113", page)
    index = (out / "index.html").read_text()
    assert '<a href="northwind-contoso/2026-Q3/review.html">html</a>' in index


@pytest.mark.slow
def test_render_with_norms_rebuilds_the_norms_file_from_the_reviews_only(demo):
    out, _ = demo
    records = read_norm_records(out / "norms.csv")
    assert set(records["period"]) == {"2026"} and set(records["review"]) == {"northwind-contoso"}
    assert len(records) == 6  # the review's six principles; the pulse records no scores
    assert (out / "norms.csv").read_text().splitlines()[1].endswith(dt.date.today().isoformat())


def _manifest(tmp_path, pulse: str) -> object:
    for name in ("codebook.yml", "survey_2026.csv", "pulse.csv", "pulse_codebook.yml", "actions.csv"):
        (tmp_path / name).write_text("x\n")
    path = tmp_path / "reviews.yml"
    path.write_text(
        "reviews:\n  - {name: a, client: A, period: '2026', surveys: {'2026': survey_2026.csv}, codebook: codebook.yml,"
        f" actions: actions.csv, parameters: {{min_n: 7, review_date: '2026-03-01'}}, pulse: {pulse}}}\n"
    )
    return path


def test_pulse_entries_become_pulse_jobs_with_their_own_parameters(tmp_path):
    m = _manifest(tmp_path, "{'2026-Q3': pulse.csv, '2026-Q4': {survey: pulse.csv, codebook: pulse_codebook.yml}}")
    (review,) = load_manifest(m)
    q3, q4 = review.pulse_checkins(PULSE_NOTEBOOK)
    assert isinstance(q3, Pulse) and (q3.name, q3.period, q3.baseline) == ("a", "2026-Q3", "2026")
    params = q3.notebook_parameters()
    assert params["baseline_survey"] == str(tmp_path / "survey_2026.csv")
    assert params["pulse_survey"] == str(tmp_path / "pulse.csv") and params["pulse_codebook"] == ""
    assert params["actions"] == str(tmp_path / "actions.csv")
    assert params["min_n"] == 7 and "review_date" not in params  # only the parameters a pulse shares
    assert q4.notebook_parameters()["pulse_codebook"] == str(tmp_path / "pulse_codebook.yml")
    assert tmp_path / "pulse_codebook.yml" in q4.input_files() and q3.heading == "Pulse check-in 2026-Q3"


@pytest.mark.parametrize(
    ("pulse", "message"),
    [
        ("{'2026': pulse.csv}", "pulse labels ['2026'] are also periods of 'surveys'"),
        ("{'2026-Q3': gone.csv}", "pulse '2026-Q3': survey export not found"),
        ("{'2026-Q3': {survey: pulse.csv, codebook: gone.yml}}", "pulse '2026-Q3': codebook file not found"),
        ("{'Q3 2026': pulse.csv}", "'pulse': label 'Q3 2026' must be a folder-safe word such as '2026-Q3'"),
        ("[pulse.csv]", "'pulse' must map each pulse's label to its export"),
    ],
)
def test_pulse_problems_are_named(tmp_path, pulse, message):
    with pytest.raises(ManifestError) as err:
        load_manifest(_manifest(tmp_path, pulse))
    assert message in str(err.value) and "review 'a'" in str(err.value)


def _results(before: dict, after: dict, min_n: int = 5) -> PulseResults:
    m = Method(min_n=min_n)
    base, puls = tidy(before, "2026"), tidy(after, "2026-Q3")
    change = pulse_change(base, puls, method=m)
    actions = pd.DataFrame({"principle": ["Trust"], "status": ["in progress"]})
    return PulseResults(client="C", period="2026-Q3", baseline="2026", method=m, baseline_survey=None,  # type: ignore[arg-type]
                        pulse_survey=None, change=change, actions=action_status(actions, change["principle"]),  # type: ignore[arg-type]
                        has_register=True, date=dt.date(2026, 9, 30))  # fmt: skip


def test_pulse_report_hides_small_groups_and_pairs_that_would_disclose_the_rest():
    before = {f"p{i}": {"Trust": [3 + i % 2], "Respect": [4]} for i in range(8)}
    after = {f"p{i}": {"Trust": [4 + (i % 3 == 0)]} for i in range(6)} | {"x1": {"Trust": [2]}, "x2": {"Trust": [3]}}
    after |= {f"p{i}": {**after.get(f"p{i}", {}), "Respect": [5]} for i in range(4)}  # Respect: 4 < min_n 5
    results = _results(before, after)
    table = pulse_table(results).set_index("Principle")
    shown = " ".join(table.astype(str).to_numpy().ravel())
    assert table.loc["Respect"].iloc[0] == "fewer than 5 responses"
    assert (table.loc["Respect"].iloc[1:-1] == "").all()  # no figure of the small group, only the actions
    assert table.loc["Respect", "Actions on it"] == "no action"
    # Trust: 6 pairs, but 8 - 6 = 2 answered only the pulse: the pairs are not used, nor is their count shown
    assert table.loc["Trust", "Test"] == "independent samples" and "6" not in table.to_numpy().ravel()
    assert "people in both" not in shown
    assert table.loc["Trust", "Pulse 2026-Q3 (responses)"].endswith("(8)") and table.loc["Trust", "Actions on it"] == (
        "1 action: 1 in progress"
    )
    text = pulse_text(results)
    assert "Not shown, fewer than 5 respondents: Respect." in text and "in both" not in text
    assert "a difference of" in text and "Actions on it: 1 action: 1 in progress." in text
