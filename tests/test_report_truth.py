"""The report tells the truth: answers as given, one rule for strengths and priorities, thresholds as applied."""

from __future__ import annotations

import csv

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import partnerlib as pl
from partnerlib import Method, narrative, report
from partnerlib.analysis import strengths_and_gaps
from partnerlib.report import analyse_review
from partnerlib.report.display import table
from partnerlib.report.tables import scores_table

from .conftest import SAMPLE, plain, tidy

SURVEYS = {p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}
INPUTS = dict(
    surveys=SURVEYS,
    codebook=SAMPLE / "codebook.yml",
    period="2026",
    roster=SAMPLE / "roster.csv",
    kpis=SAMPLE / "kpis.xlsx",
    objectives=SAMPLE / "objectives.csv",
    actions=SAMPLE / "actions.csv",
)


@pytest.fixture(scope="module")
def review():
    return analyse_review(**INPUTS)


def _raw_answers(path, column: str, dropped_rows: set[int]) -> pd.Series:
    """The labels given in ``column`` of a Qualtrics CSV, read with the csv module (rows as a spreadsheet numbers
    them: the header rows are 1-3), leaving out the rows the reader excluded."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    at = rows[0].index(column)
    kept = [r[at].strip() for number, r in enumerate(rows[3:], start=4) if number not in dropped_rows]
    return pd.Series([v for v in kept if v], dtype=object)


def test_a_reverse_worded_statement_is_drawn_as_people_answered_it(review):
    codebook = review.survey.codebook
    reversed_items = codebook.reversed_items()
    assert reversed_items == ("trust_2",)
    statement = next(st for st in codebook.statements if st.item == "trust_2")
    dropped = review.survey.dropped
    rows = set(dropped.loc[dropped["period"].astype(str) == "2026", "row"].astype(int))
    raw = _raw_answers(SURVEYS["2026"], statement.current, rows)
    labels = {label.casefold(): point for label, point in codebook.labels.items()}
    given = raw.str.casefold().map(labels).dropna().astype(int).value_counts()
    row = review.likert.set_index("item").loc["trust_2"]
    assert {p: int(row[str(p)]) for p in range(1, 6)} == {p: int(given.get(p, 0)) for p in range(1, 6)}
    disagree = int(given.get(1, 0) + given.get(2, 0))
    assert disagree > int(given.get(4, 0) + given.get(5, 0))  # most people disagreed: the chart must say so
    assert row["statement"].endswith("(reverse-scored)")
    # the chart draws those shares: the disagreeing segments left of 0 hold the disagreeing share
    ax = pl.plots.likert_bars(review.likert, label="statement", group="principle", ax=plt.figure().gca())
    y = next(pos for pos, t in zip(ax.get_yticks(), ax.get_yticklabels()) if "hold back" in t.get_text())
    left = sum(p.get_width() for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9 and p.get_x() < 0
               and p.get_x() + p.get_width() <= 1e-9)  # fmt: skip
    answered = int(given.sum())
    assert left == pytest.approx(disagree / answered)
    # and its score is still reversed: the principle's score counts disagreeing as good
    r26 = review.responses
    scored = r26[(r26["item"].astype(str) == "trust_2") & (r26["measure"] == "current")]["score"]
    assert scored.mean() == pytest.approx(6 - (raw.str.casefold().map(labels).dropna()).mean())


def _check_one_rule(scores: pd.DataFrame, priorities: pd.DataFrame, summary: str, method: Method, scale) -> None:
    ranking = strengths_and_gaps(scores, method=method)
    strengths = set(ranking.loc[ranking["kind"] == "strength", "principle"].astype(str))
    proposed = set(priorities["principle"].astype(str))
    assert not strengths & proposed
    bands = scores.set_index(scores["principle"].astype(str))["band"].astype(str)
    quadrants = scores.set_index(scores["principle"].astype(str))["quadrant"].astype(str)
    assert all(bands[p] == "strength" for p in strengths)
    assert set(bands[bands == "strength"].index) == strengths  # every principle of the band (top is large enough)
    assert all(quadrants[p] == "concentrate here" for p in proposed)
    assert all(bands[p] != "strength" for p in proposed)
    lines = plain(summary).splitlines()
    keep = next(line for line in lines if line.startswith("- Strengths to keep."))
    act = next(line for line in lines if line.startswith("- Act on first."))
    for p in strengths:
        assert p in keep and f"{p} (matters" not in act
    for p in proposed:
        assert f"{p} (matters" in act and p not in keep
    # the principles table says the same: strengths in the strength band, priorities read "concentrate here"
    shown = scores_table(scores, scale=scale, method=method).set_index("Principle")
    for p in proposed:
        assert shown.loc[p, "Reading"] == "concentrate here" and shown.loc[p, "Band"] != "strength"


def test_strengths_and_priorities_are_disjoint_and_agree_with_bands_and_quadrants_on_the_demo(review):
    _check_one_rule(review.scores, review.priorities, narrative.summary_text(review), review.method, review.scale)
    assert review.priorities["principle"].tolist() == ["Accountability", "Trust"]
    assert strengths_and_gaps(review.scores).query("kind == 'strength'")["principle"].tolist() == ["Respect"]


def test_the_quadrant_chart_puts_each_principle_in_the_quadrant_the_table_names(review):
    ax = pl.plots.quadrant_scatter(review.scores, scale=review.scale, method=review.method, ax=plt.figure().gca())
    vline = next(ln for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]).get_xdata()[0]
    hline = next(ln for ln in ax.lines if ln.get_ydata()[0] == ln.get_ydata()[1]).get_ydata()[0]
    names = {"concentrate here": (False, True), "keep up the good work": (True, True),
             "possible overkill": (True, False), "low priority": (False, False)}  # fmt: skip
    points = {tuple(np.round(xy, 9)) for coll in ax.collections for xy in coll.get_offsets()}
    for r in review.scores.itertuples():
        assert (round(r.current, 9), round(r.importance, 9)) in points
        assert names[r.quadrant] == (r.current >= vline, r.importance >= hline), r.principle


def test_one_rule_on_a_hand_built_case():
    # current/importance of five principles, every respondent alike: crosshairs at 4.0 (strength) and the mean
    # importance 4.2.  A: a strength that matters; B: a strength that matters less; C, D: important, not strengths
    # (priorities, D first: larger gap); E: not a strength and matters less (low priority, though its gap is big)
    values = {"A": (4.5, 4.8), "B": (4.2, 3.6), "C": (3.5, 4.5), "D": (2.5, 4.6), "E": (1.5, 3.5)}
    rows = [(f"r{i}", "X", p, "a", m, v) for i in range(6) for p, (c, imp) in values.items()
            for m, v in (("current", c), ("importance", imp))]  # fmt: skip
    responses = tidy(rows)
    scores = pl.principle_scores(responses, scale=(1, 5))
    assert scores.set_index("principle")["quadrant"].astype(str).to_dict() == {
        "A": "keep up the good work", "B": "possible overkill", "C": "concentrate here", "D": "concentrate here",
        "E": "low priority"}  # fmt: skip
    priorities = pl.analysis.priorities(scores)
    assert priorities["principle"].tolist() == ["D", "C"]
    ranking = strengths_and_gaps(scores)
    assert ranking.query("kind == 'strength'")["principle"].tolist() == ["A", "B"]
    text = plain(narrative.strengths_and_gaps_text(scores, period="2026", scale=(1, 5)))
    assert "A (4.5) and B (4.2) are lived at strength level (4.0 or more)" in text
    assert "The priority gaps are D (gap 2.1) and C (gap 1.0)" in text
    assert "E is below strength level too but matter less than the others" in text
    act = plain(narrative.act_first_text(priorities, scores, scale=(1, 5)))
    assert act.startswith("D (matters 4.6, lived 2.5: a gap of 2.1) and C (matters 4.5, lived 3.5: a gap of 1.0)")


@pytest.mark.parametrize(
    ("change", "where", "expected"),
    [
        ({"min_n": 12}, "method", "No figure is shown for a group of fewer than 12 respondents"),
        ({"min_n": 12}, "comments", "for organisations with at least 12 respondents"),
        ({"comments_min_n": 15}, "comments", "for organisations with at least 15 respondents"),
        ({"strength_from": 0.8}, "method", "a strength from 4.2 (80% of the way up the scale)"),
        ({"concern_below": 0.4}, "method", "a concern below 2.6 (40%)"),
        ({"favourable_points": 1}, "caption", "answers in the top 1 points of the scale"),
        ({"confidence": 0.9}, "caption", "would fall 90% of the time"),
        ({"significance": 0.01}, "method", "p < 0.01"),
        ({"difference_threshold": 0.8}, "method", "at least 0.8 points"),
        ({"alpha_threshold": 0.6}, "reliability", "below 0.6 its score is read with care"),
        ({"rate_threshold": 0.7}, "participation", "Response was below 70% for"),
        ({"closed_gap": 0.4}, "followup", "closed: a gap of 0.4 points or less"),
        ({"min_gap_change": 0.2}, "followup", "narrowed or widened: by at least 0.2"),
        ({"top": 1}, "summary", "Accountability (matters"),
    ],
)
def test_every_threshold_in_the_text_is_the_one_applied(change, where, expected):
    r = analyse_review(**INPUTS, method=change)
    assert getattr(r.method, next(iter(change))) == next(iter(change.values()))
    texts = {
        "method": narrative.method_note(scale=r.scale, method=r.method, dropped=r.survey.dropped,
                                        respondents=r.survey.respondents, period=r.period),
        "comments": narrative.comments_intro(method=r.method),
        "caption": narrative.scores_caption(scale=r.scale, method=r.method),
        "reliability": narrative.reliability_caption(method=r.method),
        "participation": narrative.participation_text(r.respondents, r.engagement, method=r.method),
        "followup": narrative.followup_text(r.followup, period=r.period, method=r.method),
        "summary": narrative.summary_text(r),
    }  # fmt: skip
    assert expected in plain(texts[where])
    if change == {"top": 1}:
        assert len(r.priorities) == 1 and "Trust (matters" not in plain(texts["summary"])
    if "min_n" in change:  # the comments shown follow the same minimum
        sizes = r.respondents.groupby("partner", observed=True).size()
        shown = set(r.comments.comments["partner"].astype(str))
        assert shown == {p for p, n in sizes.items() if n >= r.method.comments_threshold}


def test_hidden_rows_say_why_in_tables_two_reasons_two_wordings():
    scores = pd.DataFrame({
        "principle": ["A", "B", "C"], "n": pd.array([20, pd.NA, pd.NA], "Int64"), "current": [3.2, np.nan, np.nan],
        "ci_low": [3.0, np.nan, np.nan], "ci_high": [3.4, np.nan, np.nan], "importance": [4.0, np.nan, np.nan],
        "gap": [0.8, np.nan, np.nan], "favourable": [0.4, np.nan, np.nan], "band": ["borderline", None, None],
        "quadrant": ["concentrate here", None, None], "suppressed": [False, True, True],
        "hidden": [None, "fewer than 5 responses", "hidden to protect a smaller group"],
    })  # fmt: skip
    shown = scores_table(scores, scale=(1, 5)).set_index("Principle")
    assert shown.loc["B", "Responses"] == "fewer than 5 responses"
    assert shown.loc["C", "Responses"] == "hidden to protect a smaller group"
    assert shown.loc["A", "Likely range (95%)"] == "3.0–3.4" and shown.loc["A", "Gap (points)"] == "0.8"
    html = plain(table(scores).data)
    assert "fewer than 5 responses" in html and "hidden to protect a smaller group" in html
    assert "True" not in html and "False" not in html


def test_tables_have_no_true_false_no_empty_columns_and_headings_in_words(review):
    for frame in (
        report.tables.scores_table(review.scores, scale=review.scale, method=review.method),
        report.tables.priorities_table(review.priorities),
        report.tables.reliability_table(review.reliability, method=review.method),
    ):
        cells = frame.astype(str).to_numpy().ravel().tolist()
        assert not {"True", "False", "nan", "None", "<NA>"} & set(cells)
        assert all(not frame[c].isin(["", "–"]).all() for c in frame.columns)
        assert all(c == "" or c[0].isupper() for c in frame.columns)  # words, not column names
        assert not any("_" in c for c in frame.columns)
    shown = report.tables.scores_table(review.scores, scale=review.scale, method=review.method)
    gaps = shown["Gap (points)"].astype(float).tolist()
    assert gaps == sorted(gaps, reverse=True)  # largest gap first: what the reader looks for
    assert all(len(v.split(".")[-1]) == 1 for v in shown["Lived today (1–5)"])  # one decimal
