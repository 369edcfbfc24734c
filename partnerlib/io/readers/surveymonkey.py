"""SurveyMonkey exports (CSV and XLSX): two header rows.

Row 1 holds the metadata headers (``Respondent ID, Collector ID, Start Date,
End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1``;
older files ``RespondentID, CollectorID, StartDate ...``) and then each
question's text *only above the first column of its block*.  Row 2 holds
``Response`` under a single-choice question, ``Open-Ended Response`` under a
text question, the statement under each column of a matrix, the option under
each column of a multi-select, and the prompt of a comment box.

Column naming rule (what a codebook uses): the question text of the block,
joined with `` | `` and the row-2 label when that label is neither
``Response`` nor ``Open-Ended Response``; metadata columns keep their row-1
header.  E.g. ``How well do we live these principles? | Trust``.

SurveyMonkey has no "finished" or "preview" column: every row counts as
finished (an abandoned response, with only its first answers filled, is
kept with the answers it has, and dropped as ``empty`` if it has no scored
answer).  To keep only complete responses, filter the collector in
SurveyMonkey before exporting.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Table
from ._base import Reader, header_row, strip_header

_PLAIN = {"response", "open-ended response"}
_FIRST = {"respondent id", "respondentid"}


class SurveyMonkeyReader(Reader):
    """Reader for SurveyMonkey CSV/XLSX exports (columns named ``Question | Row``)."""

    name = "surveymonkey"
    layout = "two header rows"
    header_rows = 2
    #: SurveyMonkey's own columns (current and older header names).
    bookkeeping = ("Respondent ID", "RespondentID", "Collector ID", "CollectorID", "Start Date", "StartDate",
                   "End Date", "EndDate")  # fmt: skip

    def detect(self, grid: pd.DataFrame) -> bool:
        """``Respondent ID`` (or ``RespondentID``) in the first cell and a second header row."""
        return grid.shape[0] >= 2 and grid.shape[1] >= 2 and strip_header(grid.iat[0, 0]).casefold() in _FIRST

    def names(self, table: Table) -> tuple[list[str], list[str]]:
        """Columns named by the naming rule of the module docstring (names and question texts alike)."""
        top, second = header_row(table, 0), header_row(table, 1)
        names = []
        block = ""
        for head, label in zip(top, second):
            if head:
                block = head
            if head and not label:
                name = head  # metadata column, or a question whose label row is blank
            elif not block:
                name = label
            elif label.casefold() in _PLAIN:
                name = block
            else:
                name = f"{block} | {label}"
            names.append(name)
        return names, names
