"""Qualtrics exports: the three-header-row layout (2017 on), early "Insights"
exports, the two-row layout of some XLSX downloads (export tags, question
texts, no ImportId row) and the legacy two-row ``V1 ...`` layout.  CSV or
XLSX, numeric or choice-text values.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..tables import Table
from ._base import RawExport, Reader, column_of, header_row, make_export, strip_header

_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")
_PREVIEW_CODES = {"survey preview", "1", "9", "17"}
_TEST_CODES = {"survey test", "2"}
_TRUE = {"true", "1", "yes"}
#: Qualtrics's own columns (three-row, Insights and legacy layouts).
BOOKKEEPING = ("StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
               "ResponseId", "ResponseID", "ResponseSet", "DistributionChannel", "UserLanguage")  # fmt: skip
#: The columns a standard (non-anonymous) three-row export starts with, personal data included.
EXPORT_METADATA = ("StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
                   "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                   "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel",
                   "UserLanguage")  # fmt: skip
_FALSE = {"false", "0", "no"}


def _cell(grid: pd.DataFrame, row: int, col: int = 0) -> str:
    if grid.shape[0] <= row or grid.shape[1] <= col:
        return ""
    return strip_header(grid.iat[row, col])


def _flag(column: pd.Series, test) -> np.ndarray:
    """``test(text)`` for every cell, evaluated once per distinct value (blank cells are ``""``)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    hits = np.array([bool(test(str(u).strip().casefold())) for u in uniques] + [bool(test(""))])
    return hits[np.where(codes < 0, len(uniques), codes)]


def _progress_below_100(text: str) -> bool:
    try:
        return float(text) < 100
    except ValueError:  # bookkeeping column: an odd value simply does not mark the response unfinished
        return False


def _status_flags(column: pd.Series | None, n: int):
    if column is None:
        return np.zeros(n, bool), np.zeros(n, bool)
    return _flag(column, _PREVIEW_CODES.__contains__), _flag(column, _TEST_CODES.__contains__)


def _finished(finished: pd.Series | None, progress: pd.Series | None, n: int) -> np.ndarray:
    done = np.ones(n, bool)
    if finished is not None:
        done &= ~_flag(finished, _FALSE.__contains__)
    if progress is not None:
        done &= ~_flag(progress, _progress_below_100)
    return done


def _two_rows(grid: pd.DataFrame) -> bool:
    """Export tags above question texts, no ImportId row (an XLSX download): ``ResponseId`` above ``Response ID``
    and ``StartDate`` above ``Start Date`` where present."""
    if grid.shape[0] < 2:
        return False
    tags = [strip_header(v) for v in grid.iloc[0, :20]]
    pairs = {"ResponseId": "response id", "StartDate": "start date", "RecordedDate": "recorded date"}
    found = [(t, j) for j, t in enumerate(tags) if t in pairs]
    if not any(t == "ResponseId" for t, _ in found):
        return False
    return all(_cell(grid, 1, j).casefold() == pairs[t] for t, j in found)


class QualtricsReader(Reader):
    """Reader for Qualtrics CSV/XLSX exports (columns named by export tag)."""

    name = "qualtrics"
    bookkeeping = BOOKKEEPING

    def detect(self, grid: pd.DataFrame) -> bool:
        """Three-row layout: row 3 holds ImportId JSON.  Two-row: the ``ResponseId`` tag above ``Response ID``.
        Legacy: ``V1`` above ``ResponseID``."""
        if _IMPORT_ID.match(_cell(grid, 2)):
            return True
        return _two_rows(grid) or (_cell(grid, 0) == "V1" and _cell(grid, 1).casefold() == "responseid")

    def read(self, table: Table) -> RawExport:
        """Read the export; see the module docstring for the layouts handled."""
        grid = table.text()
        if _IMPORT_ID.match(_cell(grid, 2)):
            names, texts = header_row(table, 0), header_row(table, 1)
            insights = _cell(grid, 2).startswith("{'")  # early "Insights" exports: a Python-style dict
            header_rows, layout = 3, "Insights (three header rows)" if insights else "three header rows"
        elif _two_rows(grid):
            names, texts = header_row(table, 0), header_row(table, 1)
            header_rows, layout = 2, "two header rows (export tags, question text)"
        else:
            top, texts = header_row(table, 0), header_row(table, 1)
            names = [s if re.fullmatch(r"V\d+", t) else t for t, s in zip(top, texts)]
            header_rows, layout = 2, "legacy two header rows"
        body = grid.iloc[header_rows:]
        preview, test = _status_flags(column_of(names, body, "Status"), len(body))
        finished = _finished(column_of(names, body, "Finished"), column_of(names, body, "Progress"), len(body))
        return make_export(
            table,
            self.name,
            names,
            header_rows=header_rows,
            questions=texts,
            preview=preview,
            test=test,
            finished=finished,
            details={"layout": layout},
            bookkeeping=BOOKKEEPING,
        )
