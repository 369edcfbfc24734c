"""principle_scores and strengths_and_gaps against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from partnerlib import Method, PartnerDataError, principle_scores, strengths_and_gaps
from partnerlib.analysis.scores import band

from .conftest import tidy

# fmt: off
HAND = tidy([
    ("r1", "A", "P", "a", "current", 5), ("r1", "A", "P", "b", "current", 3),
    ("r2", "A", "P", "a", "current", 4),
    ("r3", "A", "P", "a", "current", 2), ("r3", "A", "P", "b", "current", 2),
    ("r1", "A", "P", "a", "importance", 5), ("r1", "A", "P", "b", "importance", 5),
    ("r2", "A", "P", "b", "importance", 3),
    ("r1", "A", "Q", "c", "current", 5), ("r2", "A", "Q", "c", "current", 5), ("r3", "A", "Q", "c", "current", 4),
    ("r1", "A", "Q", "c", "importance", 2), ("r2", "A", "Q", "c", "importance", 2),
    ("r3", "A", "Q", "c", "importance", 3),
])
# fmt: on


def test_respondent_mean_construction_by_hand():
    s = principle_scores(HAND, scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)).set_index("principle")
    p = s.loc["P"]
    # respondent means 4, 4, 2 -> mean 10/3, sd sqrt(4/3); t(0.975, 2) = 4.302653
    assert p["n"] == 3
    assert p["current"] == pytest.approx(10 / 3)
    half = 4.302653 * np.sqrt(4 / 3) / np.sqrt(3)
    assert p["ci_low"] == pytest.approx(10 / 3 - half, rel=1e-6)
    assert p["ci_high"] == pytest.approx(10 / 3 + half, rel=1e-6)
    assert p["importance"] == pytest.approx(4.0)  # respondent means 5 and 3
    assert p["gap"] == pytest.approx(4 - 10 / 3)
    assert p["favourable"] == pytest.approx(2 / 5)  # answers 5,3,4,2,2: two in the top two points
    assert p["band"] == "borderline" and s.loc["Q", "band"] == "strength"
    # crosshairs: current (10/3 + 14/3)/2 = 4, importance (4 + 7/3)/2 = 19/6
    assert p["quadrant"] == "concentrate here"
    assert s.loc["Q", "quadrant"] == "possible overkill"
    assert not s["suppressed"].any()


def test_gap_without_importance_uses_scale_maximum():
    only_current = HAND[HAND["measure"] == "current"].copy()
    s = principle_scores(only_current, scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)).set_index(
        "principle"
    )
    assert s.loc["P", "gap"] == pytest.approx(5 - 10 / 3)
    assert np.isnan(s.loc["P", "importance"])


def test_band_boundaries_on_five_and_seven_point_scales():
    assert list(band([4.0, 3.99, 3.0, 2.99], (1, 5))) == ["strength", "borderline", "borderline", "concern"]
    assert list(band([5.5, 5.49, 4.0, 3.99], (1, 7))) == ["strength", "borderline", "borderline", "concern"]


def test_seven_point_favourable_is_top_two_points():
    df = tidy([(f"r{i}", "A", "P", "a", "current", v) for i, v in enumerate([7, 6, 5, 4])])
    assert principle_scores(df, scale=(1, 7), method=Method(min_n=1, allow_small_groups=True))["favourable"].iloc[
        0
    ] == pytest.approx(0.5)


def _groups(sizes):
    rows = []
    for g, size in sizes.items():
        for i in range(size):
            rows.append((f"{g}{i}", g, "P", "a", "current", 3 + (i % 2)))
    return tidy(rows)


def test_small_group_is_suppressed_with_its_complement():
    s = principle_scores(
        _groups({"A": 3, "B": 2, "C": 4}), by="partner", scale=(1, 5), method=Method(min_n=3, allow_small_groups=True)
    ).set_index("partner")
    assert s["suppressed"].to_dict() == {"A": True, "B": True, "C": False}
    assert s.loc["B", "hidden"] == "fewer than 3 responses"  # the anonymity minimum of the analysis
    assert s.loc["A", "hidden"] == "hidden to protect a smaller group" and pd.isna(s.loc["C", "hidden"])
    assert s.loc[["A", "B"], ["n", "current", "ci_low", "importance", "gap", "favourable"]].isna().all().all()
    assert s.loc["C", "n"] == 4 and s.loc["C", "current"] == pytest.approx(3.5)


def test_two_small_groups_need_no_complement():
    s = principle_scores(
        _groups({"A": 2, "B": 2, "C": 4, "D": 5}),
        by="partner",
        scale=(1, 5),
        method=Method(min_n=3, allow_small_groups=True),
    ).set_index("partner")
    assert s["suppressed"].to_dict() == {"A": True, "B": True, "C": False, "D": False}


def test_no_group_suppressed_when_all_large_enough():
    s = principle_scores(_groups({"A": 5, "B": 5}), by="partner", scale=(1, 5), method=Method(min_n=5))
    assert not s["suppressed"].any() and s["n"].tolist() == [5, 5]


def test_scale_must_be_known():
    df = HAND.copy()
    with pytest.raises(PartnerDataError, match=r"pass scale=\(min, max\)"):
        principle_scores(df, scale=None)
    with pytest.raises(PartnerDataError, match=r"min must be below max"):
        principle_scores(df, scale=(5, 1))
    assert principle_scores(df, scale=(1, 5), method=Method(min_n=1, allow_small_groups=True))["band"].tolist() == [
        "borderline",
        "strength",
    ]


def test_strengths_and_gaps_ranking():
    scores = pd.DataFrame({"principle": ["A", "B", "C", "D", "E"], "n": [9] * 5, "current": [4.5, 3.0, 4.0, 2.5, 2.0],
                           "importance": [4.0, 4.8, 4.1, 4.5, 3.0], "suppressed": [False] * 5,
                           "band": ["strength", "borderline", "strength", "concern", "concern"],
                           "quadrant": ["possible overkill", "concentrate here", "keep up the good work",
                                        "concentrate here", "low priority"]})  # fmt: skip
    scores["gap"] = scores["importance"] - scores["current"]
    r = strengths_and_gaps(scores, top=2)
    assert r[r["kind"] == "strength"]["principle"].tolist() == ["A", "C"]
    assert r[r["kind"] == "priority"]["principle"].tolist() == ["D", "B"]  # E's gap is large but it matters less
    assert r["rank"].tolist() == [1, 2, 1, 2]


def test_group_sums_matches_pandas_groupby():
    from partnerlib.analysis.aggregate import group_sums, respondent_means

    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "respondent": pd.Categorical(rng.integers(0, 40, n).astype(str)),
            "partner": rng.choice(["A", "B", None], n),  # plain text with missing keys: left out, as groupby does
            "principle": pd.Categorical(rng.choice(["P", "Q", "R"], n), categories=["R", "Q", "P", "unused"]),
            "measure": pd.Categorical(rng.choice(["current", "importance"], n)),
            "score": rng.integers(1, 6, n).astype(float),
        }
    )
    keys = ["partner", "principle", "respondent", "measure"]
    ours = group_sums(frame, keys, {"score": frame["score"].to_numpy()})
    theirs = frame.groupby(keys, observed=True)["score"].sum().reset_index()
    merged = theirs.merge(ours.astype({"partner": object}), on=keys, suffixes=("", "_ours"), how="outer")
    assert len(merged) == len(theirs) == len(ours)
    np.testing.assert_allclose(merged["score_ours"], merged["score"])
    assert isinstance(ours["principle"].dtype, pd.CategoricalDtype)
    assert list(ours["principle"].cat.categories) == ["R", "Q", "P", "unused"]
    means = respondent_means(frame.dropna(subset=["partner"]), by="partner")
    pandas_means = frame.groupby(keys, observed=True)["score"].mean().reset_index()
    check = pandas_means.merge(means.astype({"partner": object}), on=keys, suffixes=("", "_ours"))
    assert len(check) == len(pandas_means) == len(means)
    np.testing.assert_allclose(check["score_ours"], check["score"])


def test_wilson_interval_of_favourable_and_finite_population_correction():
    from statsmodels.stats.proportion import proportion_confint

    small = Method(min_n=1, allow_small_groups=True)
    s = principle_scores(HAND, scale=(1, 5), method=small).set_index("principle")
    # P: 2 of 5 answers favourable, over 3 respondents: Wilson with n = 3 and share 0.4
    low, high = proportion_confint(0.4 * 3, 3, alpha=0.05, method="wilson")
    assert (s.loc["P", "favourable_low"], s.loc["P", "favourable_high"]) == pytest.approx((low, high))
    # 3 of 5 invited: the interval's half-width shrinks by sqrt((5 - 3) / (5 - 1)), the centre stays
    finite = principle_scores(HAND, scale=(1, 5), method=small, population=pd.DataFrame({"invited": [5]}))
    finite = finite.set_index("principle")
    half = (s.loc["P", "ci_high"] - s.loc["P", "ci_low"]) / 2
    assert (finite.loc["P", "ci_high"] - finite.loc["P", "ci_low"]) / 2 == pytest.approx(half * np.sqrt(2 / 4))
    assert finite.loc["P", "current"] == pytest.approx(s.loc["P", "current"])
    # Everyone invited answered: no sampling error at all
    census = principle_scores(HAND, scale=(1, 5), method=small, population=pd.DataFrame({"invited": [3]}))
    assert (census["ci_low"] == census["current"]).all() and (census["ci_high"] == census["current"]).all()
    assert (census["favourable_low"] == census["favourable"]).all()
    with pytest.raises(PartnerDataError, match="3 people answered but the roster says 2 were invited"):
        principle_scores(HAND, scale=(1, 5), method=small, population=pd.DataFrame({"invited": [2]}))


def test_invited_counts_by_group():
    from partnerlib.analysis.population import invited_counts

    roster = pd.DataFrame({"partner": ["A", "A", "B"], "role": ["x", "y", "x"], "invited": [3, 4, 5]})
    assert invited_counts(roster, "partner").to_dict("list") == {"partner": ["A", "B"], "invited": [7, 5]}
    assert invited_counts(roster)["invited"].tolist() == [12]
