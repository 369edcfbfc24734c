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

Data re-saved with only the first header row (``RespondentID`` first, then
a respondent on row 2) is read with one header row: row 2 is a label row
only when it looks like one, blank under the metadata columns and with a
label under some question.

SurveyMonkey has no "finished" or "preview" column: every row counts as
finished (an abandoned response, with only its first answers filled, is
kept with the answers it has, and dropped as ``empty`` if it has no scored
answer).  To keep only complete responses, filter the collector in
SurveyMonkey before exporting.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Table, is_blank
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
        """``Respondent ID`` (or ``RespondentID``) in the first cell."""
        return grid.shape[0] >= 1 and grid.shape[1] >= 2 and strip_header(grid.iat[0, 0]).casefold() in _FIRST

    def header_count(self, table: Table) -> int:
        """Two header rows when row 2 is a label row (see the module docstring), else one."""
        grid = table.text()
        if len(grid) < 2:
            return 1
        own = {b.casefold() for b in self.bookkeeping}
        meta = [j for j, h in enumerate(header_row(table, 0)) if h.casefold() in own] or [0]
        second = grid.iloc[1]
        labels = not all(is_blank(second.iloc[j]) for j in range(len(second)) if j not in meta)
        return 2 if labels and all(is_blank(second.iloc[j]) for j in meta) else 1

    def layout_of(self, table: Table) -> str:
        """``two header rows``, or ``one header row (re-saved)``."""
        return self.layout if self.header_count(table) == 2 else "one header row (re-saved)"

    def names(self, table: Table) -> tuple[list[str], list[str]]:
        """Columns named by the naming rule of the module docstring (names and question texts alike)."""
        if self.header_count(table) == 1:
            names = header_row(table, 0)
            return names, names
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
