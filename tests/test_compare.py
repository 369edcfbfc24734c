"""perception_differences and period_change against hand-computed values."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlib import Method, PartnerDataError, perception_differences, period_change


def tidy(rows, scale=(1, 5)):
    """rows: (respondent, partner, role, period, principle, item, measure, score)."""
    df = pd.DataFrame(
        rows, columns=["respondent", "partner", "role", "period", "principle", "item", "measure", "score"]
    )
    for c in df.columns[:-1]:
        df[c] = df[c].astype("category")
    df["principle"] = df["principle"].cat.reorder_categories(sorted(df["principle"].cat.categories, reverse=True))
    df["score"] = df["score"].astype(float)
    return df


def _answers(resp, partner, period, principle, scores, role="Manager"):
    return [
        (resp, partner, role, period, principle, f"{principle.lower()}_{i}", "current", s)
        for i, s in enumerate(scores)
        if s is not None
    ]


# Side A: respondent means 4.5, 4 (one statement skipped), 5 -> mean 4.5, variance 0.25
# Side B: respondent means 3, 3, 4, 2 -> mean 3, variance 2/3
SIDE_A = [("a1", [5, 4]), ("a2", [4, None]), ("a3", [5, 5])]
SIDE_B = [("b1", [3, 3]), ("b2", [2, 4]), ("b3", [4, None]), ("b4", [2, 2])]


def two_sides(period="2025", principle="P"):
    rows = []
    for r, s in SIDE_A:
        rows += _answers(f"{r}{period}", "Alpha Co", period, principle, s)
    for r, s in SIDE_B:
        rows += _answers(f"{r}{period}", "Beta Ltd", period, principle, s)
    return rows


# Welch by hand: se^2 = 0.25/3 + (2/3)/4 = 0.25, t = 1.5/0.5 = 3
WELCH_DF = 0.25**2 / ((0.25 / 3) ** 2 / 2 + (2 / 12) ** 2 / 3)
WELCH_P = 2 * stats.t.sf(3.0, WELCH_DF)
# Hedges: pooled variance (2 * 0.25 + 3 * 2/3) / 5 = 0.5, J = 1 - 3/(4*7 - 9) = 16/19
HEDGES = 16 / 19 * 1.5 / np.sqrt(0.5)


def test_perception_difference_by_hand():
    gaps = perception_differences(tidy(two_sides()), method=Method(min_n=3, allow_small_groups=True))
    assert len(gaps) == 1
    g = gaps.iloc[0]
    assert (g["side_a"], g["side_b"], g["n_a"], g["n_b"]) == ("Alpha Co", "Beta Ltd", 3, 4)
    figures = ["current_a", "current_b", "difference", "p_value", "hedges_g"]
    assert g[figures].astype(float).tolist() == pytest.approx([4.5, 3.0, 1.5, WELCH_P, HEDGES])
    assert pytest.approx(4.909, abs=1e-3) == WELCH_DF and g["p_value"] < 0.05
    assert bool(g["flag"]) and not bool(g["suppressed"])


def test_small_difference_is_not_flagged_even_if_significant():
    rows = []
    for i in range(6):
        rows += _answers(f"a{i}", "A", "2025", "P", [4.0 + 0.01 * (i % 2)])
        rows += _answers(f"b{i}", "B", "2025", "P", [3.7 + 0.01 * (i % 2)])
    g = perception_differences(tidy(rows)).iloc[0]
    assert g["difference"] == pytest.approx(0.3)
    assert g["p_value"] < 0.05 and not bool(g["flag"])


def test_gap_with_a_side_below_minimum_is_hidden_whole():
    # side B has 4 respondents: below min_n=5, so both sides' figures are hidden
    g = perception_differences(tidy(two_sides()), method=Method(min_n=4, allow_small_groups=True)).iloc[0]
    assert bool(g["suppressed"]) and not bool(g["flag"])
    assert g[["current_a", "current_b", "difference", "p_value", "hedges_g"]].isna().all()
    assert pd.isna(g["n_a"]) and pd.isna(g["n_b"])


def test_three_values_give_every_pair_in_principle_order():
    rows = tidy(two_sides(principle="P") + two_sides(principle="Q")).copy()
    rows["role"] = (
        rows["respondent"]
        .astype(str)
        .map(lambda r: {"a": "Executive", "b": "Manager"}[r[0]] if r[1] in "12" else "Operational")
        .astype("category")
    )
    gaps = perception_differences(rows, between="role", method=Method(min_n=1, allow_small_groups=True))
    pairs = list(zip(gaps["side_a"], gaps["side_b"]))
    assert (
        pairs == [("Executive", "Manager")] * 2 + [("Executive", "Operational")] * 2 + [("Manager", "Operational")] * 2
    )
    assert gaps["principle"].astype(str).tolist()[:2] == ["Q", "P"]  # the categories' (codebook) order
    em = gaps.iloc[0]
    # Executive: a1 (4.5), a2 (4); Manager: b1 (3), b2 (3)
    assert em["current_a"] == pytest.approx(4.25) and em["current_b"] == pytest.approx(3.0)


def test_perception_differences_errors_name_the_problem():
    with pytest.raises(PartnerDataError, match="no such column"):
        perception_differences(tidy(two_sides()), between="site")
    one_side = tidy(_answers("a", "A", "2025", "P", [3]))
    with pytest.raises(PartnerDataError, match=r"only \['A'\]"):
        perception_differences(one_side)


def test_period_change_by_hand():
    # 2024 holds side B's pattern (mean 3), 2025 side A's (mean 4.5)
    early = [r for r in two_sides("2024") if r[1] == "Beta Ltd"]
    late = [r for r in two_sides("2025") if r[1] == "Alpha Co"]
    change = period_change(tidy(early + late), method=Method(min_n=3, allow_small_groups=True))
    assert len(change) == 1
    c = change.iloc[0]
    assert (c["period_from"], c["period_to"], c["n_from"], c["n_to"]) == ("2024", "2025", 4, 3)
    figures = ["current_from", "current_to", "change", "p_value", "hedges_g"]
    assert c[figures].astype(float).tolist() == pytest.approx([3.0, 4.5, 1.5, WELCH_P, HEDGES])
    assert c["direction"] == "improved"


def test_period_change_declined_and_unclear():
    early = [r for r in two_sides("2024") if r[1] == "Alpha Co"]
    late = [r for r in two_sides("2025") if r[1] == "Beta Ltd"]
    later = [(r[0] + "x", r[1], r[2], "2026", *r[4:]) for r in late]
    change = period_change(tidy(early + late + later), method=Method(min_n=3, allow_small_groups=True))
    assert change["period_from"].tolist() == ["2024", "2025"]
    assert change["change"].tolist() == pytest.approx([-1.5, 0.0])
    assert change["direction"].astype(str).tolist() == ["declined", "no clear change"]


def test_period_change_suppressed_period():
    early = [r for r in two_sides("2024") if r[1] == "Alpha Co"]
    late = [r for r in two_sides("2025") if r[1] == "Beta Ltd"]
    c = period_change(tidy(early + late), method=Method(min_n=4, allow_small_groups=True)).iloc[0]
    assert bool(c["suppressed"]) and pd.isna(c["direction"]) and np.isnan(c["change"])


def test_one_period_gives_an_empty_change_table():
    change = period_change(tidy(two_sides("2026")))
    assert change.empty
    assert "change" in change.columns and "direction" in change.columns


def test_complement_hides_the_next_smallest_group_in_every_pair():
    # roles: Executive 2, Manager 3, Operational 6 (min_n 3): Executive is too small, and Manager
    # (next smallest) is hidden too, else Executive = everyone - Manager - Operational.
    rows = []
    for role, size in {"Executive": 2, "Manager": 3, "Operational": 6}.items():
        for i in range(size):
            rows += _answers(f"{role}{i}", "A", "2025", "P", [3 + i % 2], role=role)
    gaps = perception_differences(tidy(rows), between="role", method=Method(min_n=3, allow_small_groups=True))
    assert list(zip(gaps["side_a"], gaps["side_b"], gaps["suppressed"])) == [
        ("Executive", "Manager", True),
        ("Executive", "Operational", True),
        ("Manager", "Operational", True),
    ]
    assert gaps["current_a"].isna().all() and gaps["current_b"].isna().all()
    # with min_n 2 nobody is too small and every pair is shown
    shown = perception_differences(tidy(rows), between="role", method=Method(min_n=2, allow_small_groups=True))
    assert not shown["suppressed"].any()
    # Manager answers 3, 4, 3; Operational 3, 4, 3, 4, 3, 4
    assert shown["current_b"].tolist() == pytest.approx([10 / 3, 3.5, 3.5])


def test_holm_adjustment_across_the_principles_of_one_comparison():
    small = Method(min_n=3, allow_small_groups=True)
    alone = perception_differences(tidy(two_sides()), method=small).iloc[0]
    assert alone["p_value"] == pytest.approx(WELCH_P) and alone["p_adjusted"] == pytest.approx(WELCH_P)
    assert 0.025 < WELCH_P < 0.05 and bool(alone["flag"])
    # Two principles, each p = WELCH_P: Holm multiplies the smaller by 2, the larger by 1, then takes the
    # running maximum, so both become 2 * WELCH_P > 0.05 and neither is flagged any more.
    both = perception_differences(tidy(two_sides(principle="P") + two_sides(principle="Q")), method=small)
    assert both["p_value"].tolist() == pytest.approx([WELCH_P] * 2)
    assert both["p_adjusted"].tolist() == pytest.approx([2 * WELCH_P] * 2)
    assert not both["flag"].any()
    bh = perception_differences(
        tidy(two_sides(principle="P") + two_sides(principle="Q")), method=small, adjust="fdr_bh"
    )
    assert bh["p_adjusted"].tolist() == pytest.approx([WELCH_P] * 2)  # BH: min over i >= k of p_(i) * m / i


def test_holm_adjustment_decides_a_change():
    early = [r for r in two_sides("2024", "P") + two_sides("2024", "Q") if r[1] == "Beta Ltd"]
    late = [r for r in two_sides("2025", "P") + two_sides("2025", "Q") if r[1] == "Alpha Co"]
    change = period_change(tidy(early + late), method=Method(min_n=3, allow_small_groups=True))
    assert change["p_value"].tolist() == pytest.approx([WELCH_P] * 2)
    assert change["p_adjusted"].tolist() == pytest.approx([2 * WELCH_P] * 2)
    assert change["direction"].astype(str).tolist() == ["no clear change"] * 2


def test_detectable_difference_from_the_groups_spread():
    from statsmodels.stats.power import TTestIndPower

    from partnerlib.analysis.power import detectable_differences

    got = detectable_differences(
        tidy(two_sides()),
        between="partner",
        a="Alpha Co",
        b="Beta Ltd",
        method=Method(min_n=3, allow_small_groups=True),
    ).iloc[0]
    # pooled SD by hand: sqrt((2 * 0.25 + 3 * 2/3) / 5) = sqrt(0.5)
    assert (got["n_a"], got["n_b"]) == (3, 4) and got["sd"] == pytest.approx(np.sqrt(0.5))
    d = TTestIndPower().solve_power(nobs1=3, ratio=4 / 3, alpha=0.05, power=0.8)
    assert got["detectable"] == pytest.approx(d * np.sqrt(0.5))
    hidden = detectable_differences(tidy(two_sides()), between="partner", a="Alpha Co", b="Beta Ltd").iloc[0]
    assert np.isnan(hidden["detectable"]) and hidden["hidden"] == "fewer than 5 responses"


def test_perception_difference_with_finite_populations():
    invited = pd.DataFrame({"partner": ["Alpha Co", "Beta Ltd"], "invited": [5, 6]})
    small = Method(min_n=3, allow_small_groups=True)
    g = perception_differences(tidy(two_sides()), method=small, population=invited).iloc[0]
    # 3 of 5 (fpc² = 2/4) and 4 of 6 (fpc² = 2/5): variance terms 0.25/3 * 0.5 and (2/3)/4 * 0.4
    va, vb = 0.5 * 0.25 / 3, 0.4 * (2 / 3) / 4
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 3)
    assert g["p_value"] == pytest.approx(2 * stats.t.sf(1.5 / np.sqrt(va + vb), df))
    assert g["p_value"] < WELCH_P
    census = pd.DataFrame({"partner": ["Alpha Co", "Beta Ltd"], "invited": [3, 4]})
    assert perception_differences(tidy(two_sides()), method=small, population=census).iloc[0]["p_value"] == 0.0
