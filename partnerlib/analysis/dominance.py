"""Relative-importance estimators: general dominance, relative weights, bootstrap correlations (NumPy only).

Every function works from correlation matrices whose last row and column is the
outcome, stacked along leading axes, so that a review's point estimate and all
its bootstrap resamples cost one call.  Nothing here knows of frames or of
partnerlib; each estimator is tested on its own against an exhaustive
computation with ordinary least squares.
"""

from __future__ import annotations

from functools import cache
from math import factorial

import numpy as np

__all__ = ["all_subset_r2", "bootstrap_correlations", "general_dominance", "relative_weights"]


@cache
def _subsets_by_size(p: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """For each size k = 1..p: the bit masks of the subsets of k of p predictors, and their members (m x k)."""
    masks = np.arange(1, 2**p)
    members = (masks[:, None] >> np.arange(p)) & 1
    sizes = members.sum(axis=1)
    out = []
    for k in range(1, p + 1):
        chosen = masks[sizes == k]
        idx = np.nonzero(members[sizes == k])[1].reshape(len(chosen), k)
        out.append((chosen, idx))
    return tuple(out)


@cache
def _shapley_map(p: int) -> np.ndarray:
    """The ``2**p x p`` matrix ``M`` such that ``R2_all_subsets @ M`` is the general-dominance weights.

    Predictor ``j``'s weight is ``sum_S s!(p-s-1)!/p! * (R2(S + j) - R2(S))`` over the subsets ``S``
    without ``j`` (``s = |S|``): the mean, over subset sizes, of the mean gain in R² from adding ``j``.
    """
    masks = np.arange(2**p)
    popcount = ((masks[:, None] >> np.arange(p)) & 1).sum(axis=1)
    weight = np.array([factorial(s) * factorial(p - s - 1) / factorial(p) if s < p else 0.0 for s in range(p + 1)])
    m = np.zeros((2**p, p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        w = weight[popcount[without]]
        m[without | (1 << j), j] += w
        m[without, j] -= w
    return m


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a^-1 b`` for stacks of small systems; the pseudo-inverse where a matrix is singular."""
    try:
        return np.linalg.solve(a, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return (np.linalg.pinv(a) @ b[..., None])[..., 0]


def all_subset_r2(corr) -> np.ndarray:
    """R² of the outcome's regression on every subset of the predictors.

    Parameters
    ----------
    corr : array-like, shape (..., p + 1, p + 1)
        Correlation matrices of ``p`` predictors and, last, the outcome.

    Returns
    -------
    ndarray, shape (..., 2**p)
        Entry ``mask`` is ``r_S' R_SS^-1 r_S`` for the predictors ``S`` whose bits are set in ``mask``
        (``R_SS`` their correlations, ``r_S`` their correlations with the outcome); entry 0 is 0.
    """
    corr = np.asarray(corr, float)
    p = corr.shape[-1] - 1
    rxx, rxy = corr[..., :p, :p], corr[..., :p, p]
    out = np.zeros((*corr.shape[:-2], 2**p))
    for masks, idx in _subsets_by_size(p):
        a = rxx[..., idx[:, :, None], idx[:, None, :]]
        b = rxy[..., idx]
        out[..., masks] = (b * _solve(a, b)).sum(axis=-1)
    return out


def general_dominance(corr) -> np.ndarray:
    """General-dominance (LMG / Shapley) weights of each predictor in the outcome's R².

    Parameters
    ----------
    corr : array-like, shape (..., p + 1, p + 1)
        Correlation matrices of ``p`` predictors and, last, the outcome.

    Returns
    -------
    ndarray, shape (..., p)
        Predictor ``j``'s weight: the average over subset sizes ``k = 0..p-1`` of its average increase in R²
        when added to a model of ``k`` other predictors (Budescu 1993; Azen & Budescu 2003), equal to the
        Shapley value of R² (Lindeman, Merenda & Gold 1980).  The weights sum to the full model's R².
    """
    corr = np.asarray(corr, float)
    return all_subset_r2(corr) @ _shapley_map(corr.shape[-1] - 1)


def relative_weights(corr) -> np.ndarray:
    """Johnson's (2000) relative weights of each predictor in the outcome's R².

    The predictors are replaced by their closest orthogonal counterparts ``Z = X R^-1/2``; the outcome's
    R² splits exactly over ``Z`` (squared coefficients ``beta = R^-1/2 r``), and each part is shared back
    to the predictors in proportion to ``Lambda_jk**2`` where ``Lambda = R^1/2``.  Weight
    ``eps_j = sum_k Lambda_jk**2 beta_k**2``; the weights sum to R².  Costs one eigendecomposition,
    so it serves where general dominance (``2**p`` regressions) is too costly.

    Parameters
    ----------
    corr : array-like, shape (..., p + 1, p + 1)

    Returns
    -------
    ndarray, shape (..., p)
    """
    corr = np.asarray(corr, float)
    p = corr.shape[-1] - 1
    rxx, rxy = corr[..., :p, :p], corr[..., :p, p]
    vals, vecs = np.linalg.eigh(rxx)
    root = vecs @ (np.sqrt(np.clip(vals, 0, None))[..., :, None] * np.swapaxes(vecs, -1, -2))
    beta = _solve(root, rxy)
    return ((root**2) @ (beta**2)[..., None])[..., 0]


def bootstrap_correlations(data, resamples: int, rng: np.random.Generator, *, chunk: int = 25) -> np.ndarray:
    """Correlation matrices of ``resamples`` bootstrap resamples of the rows of ``data``.

    Each resample draws ``n`` rows with replacement (``rng.integers``); its moments are computed from the
    count of each row (``counts @ data`` and ``counts @ products``) so that no resample is copied.
    Columns are centred on the full sample first, for accuracy.

    Parameters
    ----------
    data : array-like, shape (n, q)
    resamples : int
    rng : numpy.random.Generator
        Seeded by the caller, so that the intervals are reproducible.
    chunk : int
        Resamples counted at once (bounds memory to about ``chunk * n`` numbers).

    Returns
    -------
    ndarray, shape (resamples, q, q)
        NaN where a resample leaves a column without variance.
    """
    z = np.asarray(data, float)
    n, q = z.shape
    z = z - z.mean(axis=0)
    iu = np.triu_indices(q)
    products = z[:, iu[0]] * z[:, iu[1]]
    moments = np.hstack([z, products])
    out = np.empty((resamples, q, q))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        draws = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        counts = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n).astype(float)
        sums = counts @ moments / n
        mean = sums[:, :q]
        second = np.zeros((size, q, q))
        second[:, iu[0], iu[1]] = sums[:, q:]
        second[:, iu[1], iu[0]] = sums[:, q:]
        cov = second - mean[:, :, None] * mean[:, None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
            out[start : start + size] = cov / (sd[:, :, None] * sd[:, None, :])
    return out
