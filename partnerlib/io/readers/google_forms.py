"""Google Forms responses (CSV from Sheets or from the Forms download).

One header row: ``Timestamp``, ``Email Address`` (when collected), ``Score``
(quizzes), then the question titles; a grid (Likert) question has one column
per row, ``Title [Row]``.  Header white space is tidied (leading and trailing
spaces dropped, the double space Google sometimes writes before ``[``
becomes one), so a codebook names grid columns ``Title [Row]``.  Duplicate
titles are allowed by Google Forms: the second becomes ``Title.1``, the third
``Title.2``, as pandas names them.  Checkbox answers stay one cell (joined by
``, ``); Google Forms keeps submitted responses only, so every row is finished.
"""

from __future__ import annotations

import pandas as pd

from ._base import Reader, strip_header

#: The first header of a Google Forms response sheet, in the languages most often seen.
TIMESTAMP_HEADERS = {"timestamp", "marca temporal", "horodateur", "zeitstempel", "informazioni cronologiche",
                     "carimbo de data/hora", "tijdstempel", "sygnatura czasowa", "タイムスタンプ"}  # fmt: skip


class GoogleFormsReader(Reader):
    """Reader for Google Forms CSV exports (columns named by their header text)."""

    name = "google_forms"

    def detect(self, grid: pd.DataFrame) -> bool:
        """The first header cell is ``Timestamp`` (or its translation)."""
        return grid.shape[1] >= 2 and len(grid) >= 1 and strip_header(grid.iat[0, 0]).casefold() in TIMESTAMP_HEADERS

    def own_columns(self, names: list[str]) -> tuple[str, ...]:
        """The timestamp (in whatever language its header is) and a quiz's score."""
        return (names[0], "Score")
