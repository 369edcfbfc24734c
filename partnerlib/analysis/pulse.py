"""Pulse check-ins: how each pulsed principle moved since the annual review (pure functions).

A pulse is a short survey on a few principles between two annual reviews.  Each respondent's principle score is the
mean of their *current* answers to its statements (:func:`partnerlib.analysis.aggregate.respondent_means`), in the
annual baseline and in the pulse.  Respondents are the same person in both where their keyed ids match (the same
codebook ``salt`` and the same id column: see :mod:`partnerlib.io.privacy`).

Which test, per principle (:func:`pulse_change`):

- **paired** where at least ``min_n`` respondents answered it in both surveys, and the respondents of either survey
  who are *not* among the pairs are none or at least ``min_n`` (otherwise the pair count beside the two totals would
  tell how many people, and with their means what they said, answered only one of the two): Student's paired t-test
  on the pairs (``scipy.stats.ttest_rel``);
- **independent** otherwise, where both surveys have at least ``min_n`` respondents: Welch's t-test
  (``scipy.stats.ttest_ind(equal_var=False)``) on all of them;
- **hidden** where either survey has fewer than ``min_n`` respondents for the principle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import ACTION_FINISHED, ACTION_STATUSES, CHANGE_DIRECTIONS, PULSE_TESTS, too_few_text
from .aggregate import respondent_means
from .estimators import adjust_p

#: The columns of :func:`pulse_change`.
PULSE_COLUMNS = ["principle", "test", "n_baseline", "n_pulse", "n_pairs", "baseline", "pulse", "change", "ci_low",
                 "ci_high", "p_value", "p_adjusted", "direction", "suppressed", "hidden"]  # fmt: skip
#: Why a principle's change is tested on independent samples although some respondents answered both surveys.
PAIRS_WOULD_DISCLOSE = "the pairs are not shown: it would tell how few answered only one of the two surveys"


def _current_means(responses: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's current mean per principle: ``principle, respondent, score`` (answered only)."""
    means = respondent_means(responses)
    means = means[(means["measure"] == "current") & means["score"].notna()]
    return means[["principle", "respondent", "score"]].astype({"principle": "str", "respondent": "str"})


def _safe_complement(total: int, pairs: int, min_n: int) -> bool:
    """Whether the respondents of one survey outside the pairs are none or at least ``min_n``."""
    return total - pairs == 0 or total - pairs >= min_n


def paired_change(before, after, *, level: float = 0.95) -> dict:
    """The mean change of paired scores and its test.

    Parameters
    ----------
    before, after : array-like
        Each pair's score in the baseline and in the pulse, in the same order.
    level : float
        Confidence level of the interval.

    Returns
    -------
    dict
        ``change``: the mean of ``after - before``; ``ci_low``, ``ci_high``: the ``level`` t-interval of that mean,
        ``change ± t(n - 1) · sd(after - before) / √n``; ``p_value``: two-sided paired t-test
        (``scipy.stats.ttest_rel(after, before)``); ``n``: the pairs.  NaN figures (``n`` kept) with fewer than two
        pairs or no spread in the differences.
    """
    a, b = np.asarray(after, float), np.asarray(before, float)
    n = len(a)
    if n < 2 or np.ptp(a - b) == 0:
        return {"change": float(np.mean(a - b)) if n else np.nan, "ci_low": np.nan, "ci_high": np.nan,
                "p_value": np.nan, "n": n}  # fmt: skip
    result = stats.ttest_rel(a, b)
    ci = result.confidence_interval(confidence_level=level)
    return {"change": float(np.mean(a - b)), "ci_low": float(ci.low), "ci_high": float(ci.high),
            "p_value": float(result.pvalue), "n": n}  # fmt: skip


def independent_change(before, after, *, level: float = 0.95) -> dict:
    """The difference of two independent samples' means and Welch's test.

    Parameters
    ----------
    before, after : array-like
        The baseline's and the pulse's scores (different lengths allowed).
    level : float
        Confidence level of the interval.

    Returns
    -------
    dict
        ``change``: ``mean(after) - mean(before)``; ``ci_low``, ``ci_high``: Welch's ``level`` interval,
        ``change ± t(ν) · √(s²_after / n_after + s²_before / n_before)`` with the Welch–Satterthwaite degrees of
        freedom ``ν``; ``p_value``: two-sided Welch's t-test (``scipy.stats.ttest_ind(after, before,
        equal_var=False)``).  NaN figures with fewer than two scores on either side or no spread in either.
    """
    a, b = np.asarray(after, float), np.asarray(before, float)
    change = float(a.mean() - b.mean()) if len(a) and len(b) else np.nan
    if len(a) < 2 or len(b) < 2 or (np.ptp(a) == 0 and np.ptp(b) == 0):
        return {"change": change, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    result = stats.ttest_ind(a, b, equal_var=False)
    ci = result.confidence_interval(confidence_level=level)
    return {"change": change, "ci_low": float(ci.low), "ci_high": float(ci.high), "p_value": float(result.pvalue)}


def _row(principle: str, base: pd.Series, pulse: pd.Series, min_n: int, level: float) -> dict:
    """One principle's comparison (see :func:`pulse_change`), before the adjustment across principles."""
    n_b, n_p = len(base), len(pulse)
    pairs = base.index.intersection(pulse.index)
    row: dict = {"principle": principle, "n_baseline": n_b, "n_pulse": n_p, "n_pairs": pd.NA}
    if n_b < min_n or n_p < min_n:
        return {**row, "test": None, "n_baseline": pd.NA, "n_pulse": pd.NA, "suppressed": True,
                "hidden": too_few_text(min_n)}  # fmt: skip
    row.update(baseline=float(base.mean()), pulse=float(pulse.mean()), suppressed=False, hidden=None)
    paired = len(pairs) >= min_n and _safe_complement(n_b, len(pairs), min_n) and _safe_complement(n_p, len(pairs),
                                                                                                    min_n)  # fmt: skip
    if paired:
        figures = paired_change(base.loc[pairs], pulse.loc[pairs], level=level)
        row.update(test=PULSE_TESTS[0], n_pairs=figures.pop("n"), **figures)
    else:
        row.update(test=PULSE_TESTS[1], **independent_change(base, pulse, level=level))
        if len(pairs) >= min_n:
            row["hidden"] = PAIRS_WOULD_DISCLOSE
    return row


def pulse_change(baseline: pd.DataFrame, pulse: pd.DataFrame, *, method: Method = METHOD,
                 adjust: str = "holm") -> pd.DataFrame:  # fmt: skip
    """Each pulsed principle's change since the annual baseline.

    Parameters
    ----------
    baseline : DataFrame
        The tidy responses of the annual review's period (:func:`partnerlib.read_survey`).
    pulse : DataFrame
        The tidy responses of the pulse (its own codebook may hold only a few principles); its principles must
        be principles of the baseline.
    method : Method
        ``min_n`` (the anonymity minimum, for the baseline, the pulse and the pairs), ``confidence`` (the level of
        the intervals) and ``significance`` (below which an adjusted p-value makes a change a ``direction``).
    adjust : {"holm", "fdr_bh"}
        Adjustment of the p-values across the pulsed principles (:func:`partnerlib.analysis.estimators.adjust_p`).

    Returns
    -------
    DataFrame
        One row per principle of the pulse, in its order (:data:`PULSE_COLUMNS`):

        - ``test``: ``paired`` or ``independent`` (see the module's docstring), missing where hidden;
        - ``n_baseline``, ``n_pulse``: respondents with a score for the principle in each survey;
          ``n_pairs``: those in both, given only for a paired test;
        - ``baseline``, ``pulse``: the mean of those respondents' principle scores in each survey;
        - ``change``, ``ci_low``, ``ci_high``, ``p_value``: :func:`paired_change` of the pairs, or
          :func:`independent_change` of all respondents (so a paired ``change`` may differ from
          ``pulse - baseline``);
        - ``p_adjusted``; ``direction``: ``improved`` / ``declined`` where ``p_adjusted < significance``, else
          ``no clear change``;
        - ``suppressed``: either survey below ``min_n`` (every figure missing); ``hidden``: why it is hidden,
          or why pairs were not used though there are some.

    Raises
    ------
    PartnerDataError
        If the pulse holds a principle the baseline does not.
    """
    base, puls = _current_means(baseline), _current_means(pulse)
    order = [str(p) for p in dict.fromkeys(pulse["principle"].astype(str))]
    unknown = [p for p in order if p not in set(baseline["principle"].astype(str))]
    if unknown:
        raise PartnerDataError(
            f"the pulse asks about principles the annual survey does not have: {unknown}; expected some of "
            f"{sorted(set(baseline['principle'].astype(str)))} (principles are matched by their codebook name)"
        )
    rows = []
    for principle in order:
        b = base[base["principle"] == principle].set_index("respondent")["score"]
        p = puls[puls["principle"] == principle].set_index("respondent")["score"]
        rows.append(_row(principle, b, p, method.min_n, method.confidence))
    out = pd.DataFrame(rows).reindex(columns=PULSE_COLUMNS)
    for col in ("n_baseline", "n_pulse", "n_pairs"):
        out[col] = out[col].astype("Int64")
    for col in ("baseline", "pulse", "change", "ci_low", "ci_high", "p_value"):
        out[col] = out[col].astype(float)
    out["p_adjusted"] = adjust_p(out["p_value"].to_numpy(float), adjust)
    significant = (out["p_adjusted"] < method.significance).to_numpy(bool)
    change = out["change"].to_numpy(float)
    falling = np.where(significant & (change < 0), CHANGE_DIRECTIONS[1], CHANGE_DIRECTIONS[2])
    direction = np.where(significant & (change > 0), CHANGE_DIRECTIONS[0], falling).astype(object)
    direction[out["suppressed"].to_numpy(bool)] = None
    out["direction"] = pd.Categorical(direction, categories=list(CHANGE_DIRECTIONS))
    out["suppressed"] = out["suppressed"].astype(bool)
    out["hidden"] = out["hidden"].astype("str")
    out["test"] = out["test"].astype("str")
    return out


def action_status(actions: pd.DataFrame | None, principles) -> pd.DataFrame:
    """The actions register's actions on each principle, counted by status.

    Parameters
    ----------
    actions : DataFrame or None
        :func:`partnerlib.read_actions` (``principle``, ``status``); ``None``: no register.
    principles : list of str
        The principles to report on, in order.

    Returns
    -------
    DataFrame
        ``principle``, ``actions`` (how many), ``open`` (not done nor cancelled), and one column per status of
        :data:`partnerlib.vocabulary.ACTION_STATUSES` (its count).
    """
    rows = []
    for principle in principles:
        mine = (
            actions[actions["principle"].astype(str) == str(principle)]
            if actions is not None
            else pd.DataFrame({"status": []})
        )
        status = mine["status"].astype(str)
        counts = {s: int((status == s).sum()) for s in ACTION_STATUSES}
        rows.append({"principle": str(principle), "actions": len(mine),
                     "open": int((~status.isin(ACTION_FINISHED)).sum()), **counts})  # fmt: skip
    return pd.DataFrame(rows, columns=["principle", "actions", "open", *ACTION_STATUSES])
