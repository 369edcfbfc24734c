"""Estimators of partnerlib.analysis.estimators against hand computation and a second library."""

import numpy as np
import pytest

from partnerlib.analysis.estimators import adjust_p


def test_adjust_p_by_hand_and_leaves_missing_out():
    p = [0.01, np.nan, 0.04, 0.03, 0.2]
    # Holm, m = 4: sorted 0.01, 0.03, 0.04, 0.2 -> x4, x3, x2, x1 = 0.04, 0.09, 0.08, 0.2 -> running max
    np.testing.assert_allclose(adjust_p(p, "holm"), [0.04, np.nan, 0.09, 0.09, 0.2])
    # Benjamini-Hochberg: p_(i) * 4 / i = 0.04, 0.06, 0.0533, 0.2 -> running min from the top
    np.testing.assert_allclose(adjust_p(p, "fdr_bh"), [0.04, np.nan, 0.16 / 3, 0.16 / 3, 0.2])
    assert np.isnan(adjust_p([np.nan, np.nan])).all()
    with pytest.raises(ValueError, match="unknown adjustment 'bonf'"):
        adjust_p(p, "bonf")


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjust_p_matches_statsmodels_with_ties_and_large_values(method):
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    for m in (1, 2, 7, 60):
        p = rng.uniform(0, 1, m) ** 3
        p[: m // 3] = p[0]  # ties
        p[-1:] = 1.0
        np.testing.assert_allclose(adjust_p(p, method), multipletests(p, method=method)[1], rtol=1e-12)


def test_holm_runs_no_garbage_collection():
    import gc

    before = gc.get_stats()[2]["collections"]
    adjust_p([0.01, 0.02, 0.5], "holm")
    assert gc.get_stats()[2]["collections"] == before


def test_wilson_interval_matches_statsmodels_and_hand():
    from statsmodels.stats.proportion import proportion_confint

    from partnerlib.analysis.estimators import wilson_interval

    counts, n = np.array([0, 3, 12, 20]), np.array([20, 20, 20, 20])
    low, high = wilson_interval(counts / n, n)
    ref_low, ref_high = proportion_confint(counts, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)
    # By hand for 12 of 20: z = 1.95996, centre (0.6 + z²/40) / (1 + z²/20)
    z = 1.959963984540054
    centre = (0.6 + z**2 / 40) / (1 + z**2 / 20)
    half = z / (1 + z**2 / 20) * np.sqrt(0.6 * 0.4 / 20 + z**2 / 1600)
    assert (low[2], high[2]) == pytest.approx((centre - half, centre + half))
    # A finite population: the effective size is n / fpc², so 12 of 20 out of 39 invited (fpc² = 19/38 = 1/2)
    # is Wilson's interval for 24 of 40.
    fpc_low, fpc_high = wilson_interval(0.6, 20, fpc=np.sqrt(19 / 38))
    assert (fpc_low, fpc_high) == pytest.approx(proportion_confint(24, 40, method="wilson"))
    everyone = wilson_interval(0.6, 20, fpc=0.0)
    assert everyone == (pytest.approx(0.6), pytest.approx(0.6))
    assert np.isnan(wilson_interval(np.nan, 0)[0])


def test_finite_population_factor_by_hand():
    from partnerlib.analysis.estimators import finite_population_factor

    f = finite_population_factor([20, 30, 5, 5], [30, 30, np.nan, 1_000_000])
    assert f.tolist() == pytest.approx([np.sqrt(10 / 29), 0.0, 1.0, np.sqrt(999_995 / 999_999)])
    assert finite_population_factor([5, 6]).tolist() == [1.0, 1.0]


def test_welch_with_finite_populations():
    from scipy import stats

    from partnerlib.analysis.estimators import welch_test

    args = (4.5, 0.5, 3, 3.0, np.sqrt(2 / 3), 4)
    t, p = welch_test(*args, fpc_a=1.0, fpc_b=1.0)
    ref = stats.ttest_ind_from_stats(*args, equal_var=False)
    assert (float(t), float(p)) == pytest.approx((ref.statistic, ref.pvalue))
    # Side A 3 of 5 invited (fpc² = 2/4), side B 4 of 6 (fpc² = 2/5): by hand
    va, vb = 0.5 * 0.25 / 3, 0.4 * (2 / 3) / 4
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 3)
    t, p = welch_test(*args, fpc_a=np.sqrt(0.5), fpc_b=np.sqrt(0.4))
    assert float(t) == pytest.approx(1.5 / np.sqrt(va + vb))
    assert float(p) == pytest.approx(2 * stats.t.sf(1.5 / np.sqrt(va + vb), df))
    # Everyone answered on both sides: the difference is the populations' own, with no sampling error.
    assert float(welch_test(*args, fpc_a=0.0, fpc_b=0.0)[1]) == 0.0
    assert float(welch_test(4.0, 0.5, 3, 4.0, 0.5, 4, fpc_a=0.0, fpc_b=0.0)[1]) == 1.0


def test_min_detectable_difference_has_the_stated_power():
    from scipy import stats

    from partnerlib.analysis.estimators import min_detectable_difference

    sd, n_a, n_b = 0.9, 20, 25
    mdd = float(min_detectable_difference(sd, n_a, n_b)[()])
    # Power of Student's two-sample test at that difference, from the noncentral t distribution (not statsmodels)
    df = n_a + n_b - 2
    nc = mdd / sd / np.sqrt(1 / n_a + 1 / n_b)
    crit = stats.t.ppf(0.975, df)
    power = stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)
    assert power == pytest.approx(0.8, abs=1e-6)
    assert 0.7 < mdd < 0.8  # about 2.8 standard errors
    assert np.isnan(min_detectable_difference(0.9, 1, 20)).all()
