"""Follow-up of the actions register: did the gap each action addressed close, and is it overdue? (pure)"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import ACTION_FINISHED, FOLLOWUP_OUTCOMES, normalise_status
from .aggregate import period_order

#: The register's columns carried into the follow-up table.
CARRIED = ("id", "period", "principle", "action", "owner", "due", "status")


def _principle(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
        return None
    return str(value)


def outcome(gap_created: float, gap_latest: float, *, later: bool, method: Method = METHOD) -> str:
    """The outcome of one action from its principle's gap when agreed and now (see :func:`action_followup`)."""
    if not later:
        return "not yet measured"
    if np.isnan(gap_created) or np.isnan(gap_latest):
        return "not measured"
    if gap_latest <= method.closed_gap:
        return "closed"
    change = gap_latest - gap_created
    if change <= -method.min_gap_change + 1e-12:
        return "narrowed"
    return "widened" if change >= method.min_gap_change - 1e-12 else "unchanged"


def _as_of(as_of, period: str):
    """The date overdue is judged at: ``as_of``, else the first day of ``period`` where it reads as a date."""
    if as_of is None:
        try:
            as_of = pd.Timestamp(period)
        except ValueError:
            return None
    return pd.Timestamp(as_of).normalize()


def _overdue(actions: pd.DataFrame, as_of) -> tuple[ExtensionArray, ExtensionArray]:
    """``overdue`` and ``days_overdue`` of each action at ``as_of`` (missing where ``as_of`` is unknown)."""
    n = len(actions)
    if as_of is None:
        return pd.array([pd.NA] * n, dtype="boolean"), pd.array([pd.NA] * n, dtype="Int64")
    due = pd.to_datetime(actions["due"]) if "due" in actions.columns else pd.Series(pd.NaT, index=actions.index)
    status = pd.Series(
        [normalise_status(v) for v in actions["status"]] if "status" in actions.columns else ["not started"] * n,
        index=actions.index,
    )
    late = (due < as_of).fillna(False) & ~status.isin(ACTION_FINISHED)
    days = (as_of - due).dt.days
    whole_days = cast(ExtensionArray, pd.array(np.where(late, days, np.nan), dtype="Float64").astype("Int64"))
    return (pd.array(late.to_numpy(bool), dtype="boolean"), whole_days)


def action_followup(
    actions: pd.DataFrame,
    scores_by_period: pd.DataFrame,
    *,
    period: str | None = None,
    as_of=None,
    method: Method = METHOD,
) -> pd.DataFrame:
    """Follow up each action: did the gap of its principle close, and is it overdue?

    Parameters
    ----------
    actions : DataFrame
        The register, as from :func:`partnerlib.read_actions`.
    scores_by_period : DataFrame
        ``partnerlib.principle_scores(responses, by="period", scale=...)``:
        columns ``period``, ``principle``, ``gap`` (suppressed rows have a missing gap).
    period : str, optional
        The period of the follow-up (the review being prepared); default the
        latest period of ``scores_by_period`` (in its category order, else sorted).
    as_of : date-like, optional
        The date at which overdue is judged (the review date).  Default: the
        first day of ``period`` where it reads as a date (``"2026"`` ->
        2026-01-01: anything due before the year of the review began and not
        finished is certainly overdue by then); otherwise overdue is not judged (missing).
    method : Method
        ``closed_gap``: the gap at or below which a principle's gap counts as closed (0.25 scale points:
        importance and current within a quarter point); ``min_gap_change``: the smallest change of the gap
        that counts as narrowed or widened (0.1 scale points; smaller moves are ``unchanged``).

    Returns
    -------
    DataFrame
        One row per action, the register's ``id``, ``period``, ``principle``,
        ``action``, ``owner``, ``due``, ``status``, then:

        - ``gap_created``: the principle's gap (``importance - current``) in the
          action's period;
        - ``followup_period`` and ``gap_latest``: the follow-up period and the
          principle's gap in it;
        - ``change``: ``gap_latest - gap_created`` (negative = the gap narrowed);
        - ``outcome``: ``closed`` where ``gap_latest <= method.closed_gap``; else
          ``narrowed`` where ``change <= -method.min_gap_change``, ``widened`` where
          ``change >= method.min_gap_change``, otherwise ``unchanged``; ``not yet measured`` where the action's
          period is the follow-up period or later (no later review yet);
          ``not measured`` where either gap is unknown (principle not scored, or
          its scores suppressed for too few respondents);
        - ``overdue``: ``due < as_of`` and status not ``done``/``cancelled``
          (False where there is no due date; missing where ``as_of`` is unknown);
        - ``days_overdue``: ``as_of - due`` in days where overdue, else missing.
    """
    need = [c for c in ("period", "principle", "gap") if c not in scores_by_period.columns]
    if need:
        raise PartnerDataError(
            f"scores_by_period lacks columns {need}; expected the output of "
            "partnerlib.principle_scores(responses, by='period', scale=...)"
        )
    order = period_order(scores_by_period)
    if not order:
        raise PartnerDataError("scores_by_period has no periods; expected principle_scores(..., by='period')")
    period = str(period) if period is not None else order[-1]
    if period not in order:
        raise PartnerDataError(f"follow-up period {period!r} is not in scores_by_period (periods {order})")
    gaps = {
        (str(p), str(q)): g
        for p, q, g in zip(
            scores_by_period["period"], scores_by_period["principle"], scores_by_period["gap"].astype(float)
        )
    }
    rank = {p: i for i, p in enumerate(order)}
    out = actions[[c for c in CARRIED if c in actions.columns]].copy()
    created, latest, outcomes = [], [], []
    for p, q in zip(actions["period"].astype(str), actions["principle"].map(_principle)):
        g0 = gaps.get((p, q), np.nan) if q else np.nan
        # a period without scores (no survey that year) is compared as text ("2023" < "2026")
        later = rank[p] < rank[period] if p in rank else p < period
        g1 = (gaps.get((period, q), np.nan) if q else np.nan) if later else np.nan
        created.append(g0)
        latest.append(g1)
        outcomes.append(outcome(g0, g1, later=later, method=method))
    out["gap_created"] = np.asarray(created, float)
    out["followup_period"] = period
    out["gap_latest"] = np.asarray(latest, float)
    out["change"] = out["gap_latest"] - out["gap_created"]
    out["outcome"] = pd.Categorical(outcomes, categories=list(FOLLOWUP_OUTCOMES))
    out["overdue"], out["days_overdue"] = _overdue(actions, _as_of(as_of, period))
    return out.reset_index(drop=True)
