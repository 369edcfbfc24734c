"""Alchemer (formerly SurveyGizmo) CSV/XLSX exports: one header row.

The export opens with its own columns, in varying order and selection
(``Response ID``, ``Time Started``, ``Date Submitted``, ``Status``,
``Contact ID``, ``Language``, ``Referer``, ``SessionID``, ``User Agent``,
``IP Address``, ``Longitude``, ``Latitude``, ``Country``, ``City``, ...), then
one column per question headed by its text (``Row:Question`` for a grid row,
``Other - Write In:Question`` for an "other" box).  Recognised by ``Time
Started`` and ``Status`` among the first headers, with ``Date Submitted`` or
``Response ID``.  ``Status`` is ``Complete``, ``Partial`` (the respondent left
part-way) or ``Disqualified`` (screened out by the survey's logic): the last
two are unfinished and excluded as ``incomplete``; ``Test`` is a test response.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Table
from ._base import Reader, column_of, strip_header

#: Alchemer's own columns (its metadata block, as far as it is not personal data).
BOOKKEEPING = ("Response ID", "Time Started", "Date Submitted", "Status", "Contact ID", "Legacy Comments",
               "Comments", "Language", "Referer", "SessionID", "User Agent", "Tags", "Country", "State/Region",
               "Extended Referer", "Date Started")  # fmt: skip
#: ``Status`` values of a response that did not finish the survey.
UNFINISHED = {"partial", "disqualified"}
TEST = {"test", "test data"}


class AlchemerReader(Reader):
    """Reader for Alchemer / SurveyGizmo exports (columns named by their header text)."""

    name = "alchemer"
    bookkeeping = BOOKKEEPING

    def detect(self, grid: pd.DataFrame) -> bool:
        """``Time Started`` and ``Status`` among the first ten headers, with ``Date Submitted`` or ``Response ID``."""
        if grid.shape[1] < 3 or len(grid) < 1:
            return False
        heads = {strip_header(v).casefold() for v in grid.iloc[0, :10]}
        return {"time started", "status"} <= heads and bool(heads & {"date submitted", "response id"})

    def flags(self, table: Table, names: list[str]) -> dict:
        """``Partial`` and ``Disqualified`` responses are unfinished; ``Test`` ones are tests."""
        status = column_of(names, table.text().iloc[1:], "Status")
        if status is None:
            return {}
        folded = status.fillna("").str.strip().str.casefold()
        return {"finished": ~folded.isin(UNFINISHED).to_numpy(), "test": folded.isin(TEST).to_numpy(dtype=bool)}


__all__ = ["AlchemerReader"]
