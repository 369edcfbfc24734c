"""Comparisons of principle scores: between the two sides and between periods (pure functions).

Both comparisons use the construction of :func:`partnerlib.principle_scores`:
each respondent's mean of a principle's *current* statements, then
statistics over respondents.  Groups below the anonymity minimum are never
compared: the whole row is hidden (both sides), because showing the other
side next to an overall score would let a reader recover the hidden one.
"""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import CHANGE_DIRECTIONS, too_few_text
from .aggregate import as_list, respondent_means
from .estimators import adjust_p, finite_population_factor, hedges_g, welch_test
from .population import invited_in
from .suppression import hidden_texts

DIFFERENCE_COLUMNS = [
    "side_a",
    "side_b",
    "current_a",
    "current_b",
    "n_a",
    "n_b",
    "difference",
    "p_value",
    "p_adjusted",
    "hedges_g",
    "flag",
    "suppressed",
    "hidden",
]
CHANGE_COLUMNS = [
    "period_from",
    "period_to",
    "current_from",
    "current_to",
    "n_from",
    "n_to",
    "change",
    "p_value",
    "p_adjusted",
    "hedges_g",
    "direction",
    "suppressed",
    "hidden",
]


def _summaries(responses: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """n, mean and SD of the respondents' current means per group of ``keys`` (which end with ``principle``)."""
    needed = [k for k in keys if k != "principle"]
    missing = [k for k in needed if k not in responses.columns]
    if missing:
        raise PartnerDataError(
            f"responses table lacks columns {missing}; expected the tidy table of read_survey "
            f"(columns {list(responses.columns)})"
        )
    means = respondent_means(responses, needed)
    means = means[means["measure"] == "current"]
    agg = means.groupby(keys, observed=True, sort=False)["score"].agg(["count", "mean", "std"])
    agg.columns = ["n", "mean", "sd"]
    return agg.reset_index()


def _pair_rows(summary: pd.DataFrame, group_cols: list[str], col: str, a, b, min_n: int) -> pd.DataFrame:
    """Compare level ``a`` with level ``b`` of ``col`` for every principle (and group) present in either."""
    keys = [*group_cols, "principle"]
    left = summary[summary[col].astype(str) == str(a)].drop(columns=col)
    right = summary[summary[col].astype(str) == str(b)].drop(columns=col)
    both = left.merge(right, on=keys, how="outer", suffixes=("_a", "_b"))
    n_a, n_b = both["n_a"].fillna(0).to_numpy(float), both["n_b"].fillna(0).to_numpy(float)
    suppressed = (n_a < min_n) | (n_b < min_n)
    if "suppressed_a" in both:
        for col in ("suppressed_a", "suppressed_b"):  # a side missing from the comparison counts as hidden
            suppressed |= both[col].astype("boolean").fillna(True).to_numpy(bool)
    fpc = {}
    if "invited_a" in both:  # finite populations: each side's variance term corrected
        fpc = {f"fpc_{s}": finite_population_factor(n, both[f"invited_{s}"]) for s, n in (("a", n_a), ("b", n_b))}
    _, p = welch_test(both["mean_a"], both["sd_a"], n_a, both["mean_b"], both["sd_b"], n_b, **fpc)
    out = both[keys].copy()
    out["a"], out["b"] = str(a), str(b)
    out["mean_a"], out["mean_b"] = both["mean_a"].to_numpy(float), both["mean_b"].to_numpy(float)
    out["n_a"], out["n_b"] = pd.array(n_a.astype(int), "Int64"), pd.array(n_b.astype(int), "Int64")
    out["difference"] = out["mean_a"] - out["mean_b"]
    out["p_value"] = p
    out["hedges_g"] = hedges_g(both["mean_a"], both["sd_a"], n_a, both["mean_b"], both["sd_b"], n_b)
    out["suppressed"] = suppressed
    if "hidden_a" in both:  # why: the reason of the first hidden side
        reason = both["hidden_a"].astype(object).where(both["hidden_a"].notna(), both["hidden_b"].astype(object))
    else:
        reason = pd.Series(too_few_text(min_n), index=both.index)
    out["hidden"] = pd.array([r if s and isinstance(r, str) else (too_few_text(min_n) if s else None)
                              for r, s in zip(reason, suppressed)], dtype="str")  # fmt: skip
    hidden = ["mean_a", "mean_b", "difference", "p_value", "hedges_g"]
    if suppressed.any():
        out.loc[suppressed, hidden] = np.nan
        out.loc[suppressed, ["n_a", "n_b"]] = pd.NA
    return out


def _family_adjusted(out: pd.DataFrame, family: list[str], adjust: str) -> np.ndarray:
    """``p_value`` adjusted (:func:`adjust_p`) within each family: the principles of one comparison."""
    p = out["p_value"].to_numpy(float)
    codes = out.groupby(family, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    adjusted = np.full(len(out), np.nan)
    for code in np.unique(codes):
        members = codes == code
        adjusted[members] = adjust_p(p[members], adjust)
    return adjusted


def perception_differences(
    responses: pd.DataFrame,
    *,
    between: str = "partner",
    by=None,
    method: Method = METHOD,
    pattern: pd.DataFrame | None = None,
    adjust: str = "holm",
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where the two sides (or any two groups) see a principle differently.

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey` (one period, or pass ``by="period"``).
    between : str
        The column whose values are compared (``"partner"``, ``"role"``...).
        With more than two values, every pair is compared.
    by : str or list of str, optional
        Further grouping (e.g. ``"period"``); comparisons are made within each group.
    method : Method
        ``min_n``: a comparison where either side has fewer respondents is hidden entirely;
        ``difference_threshold`` and ``significance``: a difference is flagged where
        ``|difference| >= difference_threshold`` and ``p_adjusted < significance`` (0.5 scale points and 0.05).
    pattern : DataFrame, optional
        A :func:`partnerlib.analysis.suppression.margin_pattern` of a finer grouping that starts with
        ``[*by, between]``, so that the comparison hides the groups every other table of the review hides.
    adjust : {"holm", "fdr_bh"}
        How p-values are adjusted for testing every principle of one comparison at once: Holm (default: the
        chance of any false flag among the principles stays below ``significance``) or Benjamini-Hochberg (for
        exploratory views that flag many cells: the expected share of false flags stays below it).
    population : DataFrame, optional
        How many were invited per ``[*by, between]`` (:func:`partnerlib.analysis.population.invited_counts`):
        each side's variance term is then finite-population corrected (see
        :func:`partnerlib.analysis.estimators.welch_test`).

    Returns
    -------
    DataFrame
        One row per principle (per group of ``by``) and pair of values, with:

        - ``side_a``, ``side_b``: the two values of ``between``, sorted alphabetically;
        - ``current_a``, ``current_b``: each side's current score (mean of
          respondent means, as in :func:`principle_scores`);
        - ``n_a``, ``n_b``: respondents with a current answer for the principle;
        - ``difference``: ``current_a - current_b``;
        - ``p_value``: two-sided Welch's t-test on the respondent means
          (unequal variances); NaN where a side has fewer than two respondents;
        - ``p_adjusted``: ``p_value`` adjusted across the principles of the same pair (and group of ``by``)
          (:func:`partnerlib.analysis.estimators.adjust_p`, Holm by default);
        - ``hedges_g``: standardised difference (pooled SD, small-sample corrected);
        - ``flag``: True where ``|difference| >= method.difference_threshold`` and
          ``p_adjusted < method.significance``;
        - ``suppressed``: True where either side is hidden as in :func:`principle_scores` (fewer than
          ``method.min_n`` respondents, or hidden so that a smaller group cannot be computed from the sides
          and the whole); every figure of the row is then missing and ``flag`` False.

    Raises
    ------
    PartnerDataError
        If ``between`` is not a column, or it has fewer than two values.
    """
    by = as_list(by)
    if between not in responses.columns:
        raise PartnerDataError(
            f"cannot compare between {between!r}: no such column in the responses (columns {list(responses.columns)})"
        )
    if between in by:
        raise PartnerDataError(f"between={between!r} cannot also be a by column")
    summary = _summaries(responses, [*by, between, "principle"])
    # Hide a group wherever principle_scores(by=between) would, so that a comparison never shows a group
    # that could be recovered from the overall score.
    summary["hidden"] = hidden_texts(summary, [*by, between], min_n=method.min_n, pattern=pattern)
    summary["suppressed"] = pd.notna(summary["hidden"])
    if population is not None:
        summary["invited"] = invited_in(summary, [*by, between], population)
    sides = sorted(summary[between].astype(str).unique().tolist())
    if len(sides) < 2:
        raise PartnerDataError(
            f"cannot compare between {between!r}: the responses hold only {sides}; "
            "expected at least two values (e.g. the two organisations)"
        )
    parts = [_pair_rows(summary, by, between, a, b, method.min_n) for a, b in combinations(sides, 2)]
    out = pd.concat(parts, ignore_index=True).rename(
        columns={"a": "side_a", "b": "side_b", "mean_a": "current_a", "mean_b": "current_b"}
    )
    out["p_adjusted"] = _family_adjusted(out, [*by, "side_a", "side_b"], adjust)
    flagged = (out["difference"].abs() >= method.difference_threshold) & (out["p_adjusted"] < method.significance)
    out["flag"] = flagged.to_numpy(bool)
    out = _order_principles(out, responses, [*by, "side_a", "side_b"])
    return out[[*by, "principle", *DIFFERENCE_COLUMNS]]


def _order_principles(out: pd.DataFrame, responses: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    """Sort by ``first`` then principle in the codebook's order (the responses' category order)."""
    if isinstance(responses["principle"].dtype, pd.CategoricalDtype):
        out["principle"] = pd.Categorical(
            out["principle"].astype(str), categories=responses["principle"].cat.categories
        )
    return out.sort_values([*first, "principle"], kind="stable").reset_index(drop=True)


def period_change(responses: pd.DataFrame, *, by=None, method: Method = METHOD, adjust: str = "holm") -> pd.DataFrame:
    """What changed between consecutive periods, per principle.

    Parameters
    ----------
    responses : DataFrame
        The tidy table of several periods (:func:`partnerlib.read_surveys`).
    by : str or list of str, optional
        Compare within each group (e.g. ``"partner"``).
    method : Method
        ``min_n``: a comparison where either period's group has fewer respondents is hidden;
        ``significance``: the level below which an adjusted p-value makes a change ``improved`` or ``declined``.
    adjust : {"holm", "fdr_bh"}
        Adjustment across the principles of one pair of periods (see :func:`perception_differences`).

    Returns
    -------
    DataFrame
        One row per principle (per group) and consecutive pair of periods
        (periods sorted as text, so ``2024`` < ``2025`` and ``2025-Q1`` < ``2025-Q2``):

        - ``period_from``, ``period_to``;
        - ``current_from``, ``current_to``, ``n_from``, ``n_to``: the current
          score and respondents of each period (as in :func:`principle_scores`);
        - ``change``: ``current_to - current_from``;
        - ``p_value``: two-sided Welch's t-test on the respondent means of the
          two periods (treated as independent samples: respondents are not
          linked across periods);
        - ``p_adjusted``: ``p_value`` adjusted across the principles of the same pair of periods (and group);
        - ``hedges_g``: standardised change;
        - ``direction``: ``improved`` (change > 0) or ``declined`` (change < 0)
          where ``p_adjusted < method.significance``, else ``no clear change``;
        - ``suppressed``: either period's group below ``method.min_n``; figures missing,
          ``direction`` missing.

        With a single period the frame is empty (no pair of periods to compare).
    """
    by = as_list(by)
    if "period" not in responses.columns:
        raise PartnerDataError("responses table lacks the 'period' column; expected the tidy table of read_surveys")
    periods = sorted(responses["period"].astype(str).unique().tolist())
    if len(periods) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*by, "principle", *CHANGE_COLUMNS]})
    summary = _summaries(responses, [*by, "period", "principle"])
    parts = [_pair_rows(summary, by, "period", a, b, method.min_n) for a, b in pairwise(periods)]
    out = pd.concat(parts, ignore_index=True).rename(
        columns={
            "a": "period_from",
            "b": "period_to",
            "mean_a": "current_from",
            "mean_b": "current_to",
            "n_a": "n_from",
            "n_b": "n_to",
        }
    )
    # _pair_rows computes a - b; a change is "to minus from".
    out["change"] = -out.pop("difference")
    out["hedges_g"] = -out["hedges_g"]
    out["p_adjusted"] = _family_adjusted(out, [*by, "period_from", "period_to"], adjust)
    significant = out["p_adjusted"] < method.significance
    direction = np.where(
        significant & (out["change"] > 0),
        "improved",
        np.where(significant & (out["change"] < 0), "declined", "no clear change"),
    ).astype(object)
    direction[out["suppressed"].to_numpy(bool)] = None
    out["direction"] = pd.Categorical(direction, categories=list(CHANGE_DIRECTIONS))
    out = _order_principles(out, responses, [*by, "period_from"])
    return out[[*by, "principle", *CHANGE_COLUMNS]]
