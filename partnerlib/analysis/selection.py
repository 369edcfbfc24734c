"""Selections of respondents: the filters a workshop sets, applied to tidy tables (pure).

A *selection* is a mapping ``{column: value}`` of the filters set
(organisation, role, codebook attributes); a filter left at ``"All"`` is
simply absent.  Whether a selection may be shown is decided by
:func:`partnerlib.analysis.suppression.check_disclosure`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError

#: The choice of a filter that keeps everyone.
ALL = "All"


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
        raise PartnerDataError(
            f"respondents table lacks filter columns {missing}; columns present: {list(respondents.columns)}"
        )
    out = {}
    for col in columns:
        values = respondents[col]
        present = set(values.astype("str"))
        order = (
            [str(c) for c in values.cat.categories]
            if isinstance(values.dtype, pd.CategoricalDtype)
            else sorted(present)
        )
        out[col] = [ALL] + [v for v in order if v in present]
    return out


def mask(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Boolean mask of the rows of ``frame`` whose ``column`` is ``value`` (compared as text)."""
    if column not in frame.columns:
        raise PartnerDataError(
            f"cannot filter on '{column}': not a column of the table (columns: {list(frame.columns)})"
        )
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in values.cat.categories]
        if value not in cats:
            return np.zeros(len(frame), bool)
        return values.cat.codes.to_numpy() == cats.index(value)
    return (values.astype("str") == value).to_numpy()


def select(frame: pd.DataFrame, selection: Mapping[str, object] | None) -> pd.DataFrame:
    """Rows of ``frame`` matching every active filter of ``selection``.

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
        keep &= mask(frame, column, value)
    return frame[keep].reset_index(drop=True)
