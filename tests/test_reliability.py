"""reliability (Cronbach's alpha with Feldt's interval) against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from partnerlib import read_survey, reliability

LABELS = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
WORDS = {v: k for k, v in LABELS.items()}


def tidy(rows):
    """rows: (respondent, principle, item, score); all current."""
    df = pd.DataFrame(rows, columns=["respondent", "principle", "item", "score"])
    df["measure"] = "current"
    for c in ["respondent", "principle", "item", "measure"]:
        df[c] = df[c].astype("category")
    df["score"] = df["score"].astype(float)
    df.attrs["scale"] = (1, 5)
    return df


# Principle P: items a, b for r1..r4 = (1,2) (2,3) (3,3) (4,5); r5 skipped b and is left out.
# Item variances 5/3 and 19/12, totals 3,5,6,9 with variance 6.25 -> alpha = 2 (1 - 3.25/6.25) = 0.96.
ROWS = [
    (f"r{i}", "P", item, s)
    for i, pair in enumerate([(1, 2), (2, 3), (3, 3), (4, 5)], start=1)
    for item, s in zip("ab", pair)
] + [("r5", "P", "a", 5)]
# Principle Q: one statement.
ROWS += [(f"r{i}", "Q", "q", s) for i, s in enumerate([3, 4, 5], start=1)]
# Principle R: two statements that disagree: (1,5) (5,1) (3,3) -> item variances 4 and 4, totals all 6.
ROWS += [
    (f"r{i}", "R", item, s)
    for i, pair in enumerate([(1, 5), (5, 1), (3, 3), (2, 2)], start=1)
    for item, s in zip("cd", pair)
]


def test_alpha_and_feldt_interval_by_hand():
    rel = reliability(tidy(ROWS)).set_index("principle")
    p = rel.loc["P"]
    assert (p["items"], p["n"]) == (2, 4)  # r5 missed a statement: listwise left out
    assert p["alpha"] == pytest.approx(0.96)
    # F(3, 3) quantiles: 0.975 -> 15.4392, 0.025 -> 1/15.4392
    assert p["ci_low"] == pytest.approx(1 - 0.04 * 15.4392, abs=1e-4)
    assert p["ci_high"] == pytest.approx(1 - 0.04 / 15.4392, abs=1e-6)
    assert not p["flag"] and p["note"] == ""


def test_one_statement_alpha_is_undefined_and_said_so():
    q = reliability(tidy(ROWS)).set_index("principle").loc["Q"]
    assert q["items"] == 1 and np.isnan(q["alpha"]) and np.isnan(q["ci_low"])
    assert q["note"] == "one statement: alpha needs at least two statements and is undefined"
    assert not q["flag"]


def test_inconsistent_statements_are_flagged():
    r = reliability(tidy(ROWS)).set_index("principle").loc["R"]
    # items c = 1,5,3,2 (var 35/12) and d = 5,1,3,2 (var 35/12); totals 6,6,6,4 (var 1)
    assert r["alpha"] == pytest.approx(2 * (1 - (35 / 6) / 1))
    assert r["flag"]


def _codebook():
    return {
        "scale": {"min": 1, "max": 5, "labels": LABELS},
        "respondent": {"id": "ResponseId", "partner": "Q1"},
        "principles": {
            "Trust": [{"item": "t1", "current": "Q5_1"}, {"item": "t2", "current": "Q5_2", "reverse": True}]
        },
        "period": "2026",
    }


def test_reverse_keyed_statement_counts_in_its_reversed_direction(qualtrics):
    # t2 is worded negatively; people who agree with t1 disagree with t2.  Read through read_survey,
    # t2 = 6 - answer, so the pairs become (1,2) (2,3) (3,3) (4,5): alpha 0.96 as above.
    pairs = [(1, 4), (2, 3), (3, 3), (4, 1)]
    path = qualtrics(["Q1", "Q5_1", "Q5_2"], [{"Q1": "North", "Q5_1": WORDS[a], "Q5_2": WORDS[b]} for a, b in pairs])
    responses = read_survey(path, _codebook()).responses
    rel = reliability(responses).iloc[0]
    assert rel["principle"] == "Trust" and rel["alpha"] == pytest.approx(0.96)
    raw = tidy([(f"r{i}", "Trust", item, s) for i, pair in enumerate(pairs) for item, s in zip("ab", pair)])
    assert reliability(raw).iloc[0]["alpha"] < 0  # not reversing would make the scale look inconsistent
