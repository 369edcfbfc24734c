"""Principle scores and the strengths-versus-gaps ranking (pure functions).

Every figure is built from *respondent means*: first each respondent's mean
of a principle's statements, then statistics over respondents, so that a
respondent who answered more statements does not weigh more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import BANDS, QUADRANTS, RANKING_KINDS
from .aggregate import as_list, check_scale, group_sums, respondent_means
from .estimators import finite_population_factor, t_interval, wilson_interval
from .population import invited_in
from .suppression import hidden_texts, margin_pattern, too_few_texts

#: The figures of a principle's score, in the order of the table (all hidden for a suppressed group).
FIGURES = ["n", "current", "ci_low", "ci_high", "importance", "gap", "favourable", "favourable_low", "favourable_high"]


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


def quadrant_lines(scores: pd.DataFrame, *, scale, method: Method = METHOD) -> tuple[float, float]:
    """The crosshairs of the importance-performance quadrant of one group's ``scores``: ``(current, importance)``.

    The vertical line is the *strength* cut-off (:func:`band_cutoffs`: 4.0 on 1-5), so that a principle right of
    it is exactly a strength; the horizontal line is the mean importance of the shown principles (everyone rates
    everything important, so importance is read relative to the other principles).  ``importance`` is NaN where
    no principle has an importance score.
    """
    strength, _ = band_cutoffs(scale, method=method)
    shown = scores.loc[~scores["suppressed"].astype(bool), "importance"].astype(float)
    return strength, float(shown.mean()) if shown.notna().any() else float("nan")


def _quadrants(out: pd.DataFrame, by: list[str], scale, method: Method) -> np.ndarray:
    """The quadrant of each row (see :func:`principle_scores`), within each group of ``by``."""
    strength, _ = band_cutoffs(scale, method=method)
    shown = (~out["suppressed"].astype(bool) & out["current"].notna() & out["importance"].notna()).to_numpy()
    importance = out["importance"].astype(float).where(shown)
    level = importance.groupby([out[k] for k in by], observed=True).transform("mean") if by else importance.mean()
    important = (importance >= level).to_numpy()
    lived = (out["current"].astype(float) >= strength).to_numpy()
    label = np.select(
        [important & ~lived, important & lived, ~important & lived], list(QUADRANTS[:3]), default=QUADRANTS[3]
    ).astype(object)
    label[~shown] = None
    return label


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


def principle_scores(responses: pd.DataFrame, by=None, *, scale, method: Method = METHOD,
                     pattern: pd.DataFrame | None = None, margins: bool = True,
                     population: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
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
    pattern : DataFrame, optional
        A :func:`partnerlib.analysis.suppression.margin_pattern` computed on a grouping ``by`` is a prefix of
        (``["partner", "role"]`` for the scores by ``partner``), so that every table of a review hides alike.
    margins : bool
        Whether the groups of fewer ``by`` columns (down to the whole) are shown beside this table (default):
        then groups are hidden so that no small group can be computed from the table and its margins.  False
        for groups that are not parts of one whole (periods: a different population each).
    population : DataFrame, optional
        How many were invited: :func:`partnerlib.analysis.population.invited_counts` of the roster (the ``by``
        columns and ``invited``).  Where given, the intervals of a group apply the finite-population correction
        ``sqrt((N - n) / (N - 1))`` (N invited, n answered; a group where everyone answered has no sampling
        error).

    Returns
    -------
    DataFrame
        One row per principle (and group), with:

        - ``n``: respondents with at least one *current* answer for the principle;
        - ``current``: mean over those respondents of each respondent's mean of
          the principle's current statements;
        - ``ci_low``, ``ci_high``: Student-t interval (level ``method.confidence``) of those respondent means,
          finite-population corrected where ``population`` is given;
        - ``importance``: the same construction on the importance ratings;
        - ``gap``: ``importance - current``; where importance was not asked at all,
          ``scale max - current``;
        - ``favourable``: share of the principle's current answers in the top
          ``method.favourable_points`` scale points;
        - ``favourable_low``, ``favourable_high``: its Wilson score interval (level ``method.confidence``) with the
          group's respondents ``n`` as the sample size (a person's answers to a principle's statements are not
          independent, so counting answers would make the interval too narrow), finite-population corrected
          where ``population`` is given;
        - ``band``: see :func:`band`;
        - ``quadrant``: importance-performance quadrant, crosshairs at the
          strength cut-off of ``current`` and the mean ``importance`` of the
          shown principles of the group (:func:`quadrant_lines`):
          ``concentrate here`` (importance at or above the mean, current below
          the strength cut-off), ``keep up the good work`` (importance at or
          above, a strength), ``possible overkill`` (importance below, a
          strength), ``low priority`` (importance below, not a strength);
          missing where importance was not asked;
        - ``suppressed``: True where the group's figures are hidden (every figure is then missing), and
          ``hidden``, what to show instead: "fewer than 5 responses" where ``n < method.min_n``, "hidden to
          protect a smaller group" where a smaller group could otherwise be computed from this table and its
          margins (:func:`partnerlib.analysis.suppression.margin_pattern`); missing where shown.
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
    fpc = finite_population_factor(out["n"], invited_in(out, by, population))
    out["ci_low"], out["ci_high"] = t_interval(out["current"], out["sd"], out["n"], level=method.confidence, fpc=fpc)
    if len(imp):
        imp_mean = imp.groupby(keys, observed=True)["score"].mean().rename("importance").reset_index()
        out = out.merge(imp_mean, on=keys, how="left")
        out["gap"] = out["importance"] - out["current"]
    else:
        out["importance"] = np.nan
        out["gap"] = hi - out["current"]
    out = out.merge(_favourable(responses, keys, hi, method.favourable_points), on=keys, how="left")
    out["favourable_low"], out["favourable_high"] = wilson_interval(
        out["favourable"], out["n"], level=method.confidence, fpc=fpc
    )
    out["n"] = out["n"].astype("Int64")
    if pattern is not None or (by and margins):
        out["hidden"] = hidden_texts(out, by, min_n=method.min_n, pattern=pattern)
    else:
        out["hidden"] = too_few_texts(out["n"], method.min_n)
    out["suppressed"] = pd.notna(out["hidden"])
    if out["suppressed"].any():
        out.loc[out["suppressed"], FIGURES[1:]] = np.nan
        out.loc[out["suppressed"], "n"] = pd.NA
    out["band"] = pd.Categorical(band(out["current"], (lo, hi), method=method), categories=list(BANDS))
    out["quadrant"] = pd.Categorical(_quadrants(out, by, (lo, hi), method), categories=list(QUADRANTS))
    out["suppressed"] = out["suppressed"].astype(bool)
    return out[[*keys, *FIGURES, "band", "quadrant", "suppressed", "hidden"]].reset_index(drop=True)


def score_pattern(responses: pd.DataFrame, by, *, method: Method = METHOD) -> pd.DataFrame:
    """The groups a review's score tables may show: one :func:`partnerlib.analysis.suppression.margin_pattern`
    for the scores overall, by each prefix of ``by`` and by ``by`` (``["partner", "role"]``), so that the
    principles table, the organisations' comparison and the heatmap hide alike and cannot be combined to compute
    a small group.  Counts are respondents with a *current* answer for the principle.
    """
    by = as_list(by)
    means = respondent_means(responses, by)
    current = means[means["measure"] == "current"]
    counts = current.groupby([*by, "principle"], observed=True, sort=True)["score"].count().rename("n").reset_index()
    return margin_pattern(counts, by, min_n=method.min_n)


def gap_ranking(scores: pd.DataFrame) -> pd.DataFrame:
    """Every shown principle ranked by its gap: ``rank`` (1 = largest gap; ties: lower current first), then the
    score columns; within each group of grouped scores."""
    shown = scores[~scores["suppressed"].astype(bool)].dropna(subset=["current"])
    group_cols = _group_columns(shown)
    ranked = shown.sort_values(
        [*group_cols, "gap", "current"], ascending=[True] * len(group_cols) + [False, True], kind="stable"
    ).copy()
    ranked.insert(0, "rank", _ranks(ranked, group_cols))
    return ranked.reset_index(drop=True)


def _group_columns(scores: pd.DataFrame) -> list[str]:
    return [c for c in scores.columns if c not in {*FIGURES, "principle", "band", "quadrant", "suppressed", "hidden"}]


def _ranks(ranked: pd.DataFrame, group_cols: list[str]) -> np.ndarray:
    if group_cols:
        return ranked.groupby(group_cols, observed=True).cumcount().to_numpy() + 1
    return np.arange(1, len(ranked) + 1)


def strengths_and_gaps(scores: pd.DataFrame, *, top: int | None = None, method: Method = METHOD) -> pd.DataFrame:
    """The strengths to keep and the priority gaps: the one rule every part of a review uses.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`principle_scores` (suppressed rows are ignored).
    top : int, optional
        How many of each to return at most (default ``method.top``).

    Returns
    -------
    DataFrame
        ``kind`` (:data:`partnerlib.vocabulary.RANKING_KINDS`: ``strength`` or ``priority``), ``rank`` (1 =
        first), then the score columns; within each group of grouped scores.

        - A **strength** is a principle in the *strength* band (current at or above the cut-off of :func:`band`),
          highest ``current`` first (ties: smaller gap first).
        - A **priority** is a principle in the *concentrate here* quadrant (it matters at least as much as the
          average principle and is not a strength), largest ``gap`` first (ties: lower current first).  Where
          importance was not asked, every principle that is not a strength is a candidate, largest gap first.

        A principle is therefore never both, and the bands and quadrants of ``scores`` say the same.
    """
    top = method.top if top is None else top
    shown = scores[~scores["suppressed"].astype(bool)].dropna(subset=["current"])
    group_cols = _group_columns(shown)
    strong = shown[shown["band"].astype("object") == "strength"]
    strong = strong.sort_values(
        [*group_cols, "current", "gap"], ascending=[True] * len(group_cols) + [False, True], kind="stable"
    )
    ranked = gap_ranking(shown)
    asked = ranked["quadrant"].notna()
    focus = ranked[(ranked["quadrant"].astype("object") == QUADRANTS[0]) | (~asked & (ranked["band"] != "strength"))]
    parts = []
    for kind, part in zip(RANKING_KINDS, (strong, focus.drop(columns="rank"))):
        part = (part.groupby(group_cols, observed=True).head(top) if group_cols else part.head(top)).copy()
        part.insert(0, "rank", _ranks(part, group_cols))
        part.insert(0, "kind", kind)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
