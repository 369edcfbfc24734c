"""Principle scores and the strengths-versus-gaps ranking (pure functions).

Every figure is built from *respondent means*: first each respondent's mean
of a principle's statements, then statistics over respondents, so that a
respondent who answered more statements does not weigh more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .config import DEFAULT_MIN_N
from .exceptions import PartnerDataError

QUADRANTS = ("concentrate here", "keep up the good work", "possible overkill", "low priority")
BANDS = ("strength", "borderline", "concern")
FIGURES = ["n", "current", "ci_low", "ci_high", "importance", "gap", "favourable"]


def resolve_scale(responses: pd.DataFrame, scale=None) -> tuple[float, float]:
    """Scale bounds from ``scale=`` or ``responses.attrs["scale"]`` (set by :func:`read_survey`).

    Raises
    ------
    PartnerDataError
        If neither is available; no global default is assumed.
    """
    scale = scale if scale is not None else responses.attrs.get("scale")
    if scale is None:
        raise PartnerDataError("scale bounds unknown: pass scale=(min, max) or use responses from read_survey, "
                               "which records them in responses.attrs['scale']")
    lo, hi = (float(v) for v in scale)
    if lo >= hi:
        raise PartnerDataError(f"scale {scale!r}: min must be below max")
    return lo, hi


def _as_list(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _key_codes(frame: pd.DataFrame, col: str):
    """Integer codes (-1 for missing) and the categories of one key column."""
    values = frame[col]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories, values.dtype
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques), None


def group_sums(frame: pd.DataFrame, keys: list[str], weights: dict) -> pd.DataFrame:
    """Sums of arrays over the groups of ``keys`` (observed groups only; order unspecified).

    A fast equivalent of ``frame.groupby(keys, observed=True, sort=False).sum()``
    for the large tidy tables: the key columns' integer codes are combined into
    one int64 key and summed with :func:`numpy.bincount`.
    Rows with a missing key are left out, as groupby does.

    Parameters
    ----------
    frame : DataFrame
    keys : list of str
    weights : dict of name -> array
        Arrays aligned with ``frame``'s rows; NaN is not allowed (mask first).

    Returns
    -------
    DataFrame
        The key columns (categorical keys keep their dtype) and one column per weight.
    """
    parts = [_key_codes(frame, k) for k in keys]
    sizes = [max(len(cats), 1) for _, cats, _ in parts]
    if float(np.prod(np.array(sizes, float))) >= 2.0 ** 62:
        grouped = frame[keys].assign(**weights).groupby(keys, observed=True, sort=False)[list(weights)].sum()
        return grouped.reset_index()
    total = int(np.prod(np.array(sizes, np.int64)))
    width = np.int32 if total < 2 ** 31 else np.int64  # half the memory traffic when the keys allow it
    combined = np.zeros(len(frame), width)
    missing = np.zeros(len(frame), bool)
    for (codes, _, _), size in zip(parts, sizes):
        if codes.min(initial=0) < 0:
            missing |= codes < 0
        combined *= size
        combined += codes
    if missing.any():
        combined = combined[~missing]
        weights = {name: np.asarray(values)[~missing] for name, values in weights.items()}
    if total <= max(4 * len(combined), 1 << 20):
        # Dense: every possible key has a slot; keep the observed ones (sorted by key).
        uniques = np.flatnonzero(np.bincount(combined, minlength=total))
        sums = {name: np.bincount(combined, weights=np.asarray(values, float), minlength=total)[uniques]
                for name, values in weights.items()}
    else:
        inverse, uniques = pd.factorize(combined)
        sums = {name: np.bincount(inverse, weights=np.asarray(values, float), minlength=len(uniques))
                for name, values in weights.items()}
    out = {}
    rest = uniques.astype(np.int64)
    decoded = []
    for size in reversed(sizes):
        rest, code = np.divmod(rest, size)
        decoded.append(code)
    for key, (_, cats, dtype), code in zip(keys, parts, reversed(decoded)):
        out[key] = (pd.Categorical.from_codes(code, dtype=dtype) if dtype is not None else cats.take(code))
    out.update(sums)
    return pd.DataFrame(out)


def respondent_means(responses: pd.DataFrame, by=None) -> pd.DataFrame:
    """Each respondent's mean score per principle and measure.

    Returns a frame with the ``by`` columns, ``principle``, ``respondent``,
    ``measure`` and ``score`` (the mean of that respondent's answers to the
    principle's statements on that measure; missing answers are not counted).
    """
    keys = _as_list(by) + ["principle", "respondent", "measure"]
    missing = [k for k in keys + ["score"] if k not in responses.columns]
    if missing:
        raise PartnerDataError(f"responses table lacks columns {missing}; expected the tidy table of read_survey")
    score = responses["score"].to_numpy(float)
    answered = ~np.isnan(score)
    sums = group_sums(responses, keys, {"total": np.where(answered, score, 0.0), "count": answered})
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["score"] = np.where(sums["count"] > 0, sums["total"] / sums["count"], np.nan)
    return sums.drop(columns=["total", "count"])


def t_interval(mean, sd, n, level: float = 0.95):
    """Student-t confidence interval ``mean -/+ t(level, n-1) * sd / sqrt(n)`` (NaN where n < 2)."""
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(sd, float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return np.asarray(mean, float) - half, np.asarray(mean, float) + half


def band(current, scale) -> np.ndarray:
    """``strength`` where ``(current - min)/(max - min) >= 0.75``, ``concern`` where ``< 0.5``, else ``borderline``."""
    lo, hi = scale
    pos = (np.asarray(current, float) - lo) / (hi - lo)
    out = np.where(pos >= 0.75, "strength", np.where(pos < 0.5, "concern", "borderline")).astype(object)
    out[np.isnan(pos)] = None
    return out


def principle_scores(responses: pd.DataFrame, by=None, *, scale=None, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Score each principle (per group of ``by``).

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey`.
    by : str or list of str, optional
        Grouping columns (``"partner"``, ``["partner", "role"]``, ``"period"``...).
    scale : (min, max), optional
        Scale bounds; default ``responses.attrs["scale"]``.
    min_n : int
        Anonymity minimum: groups with fewer respondents are suppressed.

    Returns
    -------
    DataFrame
        One row per principle (and group), with:

        - ``n``: respondents with at least one *current* answer for the principle;
        - ``current``: mean over those respondents of each respondent's mean of
          the principle's current statements;
        - ``ci_low``, ``ci_high``: 95 % Student-t interval of those respondent means;
        - ``importance``: the same construction on the importance ratings;
        - ``gap``: ``importance - current``; where importance was not asked at all,
          ``scale max - current``;
        - ``favourable``: share of the principle's current answers in the top two
          scale points (``score >= max - 1``);
        - ``band``: ``strength`` where ``(current - min)/(max - min) >= 0.75``,
          ``concern`` where it is ``< 0.5``, else ``borderline``;
        - ``quadrant``: importance-performance quadrant, crosshairs at the mean
          ``current`` and mean ``importance`` over the shown principles of the
          group: ``concentrate here`` (importance at or above, current below),
          ``keep up the good work`` (both at or above), ``possible overkill``
          (importance below, current at or above), ``low priority`` (both below);
        - ``suppressed``: True where ``n < min_n``; every figure is then missing.
          Where exactly one group of a principle is suppressed and others are
          shown, the next-smallest group is suppressed too, so that it cannot be
          recovered by subtracting the shown groups from the overall figure.
    """
    lo, hi = resolve_scale(responses, scale)
    by = _as_list(by)
    keys = by + ["principle"]
    means = respondent_means(responses, by)
    cur = means[means["measure"] == "current"]
    imp = means[means["measure"] == "importance"]
    agg = cur.groupby(keys, observed=True, sort=True)["score"].agg(["count", "mean", "std"])
    agg.columns = ["n", "current", "sd"]
    out = agg.reset_index()
    out["ci_low"], out["ci_high"] = t_interval(out["current"], out["sd"], out["n"])
    if len(imp):
        imp_mean = imp.groupby(keys, observed=True)["score"].mean().rename("importance").reset_index()
        out = out.merge(imp_mean, on=keys, how="left")
        out["gap"] = out["importance"] - out["current"]
    else:
        out["importance"] = np.nan
        out["gap"] = hi - out["current"]
    score = responses["score"].to_numpy(float)
    answered = ~np.isnan(score)
    fav = group_sums(responses, keys + ["measure"], {"top": answered & (score >= hi - 1), "answers": answered})
    fav = fav[fav["measure"] == "current"].drop(columns="measure")
    with np.errstate(invalid="ignore", divide="ignore"):
        fav["favourable"] = fav["top"] / fav["answers"].where(fav["answers"] > 0)
    out = out.merge(fav[keys + ["favourable"]], on=keys, how="left")
    out["n"] = out["n"].astype("Int64")
    out["suppressed"] = out["n"] < min_n
    if by:
        _complementary_suppression(out, by)
    figures = [c for c in FIGURES if c != "n"]
    if out["suppressed"].any():
        out.loc[out["suppressed"], figures] = np.nan
        out.loc[out["suppressed"], "n"] = pd.NA
    out["band"] = pd.Categorical(band(out["current"], (lo, hi)), categories=list(BANDS))
    out["quadrant"] = pd.Categorical(_quadrants(out, by), categories=list(QUADRANTS))
    out["suppressed"] = out["suppressed"].astype(bool)
    return out[keys + FIGURES + ["band", "quadrant", "suppressed"]].reset_index(drop=True)


def _complementary_suppression(out: pd.DataFrame, by: list[str], unit: str = "principle") -> None:
    """Within each ``unit`` (and outer groups), hide the next-smallest group when exactly one is hidden.

    ``out`` needs ``n`` and a boolean ``suppressed`` column; it is updated in place.
    """
    outer = by[:-1] + [unit]
    for _, block in out.groupby(outer, observed=True):
        if block["suppressed"].sum() == 1 and len(block) > 1:
            shown = block[~block["suppressed"]]
            out.loc[shown["n"].astype(float).idxmin(), "suppressed"] = True


def _quadrants(out: pd.DataFrame, by: list[str]) -> np.ndarray:
    result = np.full(len(out), None, dtype=object)
    blocks = [b for _, b in out.groupby(by, observed=True)] if by else [out]
    for block in blocks:
        shown = block.dropna(subset=["current", "importance"])
        if shown.empty:
            continue
        cx, cy = shown["current"].mean(), shown["importance"].mean()
        hi_imp, hi_cur = shown["importance"] >= cy, shown["current"] >= cx
        label = np.where(hi_imp & ~hi_cur, "concentrate here",
                         np.where(hi_imp & hi_cur, "keep up the good work",
                                  np.where(~hi_imp & hi_cur, "possible overkill", "low priority")))
        result[out.index.get_indexer(shown.index)] = label
    return result


def strengths_and_gaps(scores: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Rank the principles as strengths and as gaps.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`principle_scores` (suppressed rows are ignored).
    top : int
        How many of each to return.

    Returns
    -------
    DataFrame
        ``kind`` (``strength`` or ``gap``), ``rank`` (1 = first), then the score
        columns.  Strengths are the principles with the highest ``current``
        (ties: smaller gap first); gaps those with the largest ``gap``
        (ties: lower current first).  With grouped scores, ranking is within
        each group.
    """
    shown = scores[~scores["suppressed"]].dropna(subset=["current"])
    group_cols = [c for c in shown.columns if c not in
                  set(FIGURES) | {"principle", "band", "quadrant", "suppressed"}]
    parts = []
    for kind, sort_cols, ascending in (("strength", ["current", "gap"], [False, True]),
                                       ("gap", ["gap", "current"], [False, True])):
        ranked = shown.sort_values(group_cols + sort_cols, ascending=[True] * len(group_cols) + ascending,
                                   kind="stable")
        ranked = (ranked.groupby(group_cols, observed=True).head(top) if group_cols else ranked.head(top)).copy()
        ranked.insert(0, "rank", (ranked.groupby(group_cols, observed=True).cumcount() + 1) if group_cols
                      else np.arange(1, len(ranked) + 1))
        ranked.insert(0, "kind", kind)
        parts.append(ranked)
    return pd.concat(parts, ignore_index=True)
