"""LimeSurvey CSV exports: one header row.

LimeSurvey writes its own columns first, by code (``id, submitdate,
lastpage, startlanguage, seed, startdate, datestamp, ipaddr, refurl``) or,
with "full question text" headings, by title (``Response ID, Date submitted,
Last page, Start language, Seed, Date started, Date last action, IP address,
Referrer URL``), or both (``submitdate. Date submitted``).  Questions follow,
headed by code (``Q2[SQ001]``) or text (``Question [Subquestion]``, often
with non-breaking spaces, tidied).  Recognised by a submit-date column and a
last-page or start-language column.  A blank submit date marks an incomplete
response.  In an anonymised survey without date stamps every submit date is
``1980-01-01 00:00:00``: still submitted.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Table
from ._base import Reader, column_of, strip_header

#: The submit-date header in LimeSurvey's three heading styles.
SUBMITTED = ("submitdate", "Date submitted", "submitdate. Date submitted")
BOOKKEEPING = (*SUBMITTED, "id", "Response ID", "id. Response ID", "lastpage", "Last page", "lastpage. Last page",
               "startlanguage", "Start language", "startlanguage. Start language", "seed", "Seed", "seed. Seed",
               "startdate", "Date started", "datestamp", "Date last action", "refurl", "Referrer URL")  # fmt: skip
_PAGES = {"lastpage", "last page", "lastpage. last page", "startlanguage", "start language",
          "startlanguage. start language"}  # fmt: skip


class LimeSurveyReader(Reader):
    """Reader for LimeSurvey exports (columns named by their header text or code)."""

    name = "limesurvey"
    bookkeeping = BOOKKEEPING

    def detect(self, grid: pd.DataFrame) -> bool:
        """A submit-date header and a last-page or start-language header among the first twelve."""
        if grid.shape[1] < 3 or len(grid) < 1:
            return False
        heads = {strip_header(v).casefold() for v in grid.iloc[0, :12]}
        return bool(heads & {s.casefold() for s in SUBMITTED}) and bool(heads & _PAGES)

    def flags(self, table: Table, names: list[str]) -> dict:
        """An incomplete response has no submit date."""
        submitted = column_of(names, table.text().iloc[1:], *SUBMITTED)
        return {} if submitted is None else {"finished": submitted.notna().to_numpy()}
