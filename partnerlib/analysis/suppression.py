"""Every anonymity rule, in one place (pure).

1. **Minimum group size** (:func:`below_minimum`): no figure of a group of
   fewer than ``min_n`` respondents is shown.
2. **Complementary suppression** (:func:`complementary_suppression`): where
   exactly one group of a breakdown is hidden and the others are shown next
   to a total, the next-smallest group is hidden too, so the small one cannot
   be recovered by subtracting the shown groups from the total.
3. **No differencing between views** (:func:`check_disclosure`): a workshop
   lets people flip filters freely, so any group they can see can be
   subtracted from any other.  For every group obtained by *relaxing* some of
   a selection's filters (down to the whole period), the respondents it holds
   beyond the selection must number zero or at least ``min_n``.  Otherwise the
   figures of that small remainder could be recovered as
   ``(N_T * mean_T - N_S * mean_S) / (N_T - N_S)`` from two views that are
   each above the minimum.  Example: with 6 Northwind and 4 Contoso
   executives, "Northwind executives" (6) is refused because "all
   executives" (10) is shown too, and 10 - 6 = 4 < 5.  Views that compare
   groups inside the selection pass ``split``: each compared group is checked
   as a selection of its own.
4. **Comments** are shown only for groups of at least
   :attr:`partnerlib.settings.Method.comments_threshold` respondents
   (:func:`partnerlib.analysis.comments.comments_to_show`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..settings import METHOD
from .selection import active, filter_options, mask, select


def below_minimum(n, min_n: int = METHOD.min_n) -> np.ndarray:
    """True where a group's respondent count ``n`` is under the anonymity minimum (missing counts as 0)."""
    return np.asarray(pd.Series(n).astype("Float64").fillna(0).to_numpy(float) < min_n, bool)


def complementary_suppression(out: pd.DataFrame, by: list[str], unit: str = "principle") -> None:
    """Within each ``unit`` (and outer groups), hide the next-smallest group when exactly one is hidden.

    ``out`` needs ``n`` and a boolean ``suppressed`` column; it is updated in place.
    """
    outer = [*by[:-1], unit]
    for _, block in out.groupby(outer, observed=True):
        if block["suppressed"].sum() == 1 and len(block) > 1:
            shown = block[~block["suppressed"]]
            out.loc[shown["n"].astype(float).idxmin(), "suppressed"] = True


def too_few_message(min_n: int = METHOD.min_n) -> str:
    """The message shown instead of any figure for a group below the minimum."""
    return f"Too few responses to show (n < {min_n})"


def differencing_message(min_n: int = METHOD.min_n) -> str:
    """The message shown when a selection would reveal a small remainder by difference."""
    return (
        f"Too few responses to show (n < {min_n} left out by this filter): the respondents it leaves out "
        "could be identified by comparing views. Widen or change the filters."
    )


@dataclass(frozen=True)
class Disclosure:
    """Whether a selection may be shown.

    Attributes
    ----------
    ok : bool
        True when both rules hold.
    n : int or None
        Respondents in the selection when ``ok`` (never reported otherwise).
    message : str
        Empty when ``ok``; else the text to show instead of the figure.
    """

    ok: bool
    n: int | None
    message: str = ""


def _count(masks: dict, columns, size: int) -> int:
    keep = np.ones(size, bool)
    for col in columns:
        keep &= masks[col]
    return int(keep.sum())


def _check_cell(masks: dict, size: int, min_n: int) -> str:
    """The rule a group breaks (its message), or ``""``."""
    n = _count(masks, list(masks), size)
    if n < min_n:
        return too_few_message(min_n)
    for k in range(len(masks)):
        for kept in combinations(masks, k):
            extra = _count(masks, kept, size) - n
            if 0 < extra < min_n:
                return differencing_message(min_n)
    return ""


def check_disclosure(
    respondents: pd.DataFrame,
    selection: Mapping[str, object] | None,
    *,
    min_n: int = METHOD.min_n,
    split: str | None = None,
) -> Disclosure:
    """Apply the minimum-size and no-differencing rules to one period's respondents.

    Parameters
    ----------
    respondents : DataFrame
        One row per respondent of the period (``Survey.respondents`` for one period).
    selection : mapping
        The active filters, ``{column: value}``.
    min_n : int
        The anonymity minimum.
    split : str, optional
        A column whose groups the view compares inside the selection; each
        group present is checked as a selection of its own.

    Returns
    -------
    Disclosure
        ``ok`` with the selection's respondent count ``n``, or not ``ok`` with
        :func:`too_few_message` (a group below ``min_n``) or
        :func:`differencing_message` (a remainder ``0 < N_T - N_S < min_n``
        for some relaxation ``T`` of a selection ``S``).
    """
    filters = active(selection)
    base = {col: mask(respondents, col, value) for col, value in filters.items()}
    cells = [base]
    if split is not None:
        levels = filter_options(select(respondents, filters), [split])[split][1:]
        cells += [{**base, split: mask(respondents, split, level)} for level in levels]
    for cell in cells:
        problem = _check_cell(cell, len(respondents), min_n)
        if problem:
            return Disclosure(False, None, problem)
    return Disclosure(True, _count(base, list(base), len(respondents)))
