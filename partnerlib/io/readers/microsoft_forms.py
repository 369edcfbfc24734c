"""Microsoft Forms exports (XLSX as downloaded; CSV when a user converted it).

One header row: ``ID, Start time, Completion time, Email, Name``, newer files
also ``Last modified time``, then one column per question (a Likert question
has one column per statement, headed by the statement alone).  Headers can be
localised (Japanese ``開始時刻`` ...) and can hold non-breaking spaces, so the
format is recognised by its shape: a first header ``ID`` and start and
completion times in the next two columns.  The fourth and fifth columns
(e-mail, name; ``anonymous`` and blank in anonymous forms) are always dropped
as personal data, whatever their header says.  ID, start, completion and
(English or Japanese) last-modified times are the platform's bookkeeping.  Every row is a submitted,
finished response.
"""

from __future__ import annotations

import re

import pandas as pd

from ._base import Reader, strip_header

_ID = {"id", "id.", "ｉｄ"}
_START = {"start time", "開始時刻", "startzeit", "heure de début", "hora de inicio", "ora di inizio", "begintijd"}
_DONE = {"completion time", "完了時刻", "fertigstellungszeit", "heure de fin", "hora de finalización",
         "ora di completamento", "voltooiingstijd"}  # fmt: skip
_MODIFIED = {"last modified time", "最終更新時刻"}
_TIME = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]\d{1,2}:\d{2}")


def _looks_like_times(column: pd.Series) -> bool:
    values = column.dropna().astype("str").head(20)
    return bool(len(values) > 0 and values.str.match(_TIME).all())


class MicrosoftFormsReader(Reader):
    """Reader for Microsoft Forms XLSX/CSV exports (columns named by their header text)."""

    name = "microsoft_forms"
    personal = (3, 4)  # e-mail and name, whatever their localised header

    def detect(self, grid: pd.DataFrame) -> bool:
        """``ID`` first, then start and completion times (by header, or by date-time values)."""
        if grid.shape[1] < 5 or strip_header(grid.iat[0, 0]).casefold() not in _ID:
            return False
        heads = [strip_header(grid.iat[0, j]).casefold() for j in (1, 2)]
        if heads[0] in _START and heads[1] in _DONE:
            return True
        return len(grid) > 1 and all(_looks_like_times(grid.iloc[1:, j]) for j in (1, 2))

    def own_columns(self, names: list[str]) -> tuple[str, ...]:
        """ID, start and completion times, the last-modified time where present, a quiz's total points."""
        modified = [names[5]] if len(names) > 5 and names[5].casefold() in _MODIFIED else []
        return (*names[:3], *modified, "Total points")
