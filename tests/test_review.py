"""analyse_review composes the analysis functions; the report's sentences match its tables."""

import re

import numpy as np
import pandas as pd
import pytest

import partnerlib as pl
from partnerlib import Method, narrative
from partnerlib.analysis import priorities
from partnerlib.report import analyse_review, headlines

from .conftest import SAMPLE, plain

SURVEYS = {p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}


@pytest.fixture(scope="module")
def review():
    return analyse_review(
        surveys=SURVEYS,
        codebook=SAMPLE / "codebook.yml",
        period="2026",
        client="Demo",
        roster=SAMPLE / "roster.csv",
        kpis=SAMPLE / "kpis.xlsx",
        objectives=SAMPLE / "objectives.csv",
        actions=SAMPLE / "actions.csv",
    )


def test_tables_are_those_of_the_public_functions(review):
    r26 = pl.select_period(review.survey.responses, "2026")
    pattern = pl.analysis.score_pattern(r26, ["partner", "role"])  # one hiding pattern for every score table
    roster = pl.read_roster(SAMPLE / "roster.csv")  # with a roster, the finite-population correction
    invited = {key: pl.analysis.invited_counts(roster, key) for key in ("partner", ("partner", "role"))}
    everyone = pl.analysis.invited_counts(roster)
    scores = pl.principle_scores(r26, scale=review.scale, pattern=pattern, population=everyone)
    pd.testing.assert_frame_equal(review.scores, scores)
    perception = pl.perception_differences(r26, pattern=pattern, population=invited["partner"])
    pd.testing.assert_frame_equal(review.perception, perception)
    by_role = pl.principle_scores(
        r26, by=["partner", "role"], scale=review.scale, pattern=pattern, population=invited[("partner", "role")]
    )
    pd.testing.assert_frame_equal(review.scores_by_role, by_role)
    assert (review.scores["ci_high"] - review.scores["ci_low"] < scores_without(r26, pattern, review.scale)).all()
    assert review.previous == "2025"
    assert set(review.change["period_to"].astype(str)) == {"2025", "2026"}
    assert len(review.respondents) == 68 and set(review.responses["period"].astype(str)) == {"2026"}
    assert review.likert["statement"].iloc[0] == "We can rely on each other to do what we say we will do."
    assert review.likert["statement"].iloc[1] == "We sometimes hold back information from each other. (reverse-scored)"
    assert review.likert["principle"].iloc[0] == "Trust"


def scores_without(responses, pattern, scale):
    """The width of each principle's interval without the finite-population correction."""
    plain_scores = pl.principle_scores(responses, scale=scale, pattern=pattern)
    return plain_scores["ci_high"] - plain_scores["ci_low"]


def test_optional_inputs_are_skipped_and_one_period_has_no_change():
    r = analyse_review(
        surveys={"2026": SURVEYS["2026"]}, codebook=SAMPLE / "codebook.yml", period="2026", roster="", kpis=None
    )
    assert r.change is None and r.previous is None
    assert r.engagement is None and r.scorecard is None and r.alignment is None and r.followup is None
    assert "no earlier review" in narrative.change_text(r.change)
    assert narrative.kpi_text(r.scorecard) == "No KPI workbook was given for this review."
    with pytest.raises(
        pl.PartnerDataError, match=r"period '2030' has no survey export; surveys are given for \['2026'\]"
    ):
        analyse_review(surveys={"2026": SURVEYS["2026"]}, codebook=SAMPLE / "codebook.yml", period="2030")


def test_summary_claims_match_the_tables(review):
    text = plain(narrative.summary_text(review))
    lines = text.splitlines()
    assert lines[0].startswith("- Act on first. ")  # the summary opens with what to do
    scores = review.scores.set_index("principle")
    claims = re.findall(r"(?:and )?(\w[\w ]*?) \(matters ([\d.]+), lived ([\d.]+): a gap of ([\d.]+)", lines[0])
    assert [c[0] for c in claims] == review.priorities["principle"].tolist()
    for name, importance, current, gap in claims:
        assert narrative.fmt(scores.loc[name, "importance"]) == importance
        assert narrative.fmt(scores.loc[name, "current"]) == current
        assert narrative.fmt(scores.loc[name, "gap"]) == gap
    assert "Accountability (matters 4.5, lived 2.9: a gap of 1.6; 2 earlier actions: 2 narrowed the gap)" in lines[0]
    top = review.perception.loc[review.perception["difference"].abs().idxmax()]
    assert f"{top.principle}: Contoso Logistics rates it {abs(top.difference):.1f} points higher" in text
    counts = review.scorecard["status"].astype(str).value_counts()
    assert f"Of {len(review.scorecard)} KPIs, {counts['off track']} off track, {counts['watch']} watch and " in text
    eng = review.engagement[review.engagement["role"].astype(str) == "All roles"]
    assert f"68 of the {int(eng['invited'].sum())} people invited took part" in text


def test_headlines_for_the_portfolio(review):
    h = headlines(review)
    assert h["respondents"] == 68
    eng = review.engagement[review.engagement["role"].astype(str) == "All roles"]
    assert h["response_rate"] == pytest.approx(eng["responded"].sum() / eng["invited"].sum())
    assert h["gaps"][0] == "Accountability" and h["strengths"][0] == "Respect"
    assert h["disagreement"] == "Open communication"
    assert sum(h["kpi_status"].values()) == len(review.scorecard)


def test_priorities_are_the_concentrate_here_principles_and_note_history():
    scores = pd.DataFrame({
        "principle": ["A", "B", "C", "D"], "gap": [1.0, 1.5, 0.2, 0.9], "current": [2.5, 4.1, 4.0, 2.0],
        "importance": [3.5, 5.6, 4.2, 2.9], "suppressed": [False] * 4,
        "band": ["concern", "strength", "strength", "concern"],
        "quadrant": ["concentrate here", "keep up the good work", "possible overkill", "concentrate here"],
    })  # fmt: skip
    perception = pd.DataFrame({"principle": ["A", "B"], "difference": [-0.8, 0.2], "flag": [True, False]})
    followup = pd.DataFrame({"principle": ["A", "A", "B"], "outcome": ["narrowed", "closed", "widened"]})
    out = priorities(scores, perception, followup, method=Method(top=3))
    assert out["principle"].tolist() == ["A", "D"]  # B has the largest gap but is a strength: never a priority
    assert out["rank"].tolist() == [1, 2]
    assert out["disagreement"].iloc[0] == pytest.approx(0.8) and np.isnan(out["disagreement"].iloc[1])
    assert out["earlier_actions"].tolist() == ["2 (1 narrowed, 1 closed)", "none"]


def test_labels_from_the_codebook():
    cb = pl.load_codebook(SAMPLE / "codebook.yml")
    assert cb.point_labels() == ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                                 "Strongly agree"]  # fmt: skip
    assert cb.point_labels("importance")[-1] == "Extremely important"
    assert [cb.statement_text(i) for i in ["respect_1", "unknown"]] == [
        "People in the partner organisation treat us with respect.",
        "unknown",
    ]


def test_review_date_judges_overdue_actions():
    common = dict(surveys=SURVEYS, codebook=SAMPLE / "codebook.yml", period="2026", actions=SAMPLE / "actions.csv")
    early = analyse_review(**common).followup.set_index("id")
    late = analyse_review(**common, review_date="2026-07-15").followup.set_index("id")
    open_ = ~late["status"].astype(str).isin(["done", "cancelled"])
    due = pd.to_datetime(late["due"])
    assert late["overdue"].astype(bool).tolist() == (open_ & (due < pd.Timestamp("2026-07-15"))).tolist()
    assert late["overdue"].astype(bool).sum() > early["overdue"].astype(bool).sum()


def test_an_empty_previous_export_is_an_error_naming_the_file(tmp_path):
    # Before, the empty 2025 export vanished and the review silently compared 2026 with 2024.
    lines = SURVEYS["2025"].read_text(encoding="utf-8-sig").splitlines(keepends=True)
    empty = tmp_path / "survey_2025.csv"
    empty.write_text("".join(lines[:3]), encoding="utf-8")  # the three header rows of a Qualtrics export, no response
    with pytest.raises(pl.PartnerDataError) as err:
        analyse_review(surveys={**SURVEYS, "2025": empty}, codebook=SAMPLE / "codebook.yml", period="2026")
    assert str(err.value).startswith(
        f"file '{empty}': the survey export of period '2025' holds no response to use (0 rows read); expected the "
        "export with its responses, or the period left out of 'surveys'"
    )


def test_an_action_naming_a_principle_the_codebook_lacks_stops_the_review(tmp_path):
    register = (SAMPLE / "actions.csv").read_text(encoding="utf-8").replace(",Shared goals,", ",Shared gaols,")
    actions = tmp_path / "actions.csv"
    actions.write_text(register, encoding="utf-8")
    with pytest.raises(pl.PartnerDataError, match=r"value 'Shared gaols': not a principle of the codebook \(did you"):
        analyse_review(surveys=SURVEYS, codebook=SAMPLE / "codebook.yml", period="2026", actions=actions)


def test_a_roster_that_does_not_fit_the_survey_names_the_roster_file(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        (SAMPLE / "roster.csv").read_text(encoding="utf-8").replace("Contoso Logistics", "Contoso"), encoding="utf-8"
    )
    # Before, the message said which organisations were missing but not in which file.
    with pytest.raises(pl.PartnerDataError) as err:
        analyse_review(surveys=SURVEYS, codebook=SAMPLE / "codebook.yml", period="2026", roster=roster)
    assert str(err.value).startswith(f"file '{roster}': respondents from organisations ['Contoso Logistics'] are not")


def test_key_drivers_section_follows_the_tables_and_shows_only_with_an_outcome(review):
    from partnerlib.report import evidence

    r26 = pl.select_period(review.survey.responses, "2026")
    people = pl.select_period(review.survey.respondents, "2026")
    pd.testing.assert_frame_equal(review.drivers, pl.key_drivers(r26, people))
    pd.testing.assert_frame_equal(review.grid, pl.importance_grid(review.scores, review.drivers))
    assert review.drivers_shown and review.shown_grid is not None
    text = plain(evidence.drivers_section(review))
    top = review.drivers.sort_values("weight", ascending=False).iloc[0]
    line = f"- {top.principle}: {top.share:.0%} of what the principles explain (likely range {top.share_low:.0%}–"
    assert line in text
    assert f"is {top.r_squared:.0%} explained by how they rate the principles (68 respondents" in text
    hidden = review.grid.loc[review.grid["reading"] == "hidden driver", "principle"].tolist()
    assert hidden and f"{hidden[0]}: rated less important than the others" in text
    # The same review without an outcome in the codebook, and one whose only group is too small: no section.
    codebook = pl.load_codebook(SAMPLE / "codebook.yml")
    from dataclasses import replace

    plain_review = analyse_review(surveys={"2026": SURVEYS["2026"]}, codebook=replace(codebook, outcome=None),
                                  period="2026")  # fmt: skip
    assert plain_review.drivers is None and plain_review.shown_grid is None
    assert evidence.drivers_section(plain_review) == ""
    strict = analyse_review(surveys={"2026": SURVEYS["2026"]}, codebook=codebook, period="2026",
                            method={"drivers_min_n": 69})  # fmt: skip
    assert strict.drivers["suppressed"].all() and evidence.drivers_section(strict) == ""


def test_summary_states_what_the_survey_can_detect(review):
    text = plain(narrative.summary_text(review))
    lo, hi = review.detectable["detectable"].min(), review.detectable["detectable"].max()
    assert f"could not reliably detect a difference between the organisations smaller than {lo:.1f}–{hi:.1f}" in text
    assert "80% power" in text
    note = plain(narrative.method_note(scale=review.scale, method=review.method, dropped=review.survey.dropped,
                                       respondents=review.survey.respondents, period="2026", finite=True))  # fmt: skip
    assert "finite-population correction √((N − n)/(N − 1))" in note and "Holm's method" in note


def test_comparison_tables_show_raw_and_adjusted_p(review):
    from partnerlib.report import tables

    shown = tables.perception_table(review.perception).set_index("Principle")
    for r in review.perception.itertuples():
        assert shown.loc[r.principle, "p (adjusted, Holm)"] == (
            "< 0.001" if r.p_adjusted < 0.001 else f"{r.p_adjusted:.3f}"
        )
        assert shown.loc[r.principle, "p (this principle)"] == ("< 0.001" if r.p_value < 0.001 else f"{r.p_value:.3f}")
        assert (shown.loc[r.principle, "Clear difference"] == "yes") == bool(r.flag)
    assert "Difference (Contoso Logistics − Northwind Health, points)" in shown.columns
    change = tables.change_table(review.change).set_index("Principle")
    last = review.change[review.change["period_to"].astype(str) == "2026"].set_index("principle")
    assert change["Reading"].to_dict() == last["direction"].astype(str).to_dict()
    assert (last["p_adjusted"] >= last["p_value"]).all()
    assert tables.change_table(None) is None
