"""Estimators shared by the analysis modules (vectorised; NumPy, SciPy and statsmodels only, nothing of partnerlib).

Each function works on arrays of group summaries (means, standard deviations,
counts) so that thousands of comparisons cost one call, and each is tested
on its own against hand-computed values.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = [
    "adjust_p",
    "cronbach_alpha",
    "feldt_interval",
    "finite_population_factor",
    "hedges_g",
    "min_detectable_difference",
    "t_interval",
    "welch_test",
    "wilson_interval",
]

#: The multiple-comparison adjustments :func:`adjust_p` knows, by their statsmodels names.
ADJUSTMENTS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}


def adjust_p(p, method: str = "holm") -> np.ndarray:
    """p-values adjusted for testing a family of hypotheses at once (NaN entries are not part of the family).

    ``"holm"`` (Holm 1979) controls the chance of *any* false flag in the family: sort the ``m`` p-values,
    multiply the ``i``-th smallest by ``m - i + 1``, carry the running maximum up and cap at 1.
    ``"fdr_bh"`` (Benjamini & Hochberg 1995) controls the expected share of false flags among the flagged:
    the ``i``-th smallest times ``m / i``, with the running minimum taken from the largest down.
    Benjamini-Hochberg is :func:`scipy.stats.false_discovery_control`; Holm is computed here as just defined,
    because :func:`statsmodels.stats.multitest.multipletests` runs a full garbage collection on every Holm call
    (0.1 s in a kernel holding a review: half the time of a workshop chart).  Both are tested against
    ``multipletests``.
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"unknown adjustment {method!r}; expected one of {sorted(ADJUSTMENTS)}")
    p = np.asarray(p, float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    family = p[ok]
    if method == "fdr_bh":
        out[ok] = stats.false_discovery_control(family, method="bh")
        return out
    order = np.argsort(family, kind="stable")
    adjusted = np.empty(len(family))
    adjusted[order] = np.minimum(np.maximum.accumulate(family[order] * np.arange(len(family), 0, -1)), 1.0)
    out[ok] = adjusted
    return out


def finite_population_factor(n, population=None) -> np.ndarray:
    """The finite-population correction of a standard error, ``sqrt((N - n) / (N - 1))``.

    ``N`` is ``population`` (how many were invited), ``n`` how many answered.  1 where ``N`` is unknown (NaN or
    ``None``: an unlimited population), 0 where everyone answered (no sampling error: the figure *is* the
    population's).  Cochran (1977), section 2.5.
    """
    n = np.asarray(n, float)
    if population is None:
        return np.ones(n.shape)
    big_n = np.broadcast_to(np.asarray(population, float), n.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.sqrt(np.clip((big_n - n) / (big_n - 1), 0, 1))
    return np.where(np.isnan(big_n), 1.0, np.where(big_n <= 1, 0.0, factor))


def t_interval(mean, sd, n, level: float = 0.95, fpc=1.0):
    """Student-t confidence interval ``mean -/+ t(level, n-1) * fpc * sd / sqrt(n)`` (NaN where n < 2);
    ``fpc`` is :func:`finite_population_factor` (1: no correction)."""
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(fpc, float) * np.asarray(sd, float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return np.asarray(mean, float) - half, np.asarray(mean, float) + half


def welch_test(mean_a, sd_a, n_a, mean_b, sd_b, n_b, fpc_a=None, fpc_b=None):
    """Two-sided Welch's t-test from group summaries.

    Parameters
    ----------
    mean_a, sd_a, n_a, mean_b, sd_b, n_b : array-like
        Means, sample standard deviations (``ddof=1``) and sizes of the two groups.
    fpc_a, fpc_b : array-like, optional
        :func:`finite_population_factor` of each group: its variance term ``sd**2 / n`` is multiplied by
        ``fpc**2`` (and so are the Welch-Satterthwaite degrees of freedom's terms).  Where both groups are whole
        populations the difference is exact: ``p`` is 0 where the means differ, 1 where they are equal.

    Returns
    -------
    (t, p) : tuple of ndarray
        ``t = (mean_a - mean_b) / sqrt(sd_a**2/n_a + sd_b**2/n_b)`` with the
        Welch-Satterthwaite degrees of freedom; ``p`` is two-sided.  Both are
        NaN where a group has fewer than two members or both variances are 0
        (:func:`scipy.stats.ttest_ind_from_stats` with ``equal_var=False``).
    """
    n_a, n_b = np.asarray(n_a, float), np.asarray(n_b, float)
    ok = (n_a >= 2) & (n_b >= 2)
    if fpc_a is not None or fpc_b is not None:
        return _welch_finite(mean_a, sd_a, n_a, mean_b, sd_b, n_b, fpc_a, fpc_b, ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        t, p = stats.ttest_ind_from_stats(
            np.asarray(mean_a, float),
            np.asarray(sd_a, float),
            np.where(ok, n_a, 2),
            np.asarray(mean_b, float),
            np.asarray(sd_b, float),
            np.where(ok, n_b, 2),
            equal_var=False,
        )
    return np.where(ok, t, np.nan), np.where(ok, p, np.nan)


def _welch_finite(mean_a, sd_a, n_a, mean_b, sd_b, n_b, fpc_a, fpc_b, ok):
    """Welch's test with each variance term scaled by its finite-population factor squared."""
    f_a = np.ones(n_a.shape) if fpc_a is None else np.asarray(fpc_a, float)
    f_b = np.ones(n_b.shape) if fpc_b is None else np.asarray(fpc_b, float)
    diff = np.asarray(mean_a, float) - np.asarray(mean_b, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        v_a = f_a**2 * np.asarray(sd_a, float) ** 2 / n_a
        v_b = f_b**2 * np.asarray(sd_b, float) ** 2 / n_b
        se = np.sqrt(v_a + v_b)
        df = (v_a + v_b) ** 2 / (v_a**2 / (n_a - 1) + v_b**2 / (n_b - 1))
        t = diff / se
        p = 2 * stats.t.sf(np.abs(t), df)
        exact = se == 0
        t = np.where(exact, np.where(diff == 0, 0.0, np.copysign(np.inf, diff)), t)
    p = np.where(exact, np.where(diff == 0, 1.0, 0.0), p)
    return np.where(ok, t, np.nan), np.where(ok, p, np.nan)


def wilson_interval(share, n, level: float = 0.95, fpc=1.0):
    """Wilson (1927) score interval of a proportion ``share`` observed on ``n`` (NaN where ``n`` < 1).

    ``(share + z²/2m -/+ z sqrt(share (1 - share)/m + z²/4m²)) / (1 + z²/m)`` with ``z`` the normal quantile of
    ``level`` and ``m = n / fpc**2`` the effective size (``fpc`` from :func:`finite_population_factor`; where
    ``fpc`` is 0 everyone answered and the interval is the share itself).  Unlike ``share -/+ z se`` it stays
    within 0-1 and keeps its coverage near 0 and 1 with small ``n`` (Brown, Cai & DasGupta 2001).
    """
    share, n = np.asarray(share, float), np.asarray(n, float)
    fpc = np.broadcast_to(np.asarray(fpc, float), share.shape)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = n / fpc**2
        centre = (share + z**2 / (2 * m)) / (1 + z**2 / m)
        half = z / (1 + z**2 / m) * np.sqrt(share * (1 - share) / m + z**2 / (4 * m**2))
    low = np.where(fpc == 0, share, centre - half)
    high = np.where(fpc == 0, share, centre + half)
    ok = n >= 1
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)


def min_detectable_difference(sd, n_a, n_b, *, alpha: float = 0.05, power: float = 0.8):
    """Smallest difference of two means a two-sided two-sample t-test finds with probability ``power``.

    Cohen's ``d`` solved with :class:`statsmodels.stats.power.TTestIndPower` for groups of ``n_a`` and ``n_b``
    (level ``alpha``), times the pooled standard deviation ``sd``, in scale points.  NaN where a group has
    fewer than two members or ``sd`` is missing.
    """
    from statsmodels.stats.power import TTestIndPower

    sd, n_a, n_b = np.broadcast_arrays(np.asarray(sd, float), np.asarray(n_a, float), np.asarray(n_b, float))
    out = np.full(sd.shape, np.nan)
    solver = TTestIndPower()
    for i in np.ndindex(sd.shape):
        if n_a[i] >= 2 and n_b[i] >= 2 and np.isfinite(sd[i]):
            d = solver.solve_power(nobs1=n_a[i], ratio=n_b[i] / n_a[i], alpha=alpha, power=power)
            out[i] = float(np.asarray(d).ravel()[0]) * sd[i]
    return out


def hedges_g(mean_a, sd_a, n_a, mean_b, sd_b, n_b):
    """Hedges' g: standardised difference of two means, small-sample corrected.

    ``g = J * (mean_a - mean_b) / s_pooled`` with
    ``s_pooled = sqrt(((n_a - 1) sd_a**2 + (n_b - 1) sd_b**2) / (n_a + n_b - 2))``
    and ``J = 1 - 3 / (4 (n_a + n_b) - 9)`` (Hedges 1981's approximation).
    NaN where a group has fewer than two members or the pooled SD is 0.
    Conventional reading: about 0.2 small, 0.5 medium, 0.8 large.
    """
    n_a, n_b = np.asarray(n_a, float), np.asarray(n_b, float)
    sd_a, sd_b = np.asarray(sd_a, float), np.asarray(sd_b, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / (n_a + n_b - 2))
        g = (1 - 3 / (4 * (n_a + n_b) - 9)) * (np.asarray(mean_a, float) - np.asarray(mean_b, float)) / pooled
    return np.where((n_a >= 2) & (n_b >= 2) & (pooled > 0), g, np.nan)


def cronbach_alpha(matrix) -> float:
    """Cronbach's alpha of a respondents x statements matrix without missing values.

    ``alpha = k / (k - 1) * (1 - sum(var_j) / var(total))`` where ``k`` is the
    number of statements, ``var_j`` the sample variance (``ddof=1``) of
    statement ``j`` and ``var(total)`` that of each respondent's sum.  NaN when
    ``k < 2``, fewer than two respondents, or the totals do not vary.
    """
    x = np.asarray(matrix, float)
    if x.ndim != 2 or x.shape[1] < 2 or x.shape[0] < 2:
        return float("nan")
    k = x.shape[1]
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def feldt_interval(alpha, n, k, level: float = 0.95):
    """Feldt's (1965) confidence interval for Cronbach's alpha.

    ``[1 - (1 - alpha) F(1 - (1-level)/2), 1 - (1 - alpha) F((1-level)/2)]``
    where ``F(q)`` is the ``q`` quantile of the F distribution with ``n - 1``
    and ``(n - 1)(k - 1)`` degrees of freedom (``n`` respondents, ``k``
    statements).  NaN where ``alpha`` is NaN, ``n < 2`` or ``k < 2``.
    """
    alpha, n, k = np.asarray(alpha, float), np.asarray(n, float), np.asarray(k, float)
    ok = (n >= 2) & (k >= 2) & ~np.isnan(alpha)
    df1 = np.where(ok, n - 1, 1)
    df2 = np.where(ok, (n - 1) * (k - 1), 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return np.where(ok, low, np.nan), np.where(ok, high, np.nan)
