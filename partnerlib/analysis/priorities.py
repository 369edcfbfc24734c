"""The principles proposed for the action workshop (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from .scores import strengths_and_gaps


def _earlier_actions(principle: str, followup: pd.DataFrame | None) -> str:
    """``"2 (1 closed, 1 narrowed)"``: the actions on ``principle`` and their outcomes, or ``"none"``."""
    if followup is None or followup.empty:
        return "none"
    rows = followup[followup["principle"].astype(str) == principle]
    if rows.empty:
        return "none"
    counts = rows["outcome"].astype(str).value_counts()
    return f"{len(rows)} (" + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")"


def priorities(
    scores: pd.DataFrame,
    perception: pd.DataFrame | None = None,
    followup: pd.DataFrame | None = None,
    *,
    method: Method = METHOD,
) -> pd.DataFrame:
    """The principles proposed for the action workshop.

    Parameters
    ----------
    scores : DataFrame
        :func:`partnerlib.principle_scores` of the period (one group).
    perception : DataFrame, optional
        :func:`partnerlib.perception_differences`; flagged disagreements are noted.
    followup : DataFrame, optional
        :func:`partnerlib.action_followup`; the outcome of earlier actions on the principle is noted.
    method : Method
        ``method.top``: how many principles to propose.

    Returns
    -------
    DataFrame
        ``rank, principle, gap, current, importance, quadrant, disagreement``
        (the flagged difference between the organisations, else missing) and
        ``earlier_actions`` (e.g. ``"2 (1 closed, 1 narrowed)"``, or ``"none"``).
        The principles are the priorities of :func:`partnerlib.strengths_and_gaps` (the one rule): at most
        ``method.top`` principles of the *concentrate here* quadrant, largest gap first.  There may be fewer, or
        none, where fewer principles matter more than average without being strengths.
    """
    ranking = strengths_and_gaps(scores, method=method)
    chosen = ranking[ranking["kind"] == "priority"]
    out = chosen[["rank", "principle", "gap", "current", "importance", "quadrant"]].reset_index(drop=True)
    out["principle"] = out["principle"].astype("str")
    diff = pd.Series(np.nan, index=out.index)
    if perception is not None and len(perception):
        flagged = perception[perception["flag"].astype(bool)]
        lookup = dict(zip(flagged["principle"].astype(str), flagged["difference"].abs()))
        diff = out["principle"].map(lookup).astype(float)
    out["disagreement"] = diff
    out["earlier_actions"] = [_earlier_actions(p, followup) for p in out["principle"]]
    return out
