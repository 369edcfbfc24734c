"""Pulse check-ins: the paired and Welch comparisons against hand computations, and the anonymity rules."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlib import Method, PartnerDataError
from partnerlib.analysis.pulse import PAIRS_WOULD_DISCLOSE, action_status, pulse_change


def tidy(people: dict[str, dict[str, list]], period: str) -> pd.DataFrame:
    """people: respondent -> principle -> its statements' current answers (None: not answered)."""
    rows = []
    for resp, principles in people.items():
        for principle, answers in principles.items():
            for i, s in enumerate(answers):
                if s is not None:
                    rows.append((resp, "Alpha Co", "Manager", period, principle, f"{principle}_{i}", "current", s))
    df = pd.DataFrame(rows, columns=["respondent", "partner", "role", "period", "principle", "item", "measure",
                                     "score"])  # fmt: skip
    for c in df.columns[:-1]:
        df[c] = df[c].astype("category")
    df["score"] = df["score"].astype(float)
    return df


# Six people answered both; their principle score (mean of two statements) before and after:
BEFORE = {"p1": [3, 4], "p2": [2, 2], "p3": [4, 4], "p4": [3, None], "p5": [2, 3], "p6": [5, 4]}
AFTER = {"p1": [4, 4], "p2": [3, 2], "p3": [4, 5], "p4": [4, 4], "p5": [3, 3], "p6": [5, 5]}
# means: before 3.5, 2, 4, 3, 2.5, 4.5; after 4, 2.5, 4.5, 4, 3, 5 -> differences .5 .5 .5 1 .5 .5
DIFFS = np.array([0.5, 0.5, 0.5, 1.0, 0.5, 0.5])


def _by_hand_paired(d, level=0.95):
    n = len(d)
    mean, sd = d.mean(), d.std(ddof=1)
    t = mean / (sd / np.sqrt(n))
    p = 2 * stats.t.sf(abs(t), n - 1)
    half = stats.t.ppf((1 + level) / 2, n - 1) * sd / np.sqrt(n)
    return mean, mean - half, mean + half, p


def test_paired_test_on_respondents_present_in_both():
    baseline = tidy({k: {"Trust": v} for k, v in BEFORE.items()}, "2026")
    pulse = tidy({k: {"Trust": v} for k, v in AFTER.items()}, "2026-Q3")
    out = pulse_change(baseline, pulse, method=Method(min_n=5)).set_index("principle")
    row = out.loc["Trust"]
    mean, low, high, p = _by_hand_paired(DIFFS)
    assert row["test"] == "paired" and row["n_pairs"] == 6
    assert row["change"] == pytest.approx(mean) == pytest.approx(7 / 12)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["p_value"] == pytest.approx(p)
    assert row["baseline"] == pytest.approx(19.5 / 6) and row["pulse"] == pytest.approx(23 / 6)
    assert row["direction"] == "improved"  # p about 0.0004


def _welch_by_hand(a, b, level=0.95):
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff = a.mean() - b.mean()
    half = stats.t.ppf((1 + level) / 2, df) * se
    return diff, diff - half, diff + half, 2 * stats.t.sf(abs(diff / se), df)


def test_welch_test_where_nobody_answered_both():
    before = {f"b{i}": {"Trust": [s]} for i, s in enumerate([2, 3, 3, 4, 2, 3, 3])}
    after = {f"a{i}": {"Trust": [s]} for i, s in enumerate([4, 5, 3, 4, 5, 4])}
    out = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5)).iloc[0]
    diff, low, high, p = _welch_by_hand(np.array([4, 5, 3, 4, 5, 4.0]), np.array([2, 3, 3, 4, 2, 3, 3.0]))
    assert out["test"] == "independent" and pd.isna(out["n_pairs"])
    assert (out["n_baseline"], out["n_pulse"]) == (7, 6)
    assert out["change"] == pytest.approx(diff) == pytest.approx(25 / 6 - 20 / 7)
    assert (out["ci_low"], out["ci_high"], out["p_value"]) == (pytest.approx(low), pytest.approx(high),
                                                                pytest.approx(p))  # fmt: skip


def test_too_few_pairs_falls_back_to_welch_on_everyone():
    before = {f"b{i}": {"Trust": [s]} for i, s in enumerate([2, 3, 3, 4, 2, 3])}
    after = {f"a{i}": {"Trust": [s]} for i, s in enumerate([4, 5, 3, 4, 5])} | {"b0": {"Trust": [3]}}
    out = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5)).iloc[0]
    assert out["test"] == "independent" and pd.isna(out["n_pairs"])
    assert out["p_value"] == pytest.approx(stats.ttest_ind([4, 5, 3, 4, 5, 3], [2, 3, 3, 4, 2, 3],
                                                           equal_var=False).pvalue)  # fmt: skip


def test_small_groups_are_hidden_whole():
    before = {f"b{i}": {"Trust": [3], "Respect": [4]} for i in range(6)}
    after = {f"b{i}": {"Trust": [4], "Respect": [5]} for i in range(4)}  # 4 < min_n 5
    out = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5))
    assert out["suppressed"].all()
    assert out[["n_baseline", "n_pulse", "n_pairs"]].isna().all().all()
    assert out[["baseline", "pulse", "change", "ci_low", "ci_high", "p_value"]].isna().all().all()
    assert (out["hidden"] == "fewer than 5 responses").all() and out["direction"].isna().all()


def test_pairs_are_not_shown_where_the_rest_would_be_a_small_group():
    # 6 pairs, and 2 people answered only the pulse: 8 - 6 = 2 would be recoverable from the counts
    before = {f"p{i}": {"Trust": [3 + (i % 2)]} for i in range(6)}
    after = {f"p{i}": {"Trust": [4 + (i % 3 == 0)]} for i in range(6)} | {"x1": {"Trust": [1]}, "x2": {"Trust": [2]}}
    out = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5)).iloc[0]
    assert out["test"] == "independent" and pd.isna(out["n_pairs"]) and out["hidden"] == PAIRS_WOULD_DISCLOSE
    assert (out["n_baseline"], out["n_pulse"]) == (6, 8)
    pulse_scores = [4 + (i % 3 == 0) for i in range(6)] + [1, 2]
    assert out["change"] == pytest.approx(np.mean(pulse_scores) - 3.5)
    # with 5 more pulse-only people (7 outside the pairs) the paired test is used
    after |= {f"y{i}": {"Trust": [3]} for i in range(5)}
    again = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5)).iloc[0]
    assert again["test"] == "paired" and again["n_pairs"] == 6 and pd.isna(again["hidden"])


def test_a_principle_the_baseline_lacks_is_refused():
    before = {f"b{i}": {"Trust": [3]} for i in range(6)}
    after = {f"b{i}": {"Mutual trust": [4]} for i in range(6)}
    with pytest.raises(PartnerDataError, match=r"principles the annual survey does not have: \['Mutual trust'\]"):
        pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"))


def test_action_status_counts_each_principles_actions():
    actions = pd.DataFrame({"principle": ["Trust", "Trust", "Respect", "Trust"],
                            "status": ["done", "in progress", "done", "cancelled"]})  # fmt: skip
    out = action_status(actions, ["Trust", "Accountability"]).set_index("principle")
    assert out.loc["Trust", ["actions", "open", "done", "in progress", "cancelled"]].tolist() == [3, 1, 1, 1, 1]
    assert out.loc["Accountability", ["actions", "open"]].tolist() == [0, 0]


def test_pulse_chart_draws_each_shown_change_and_says_why_one_is_hidden():
    from partnerlib.plots import pulse_changes

    before = {f"p{i}": {"Trust": [3, 4], "Respect": [4]} for i in range(6)}
    after = {f"p{i}": {"Trust": [4, 4 + i % 2]} | ({"Respect": [5]} if i < 3 else {}) for i in range(6)}
    change = pulse_change(tidy(before, "2026"), tidy(after, "2026-Q3"), method=Method(min_n=5))
    ax = pulse_changes(change)
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(dots) == 1 and dots[0].get_xdata()[0] == pytest.approx(change.loc[0, "change"]) == pytest.approx(0.75)
    span = [line for line in ax.get_lines() if line.get_marker() != "o" and len(line.get_xdata()) == 2
            and line.get_ydata()[0] == dots[0].get_ydata()[0]]  # fmt: skip
    assert list(span[0].get_xdata()) == [
        pytest.approx(change.loc[0, "ci_low"]),
        pytest.approx(change.loc[0, "ci_high"]),
    ]
    texts = [t.get_text() for t in ax.texts]
    assert "+0.75 (paired)" in texts and "fewer than 5 responses" in texts
    ticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
    assert (
        list(change["principle"]) == ["Trust", "Respect"] and ticks["Trust"] > ticks["Respect"]
    )  # frame order, top down
