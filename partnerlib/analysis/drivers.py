"""Key drivers: how much each principle accounts for the overall outcome, and the importance grid (pure).

People rate nearly every principle as important, so stated importance alone
crowds the top of every chart.  *Derived* importance asks the data instead:
how much of the variation in the overall outcome statement ("Overall, this
partnership works well for my organisation") each principle accounts for,
shared out fairly among principles that overlap (general dominance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import DRIVER_METHODS, IMPORTANCE_READINGS, too_few_for_drivers_text
from .aggregate import as_list, respondent_means
from .dominance import bootstrap_correlations, general_dominance, relative_weights

#: The figures of a key driver, all missing where the group is too small.
DRIVER_FIGURES = ["n", "r_squared", "weight", "ci_low", "ci_high", "share", "share_low", "share_high", "rank"]
#: The columns of :func:`key_drivers` after the group columns and ``principle``.
DRIVER_COLUMNS = [*DRIVER_FIGURES, "method", "suppressed", "hidden"]
#: The columns of :func:`importance_grid` after the group columns and ``principle``.
GRID_COLUMNS = ["stated", "derived", "share", "share_low", "share_high", "reading"]


def driver_data(responses: pd.DataFrame, respondents: pd.DataFrame, by=None) -> pd.DataFrame:
    """One row per respondent who rated the outcome and every principle: the ``by`` columns, ``respondent``,
    one column per principle (the respondent's mean of its *current* statements) and ``outcome``.

    Raises
    ------
    PartnerDataError
        If ``respondents`` has no ``outcome`` column (the codebook names no outcome statement).
    """
    by = as_list(by)
    if "outcome" not in respondents.columns:
        raise PartnerDataError(
            "no outcome to explain: the respondents table has no 'outcome' column. Name the overall outcome "
            "statement in the codebook (outcome: {current: COLUMN, text: 'Overall, this partnership works well "
            "for my organisation'}) and read the survey again"
        )
    means = respondent_means(responses, by)
    means = means[means["measure"] == "current"]
    principles = _principles(responses, means)
    wide = means.set_index([*by, "respondent", "principle"])["score"].unstack("principle")
    wide = wide.reindex(columns=principles).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    link = [c for c in ("respondent", "period") if c in respondents.columns and c in wide.columns]
    outcome = respondents[[*link, "outcome"]].astype({c: str for c in link})
    wide = wide.astype({c: str for c in link}).merge(outcome, on=link, how="inner")
    return wide.dropna(subset=[*principles, "outcome"]).reset_index(drop=True)


def _principles(responses: pd.DataFrame, means: pd.DataFrame) -> list[str]:
    present = {str(p) for p in means["principle"].unique()}
    col = responses["principle"]
    order = [str(c) for c in col.cat.categories] if isinstance(col.dtype, pd.CategoricalDtype) else sorted(present)
    return [p for p in order if p in present]


def _weights(data: np.ndarray, method: Method, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Point weights (p,) and bootstrap weights (B, p) of one group's data matrix (principles, then outcome)."""
    p = data.shape[1] - 1
    exact = p <= method.dominance_max_principles
    estimate = general_dominance if exact else relative_weights
    rng = np.random.default_rng([method.bootstrap_seed, seed])
    corr = np.corrcoef(data, rowvar=False)[None]
    boot = bootstrap_correlations(data, method.bootstrap_resamples, rng)
    usable = np.isfinite(boot).all(axis=(1, 2))  # a resample where a principle does not vary is left out
    weights = estimate(np.concatenate([corr, boot[usable]]))
    return weights[0], weights[1:], DRIVER_METHODS[0] if exact else DRIVER_METHODS[1]


def key_drivers(
    responses: pd.DataFrame, respondents: pd.DataFrame, *, by=None, method: Method = METHOD
) -> pd.DataFrame:
    """Derived importance: each principle's share of the overall outcome's explained variance.

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey` (one period, or pass ``by="period"``).
    respondents : DataFrame
        ``Survey.respondents``, with the ``outcome`` column the reader adds where the codebook names an
        ``outcome:`` statement.
    by : str or list of str, optional
        Groups (``"partner"``) estimated separately.
    method : Method
        ``drivers_min_n`` (30): a group with fewer respondents who rated the outcome and every principle gets
        no figures; ``dominance_max_principles`` (12); ``bootstrap_resamples`` (200), ``bootstrap_seed`` and
        ``confidence`` (0.95) of the intervals.

    Returns
    -------
    DataFrame
        One row per principle (per group), with:

        - ``n``: respondents who rated the outcome and every principle (only they enter the model);
        - ``r_squared``: R² of the outcome's linear regression on the principles' respondent means;
        - ``weight``: the principle's general-dominance weight (Budescu 1993; the LMG / Shapley decomposition
          of R², Lindeman, Merenda & Gold 1980): its increase in R² when added to a model of other principles,
          averaged over the models of each size and then over sizes; the weights sum to ``r_squared``.
          With more than ``method.dominance_max_principles`` principles (``2**p`` models), Johnson's (2000)
          relative weights, which also sum to R² and are close to general dominance;
        - ``ci_low``, ``ci_high``: percentile bootstrap interval (level ``method.confidence``) of the weight,
          respondents resampled ``method.bootstrap_resamples`` times with the seed ``method.bootstrap_seed``;
        - ``share``, ``share_low``, ``share_high``: the weight as a share of R² and its bootstrap interval;
        - ``rank``: 1 = largest weight;
        - ``method``: ``general dominance`` or ``relative weights``;
        - ``suppressed``, ``hidden``: True and why where the group has too few respondents
          (every figure is then missing).
    """
    by = as_list(by)
    data = driver_data(responses, respondents, by)
    principles = [c for c in data.columns if c not in {*by, "respondent", "outcome"}]
    groups = data.groupby(by, observed=True, sort=True) if by else [((), data)]
    parts = []
    for seed, (key, group) in enumerate(groups):
        key = key if isinstance(key, tuple) else (key,)
        part = pd.DataFrame({**dict(zip(by, key)), "principle": principles})
        n = len(group)
        matrix = group[[*principles, "outcome"]].to_numpy(float)
        varies = n > 1 and bool((matrix.std(axis=0) > 0).all())
        part["n"] = n
        if n < method.drivers_min_n or not varies:
            part["hidden"] = too_few_for_drivers_text(method.drivers_min_n) if n < method.drivers_min_n else (
                "the outcome or a principle has the same score for everyone"
            )  # fmt: skip
            parts.append(part)
            continue
        point, boot, how = _weights(matrix, method, seed)
        tail = 100 * (1 - method.confidence) / 2
        share_boot = boot / boot.sum(axis=1, keepdims=True)
        part["r_squared"] = point.sum()
        part["weight"] = point
        part["ci_low"], part["ci_high"] = np.percentile(boot, [tail, 100 - tail], axis=0)
        part["share"] = point / point.sum()
        part["share_low"], part["share_high"] = np.percentile(share_boot, [tail, 100 - tail], axis=0)
        part["rank"] = pd.Series(-point).rank(method="min").astype(int).to_numpy()
        part["method"] = how
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*by, "principle"])
    for col in DRIVER_COLUMNS:
        if col not in out:
            out[col] = np.nan
    out["hidden"] = out["hidden"].astype("str")
    out["suppressed"] = out["hidden"].notna()
    out.loc[out["suppressed"], DRIVER_FIGURES] = np.nan
    out["n"] = out["n"].astype("Int64")
    out["rank"] = out["rank"].astype("Int64")
    out["principle"] = pd.Categorical(out["principle"], categories=principles)
    return out[[*by, "principle", *DRIVER_COLUMNS]]


def importance_grid(scores: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
    """Stated against derived importance, with the reading of each principle.

    Parameters
    ----------
    scores : DataFrame
        :func:`partnerlib.principle_scores` of the same respondents (its ``importance``: the stated importance).
    drivers : DataFrame
        :func:`key_drivers` (its ``weight``: the derived importance).

    Returns
    -------
    DataFrame
        One row per principle shown in both (per group of the columns they share), with ``stated`` (mean
        importance rating), ``derived`` (key-driver weight), ``share`` (of R², with its bootstrap interval
        ``share_low``, ``share_high``) and ``reading``: each axis is
        split at the mean of the shown principles, so that a principle is a ``key driver`` (stated and
        derived at or above the mean), a ``hidden driver`` (stated below, derived at or above: it moves the
        outcome more than people say), ``stated, not driving`` (stated at or above, derived below) or of
        ``low impact`` (both below) (:data:`partnerlib.vocabulary.IMPORTANCE_READINGS`).  Empty where
        importance was not asked or the group has no key drivers.
    """
    keys = [c for c in drivers.columns if c in scores.columns and c not in {*DRIVER_COLUMNS, "principle"}]
    shown_scores = scores.loc[~scores["suppressed"].astype(bool), [*keys, "principle", "importance"]]
    shown_drivers = drivers.loc[
        ~drivers["suppressed"].astype(bool), [*keys, "principle", "weight", "share", "share_low", "share_high"]
    ]
    both = shown_scores.astype({"principle": str}).merge(
        shown_drivers.astype({"principle": str}), on=[*keys, "principle"]
    )
    both = both.rename(columns={"importance": "stated", "weight": "derived"}).dropna(subset=["stated", "derived"])
    if keys:
        level = both.groupby(keys, observed=True)[["stated", "derived"]].transform("mean")
    else:
        level = both[["stated", "derived"]].mean().to_frame().T.loc[[0] * len(both)].set_index(both.index)
    stated_high = (both["stated"] >= level["stated"]).to_numpy()
    derived_high = (both["derived"] >= level["derived"]).to_numpy()
    reading = np.select(
        [stated_high & derived_high, ~stated_high & derived_high, stated_high & ~derived_high],
        list(IMPORTANCE_READINGS[:3]),
        default=IMPORTANCE_READINGS[3],
    )
    both["reading"] = pd.Categorical(reading, categories=list(IMPORTANCE_READINGS))
    return both[[*keys, "principle", *GRID_COLUMNS]].reset_index(drop=True)
