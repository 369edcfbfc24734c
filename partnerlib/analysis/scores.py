"""Principle scores and the strengths-versus-gaps ranking (pure functions).

Every figure is built from *respondent means*: first each respondent's mean
of a principle's statements, then statistics over respondents, so that a
respondent who answered more statements does not weigh more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import BANDS, QUADRANTS
from .aggregate import as_list, check_scale, group_sums, respondent_means
from .estimators import t_interval
from .suppression import complementary_suppression

#: The figures of a principle's score, in the order of the table (all hidden for a suppressed group).
FIGURES = ["n", "current", "ci_low", "ci_high", "importance", "gap", "favourable"]


def band(current, scale, *, method: Method = METHOD) -> np.ndarray:
    """The band of each current score: ``strength`` where ``(current - min)/(max - min) >= method.strength_from``
    (0.75: 4.0 on 1-5), ``concern`` where it is ``< method.concern_below`` (0.5: 3.0 on 1-5), else ``borderline``."""
    lo, hi = check_scale(scale)
    pos = (np.asarray(current, float) - lo) / (hi - lo)
    out = np.where(
        pos >= method.strength_from, "strength", np.where(pos < method.concern_below, "concern", "borderline")
    )
    out = out.astype(object)
    out[np.isnan(pos)] = None
    return out


def band_cutoffs(scale, *, method: Method = METHOD) -> tuple[float, float]:
    """The scores where the *strength* band starts and below which a principle is a *concern*."""
    lo, hi = check_scale(scale)
    return lo + method.strength_from * (hi - lo), lo + method.concern_below * (hi - lo)


def _quadrants(out: pd.DataFrame, by: list[str]) -> np.ndarray:
    result = np.full(len(out), None, dtype=object)
    blocks = [b for _, b in out.groupby(by, observed=True)] if by else [out]
    for block in blocks:
        shown = block.dropna(subset=["current", "importance"])
        if shown.empty:
            continue
        cx, cy = shown["current"].mean(), shown["importance"].mean()
        hi_imp, hi_cur = shown["importance"] >= cy, shown["current"] >= cx
        label = np.where(
            hi_imp & ~hi_cur,
            "concentrate here",
            np.where(
                hi_imp & hi_cur,
                "keep up the good work",
                np.where(~hi_imp & hi_cur, "possible overkill", "low priority"),
            ),
        )
        result[out.index.get_indexer(shown.index)] = label
    return result


def _favourable(responses: pd.DataFrame, keys: list[str], hi: float, points: int) -> pd.DataFrame:
    """Share of each group's current answers in the top ``points`` scale points."""
    score = responses["score"].to_numpy(float)
    answered = ~np.isnan(score)
    fav = group_sums(
        responses, [*keys, "measure"], {"top": answered & (score >= hi - (points - 1)), "answers": answered}
    )
    fav = fav[fav["measure"] == "current"].drop(columns="measure")
    with np.errstate(invalid="ignore", divide="ignore"):
        fav["favourable"] = fav["top"] / fav["answers"].where(fav["answers"] > 0)
    return fav[[*keys, "favourable"]]


def principle_scores(responses: pd.DataFrame, by=None, *, scale, method: Method = METHOD) -> pd.DataFrame:
    """Score each principle (per group of ``by``).

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey`.
    by : str or list of str, optional
        Grouping columns (``"partner"``, ``["partner", "role"]``, ``"period"``...).
    scale : (min, max)
        Scale bounds, ``Survey.scale``.
    method : Method
        The method's numbers: ``min_n`` (anonymity minimum: groups with fewer respondents are suppressed),
        ``confidence`` (level of the interval), ``favourable_points`` and the band cut-offs (:func:`band`).

    Returns
    -------
    DataFrame
        One row per principle (and group), with:

        - ``n``: respondents with at least one *current* answer for the principle;
        - ``current``: mean over those respondents of each respondent's mean of
          the principle's current statements;
        - ``ci_low``, ``ci_high``: Student-t interval (level ``method.confidence``) of those respondent means;
        - ``importance``: the same construction on the importance ratings;
        - ``gap``: ``importance - current``; where importance was not asked at all,
          ``scale max - current``;
        - ``favourable``: share of the principle's current answers in the top
          ``method.favourable_points`` scale points;
        - ``band``: see :func:`band`;
        - ``quadrant``: importance-performance quadrant, crosshairs at the mean
          ``current`` and mean ``importance`` over the shown principles of the
          group: ``concentrate here`` (importance at or above, current below),
          ``keep up the good work`` (both at or above), ``possible overkill``
          (importance below, current at or above), ``low priority`` (both below);
        - ``suppressed``: True where ``n < method.min_n``; every figure is then missing.
          Where exactly one group of a principle is suppressed and others are
          shown, the next-smallest group is suppressed too
          (:func:`partnerlib.analysis.suppression.complementary_suppression`).
    """
    lo, hi = check_scale(scale)
    by = as_list(by)
    keys = [*by, "principle"]
    means = respondent_means(responses, by)
    cur = means[means["measure"] == "current"]
    imp = means[means["measure"] == "importance"]
    out = cur.groupby(keys, observed=True, sort=True)["score"].agg(["count", "mean", "std"])
    out.columns = ["n", "current", "sd"]
    out = out.reset_index()
    out["ci_low"], out["ci_high"] = t_interval(out["current"], out["sd"], out["n"], level=method.confidence)
    if len(imp):
        imp_mean = imp.groupby(keys, observed=True)["score"].mean().rename("importance").reset_index()
        out = out.merge(imp_mean, on=keys, how="left")
        out["gap"] = out["importance"] - out["current"]
    else:
        out["importance"] = np.nan
        out["gap"] = hi - out["current"]
    out = out.merge(_favourable(responses, keys, hi, method.favourable_points), on=keys, how="left")
    out["n"] = out["n"].astype("Int64")
    out["suppressed"] = out["n"] < method.min_n
    if by:
        complementary_suppression(out, by)
    if out["suppressed"].any():
        out.loc[out["suppressed"], FIGURES[1:]] = np.nan
        out.loc[out["suppressed"], "n"] = pd.NA
    out["band"] = pd.Categorical(band(out["current"], (lo, hi), method=method), categories=list(BANDS))
    out["quadrant"] = pd.Categorical(_quadrants(out, by), categories=list(QUADRANTS))
    out["suppressed"] = out["suppressed"].astype(bool)
    return out[[*keys, *FIGURES, "band", "quadrant", "suppressed"]].reset_index(drop=True)


def strengths_and_gaps(scores: pd.DataFrame, *, top: int | None = None, method: Method = METHOD) -> pd.DataFrame:
    """Rank the principles as strengths and as gaps.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`principle_scores` (suppressed rows are ignored).
    top : int, optional
        How many of each to return (default ``method.top``).

    Returns
    -------
    DataFrame
        ``kind`` (``strength`` or ``gap``), ``rank`` (1 = first), then the score
        columns.  Strengths are the principles with the highest ``current``
        (ties: smaller gap first); gaps those with the largest ``gap``
        (ties: lower current first).  With grouped scores, ranking is within
        each group.
    """
    top = method.top if top is None else top
    shown = scores[~scores["suppressed"]].dropna(subset=["current"])
    group_cols = [c for c in shown.columns if c not in {*FIGURES, "principle", "band", "quadrant", "suppressed"}]
    parts = []
    for kind, sort_cols, ascending in (
        ("strength", ["current", "gap"], [False, True]),
        ("gap", ["gap", "current"], [False, True]),
    ):
        ranked = shown.sort_values(
            group_cols + sort_cols, ascending=[True] * len(group_cols) + ascending, kind="stable"
        )
        ranked = (ranked.groupby(group_cols, observed=True).head(top) if group_cols else ranked.head(top)).copy()
        ranked.insert(
            0,
            "rank",
            (ranked.groupby(group_cols, observed=True).cumcount() + 1) if group_cols else np.arange(1, len(ranked) + 1),
        )
        ranked.insert(0, "kind", kind)
        parts.append(ranked)
    return pd.concat(parts, ignore_index=True)
