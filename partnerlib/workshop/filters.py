"""The workshop's filters and its anonymity guard: the selection helpers and the disclosure rules it uses.

Selections are applied with :mod:`partnerlib.analysis.selection`; whether one
may be shown is decided by the rules of :mod:`partnerlib.analysis.suppression`
(minimum group size, no differencing between views).  The rules bound what
two views reveal together; the minimum itself stays the first line of defence.

:func:`room_message` puts a refusal in words a room understands: which
group or which side is too small and why it is not shown, never its size.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..analysis.selection import ALL, active, filter_options, select
from ..analysis.suppression import Disclosure, check_disclosure, differencing_message, too_few_message


def room_message(
    respondents: pd.DataFrame,
    selection: Mapping[str, object] | None,
    verdict: Disclosure,
    *,
    min_n: int,
    period: str,
    split: str | None = None,
) -> str:
    """Why a refused selection is not shown, in words: the group or side that is too small, never its size.

    Parameters
    ----------
    respondents : DataFrame
        The period's respondents (one row each), as given to :func:`check_disclosure`.
    selection : mapping
        The active filters.
    verdict : Disclosure
        :func:`check_disclosure` of the same selection (and ``split``).
    min_n : int
        The anonymity minimum.
    period : str
        The period shown.
    split : str, optional
        The column a view compares inside the selection (the organisations).

    Returns
    -------
    str
        Empty when ``verdict.ok``.  The differencing refusal keeps
        :func:`differencing_message`; a group below the minimum gets
        :func:`too_few_message` followed by which group (or which side of a
        comparison) has fewer than ``min_n`` people and why that is not shown.
    """
    if verdict.ok:
        return ""
    if verdict.message == differencing_message(min_n):
        return verdict.message
    filters = active(selection)
    group = " · ".join(str(v) for v in filters.values()) or "everyone"
    chosen = select(respondents, filters)
    if split is not None and len(chosen) >= min_n:
        for side in filter_options(chosen, [split])[split][1:]:
            if len(select(respondents, {**filters, split: side})) < min_n:
                return (
                    f"{too_few_message(min_n)}: on the {side} side, fewer than {min_n} people answered "
                    f"({group}, {period}), so that side's answers could be traced back to them. "
                    "Widen the filters to compare the organisations."
                )
    return (
        f"{too_few_message(min_n)}: fewer than {min_n} people answered as {group} in {period}, so their "
        "answers could be traced back to them. Set a filter back to All to see a wider group."
    )


__all__ = [
    "ALL",
    "Disclosure",
    "active",
    "check_disclosure",
    "differencing_message",
    "filter_options",
    "room_message",
    "select",
    "too_few_message",
]
