"""Workshop filters and the anonymity guard (pure functions, no widgets).

A *selection* is a mapping ``{column: value}`` of the filters a facilitator
has set (organisation, role, codebook attributes); a filter left at "All" is
simply absent.  :func:`select` keeps the rows of a tidy table that match it,
and :func:`check_disclosure` decides whether figures for it may be shown.

The guard has two rules, applied to the respondents of one period:

1. **Minimum group size.**  The selected group must hold at least ``min_n``
   respondents; otherwise only the message "Too few responses to show
   (n < 5)" is shown.
2. **No differencing.**  A workshop lets people flip filters freely, so any
   group they can see can be subtracted from any other.  For every group
   obtained by *relaxing* some of the selection's filters (down to the whole
   period), the respondents it holds beyond the selection must number zero
   or at least ``min_n``.  Otherwise the figures of that small remainder
   could be recovered as ``(N_T * mean_T - N_S * mean_S) / (N_T - N_S)``
   from two views that are each above the minimum.  Example: with 6
   Northwind and 4 Contoso executives, "Northwind executives" (6) is refused
   because "all executives" (10) is shown too, and 10 - 6 = 4 < 5.

Views that compare groups inside the selection (the perception gap compares
the organisations) pass ``split``: each compared group is checked as a
selection of its own.  The rules bound what two views reveal together; they
do not make every combination of three or more views safe, which is why the
minimum itself stays the first line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Mapping

import numpy as np
import pandas as pd

from ..config import DEFAULT_MIN_N
from ..exceptions import PartnerDataError

#: The choice of a filter that keeps everyone.
ALL = "All"


def too_few_message(min_n: int = DEFAULT_MIN_N) -> str:
    """The message shown instead of any figure for a group below the minimum."""
    return f"Too few responses to show (n < {min_n})"


def differencing_message(min_n: int = DEFAULT_MIN_N) -> str:
    """The message shown when a selection would reveal a small remainder by difference."""
    return (f"Too few responses to show (n < {min_n} left out by this filter): the respondents it leaves out "
            "could be identified by comparing views. Widen or change the filters.")


@dataclass(frozen=True)
class Disclosure:
    """Whether a selection may be shown.

    Attributes
    ----------
    ok : bool
        True when both rules of the module hold.
    n : int or None
        Respondents in the selection when ``ok`` (never reported otherwise).
    message : str
        Empty when ``ok``; else the text to show instead of the figure.
    """

    ok: bool
    n: int | None
    message: str = ""


def active(selection: Mapping[str, object] | None) -> dict[str, str]:
    """The filters of ``selection`` that restrict anything (not ``None``, ``""`` or ``"All"``)."""
    return {str(k): str(v) for k, v in (selection or {}).items() if v is not None and str(v) not in ("", ALL)}


def filter_options(respondents: pd.DataFrame, columns) -> dict[str, list[str]]:
    """The values each filter column can take: ``{column: ["All", value, ...]}``.

    Values are the column's categories that occur among ``respondents``, in
    the category order (the codebook's order), so that a choice never leads
    to an empty table.

    Raises
    ------
    PartnerDataError
        If a column is not in ``respondents``.
    """
    missing = [c for c in columns if c not in respondents.columns]
    if missing:
        raise PartnerDataError(f"respondents table lacks filter columns {missing}; columns present: "
                               f"{list(respondents.columns)}")
    out = {}
    for col in columns:
        values = respondents[col]
        present = set(values.astype("str"))
        order = ([str(c) for c in values.cat.categories] if isinstance(values.dtype, pd.CategoricalDtype)
                 else sorted(present))
        out[col] = [ALL] + [v for v in order if v in present]
    return out


def _mask(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    if column not in frame.columns:
        raise PartnerDataError(f"cannot filter on '{column}': not a column of the table "
                               f"(columns: {list(frame.columns)})")
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in values.cat.categories]
        if value not in cats:
            return np.zeros(len(frame), bool)
        return values.cat.codes.to_numpy() == cats.index(value)
    return (values.astype("str") == value).to_numpy()


def select(frame: pd.DataFrame, selection: Mapping[str, object] | None) -> pd.DataFrame:
    """Rows of ``frame`` matching every active filter of ``selection`` (``attrs`` kept).

    Parameters
    ----------
    frame : DataFrame
        A tidy table (responses, respondents, comments) with the filter columns.
    selection : mapping
        ``{column: value}``; ``None``, ``""`` and ``"All"`` keep everyone.

    Raises
    ------
    PartnerDataError
        If a filter names a column the table lacks.
    """
    filters = active(selection)
    if not filters:
        return frame
    keep = np.ones(len(frame), bool)
    for column, value in filters.items():
        keep &= _mask(frame, column, value)
    out = frame[keep].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def check_disclosure(respondents: pd.DataFrame, selection: Mapping[str, object] | None, *,
                     min_n: int = DEFAULT_MIN_N, split: str | None = None) -> Disclosure:
    """Apply the two anonymity rules of this module to one period's respondents.

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
    base = {col: _mask(respondents, col, value) for col, value in filters.items()}
    cells = [base]
    if split is not None:
        levels = filter_options(select(respondents, filters), [split])[split][1:]
        cells += [{**base, split: _mask(respondents, split, level)} for level in levels]
    for cell in cells:
        problem = _check_cell(cell, len(respondents), min_n)
        if problem:
            return Disclosure(False, None, problem)
    return Disclosure(True, _count(base, list(base), len(respondents)))


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
