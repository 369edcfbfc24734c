"""The estimators of partnerlib._statistics against hand-computed values."""

import numpy as np
import pytest
from scipy import stats

from partnerlib.analysis.estimators import cronbach_alpha, feldt_interval, hedges_g, welch_test

A = np.array([1.0, 2, 3, 4])  # mean 2.5, variance 5/3
B = np.array([2.0, 4, 6])  # mean 4, variance 4


def test_welch_test_by_hand():
    # se^2 = (5/3)/4 + 4/3 = 1.75; t = -1.5 / sqrt(1.75)
    # df = 1.75^2 / ((5/12)^2/3 + (4/3)^2/2) = 3.0625 / 0.946759...
    t, p = welch_test(2.5, np.sqrt(5 / 3), 4, 4.0, 2.0, 3)
    assert t == pytest.approx(-1.5 / np.sqrt(1.75))
    df = 3.0625 / ((5 / 12) ** 2 / 3 + (4 / 3) ** 2 / 2)
    assert df == pytest.approx(3.2347, abs=1e-4)
    assert p == pytest.approx(2 * stats.t.sf(1.5 / np.sqrt(1.75), df))
    # the same as scipy on the raw data
    assert p == pytest.approx(stats.ttest_ind(A, B, equal_var=False).pvalue)


def test_welch_test_needs_two_per_group():
    t, p = welch_test([3.0, 2.5], [0.0, np.sqrt(5 / 3)], [1, 4], [4.0, 4.0], [1.0, 2.0], [5, 3])
    assert np.isnan(t[0]) and np.isnan(p[0])
    assert not np.isnan(p[1])


def test_hedges_g_by_hand():
    # pooled variance (3 * 5/3 + 2 * 4) / 5 = 2.6; J = 1 - 3/(4*7 - 9) = 16/19
    g = hedges_g(2.5, np.sqrt(5 / 3), 4, 4.0, 2.0, 3)
    assert g == pytest.approx(16 / 19 * -1.5 / np.sqrt(2.6))
    assert g == pytest.approx(-0.783378, abs=1e-6)


def test_hedges_g_undefined_without_spread():
    assert np.isnan(hedges_g(3.0, 0.0, 5, 3.0, 0.0, 5))


def test_cronbach_alpha_by_hand():
    x = [[1, 2], [2, 3], [3, 3], [4, 5]]
    # item variances 5/3 and 19/12 (sum 3.25); totals 3,5,6,9 have variance 6.25
    assert cronbach_alpha(x) == pytest.approx(2 * (1 - 3.25 / 6.25))
    assert cronbach_alpha(x) == pytest.approx(0.96)


def test_cronbach_alpha_undefined_cases():
    assert np.isnan(cronbach_alpha([[1], [2], [3]]))  # one statement
    assert np.isnan(cronbach_alpha([[1, 2]]))  # one respondent
    assert np.isnan(cronbach_alpha([[3, 3], [3, 3]]))  # no variation


def test_feldt_interval_by_hand():
    # n = 4, k = 2: F(3, 3); the table value F_0.975(3, 3) = 15.4392, and F_0.025(3, 3) = 1/15.4392
    low, high = feldt_interval(0.96, 4, 2)
    assert low == pytest.approx(1 - 0.04 * 15.4392, abs=1e-4)
    assert high == pytest.approx(1 - 0.04 / 15.4392, abs=1e-6)


def test_feldt_interval_missing_where_alpha_is():
    low, high = feldt_interval([np.nan, 0.8], [10, 1], [3, 3])
    assert np.isnan(low).all() and np.isnan(high).all()
