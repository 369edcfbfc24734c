"""XLSX exports read with openpyxl into the same grid of strings as a CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..exceptions import ExportFormatError
from ..sheets import open_workbook


def _as_text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value)
    return text if text.strip() else None


def read_xlsx_grid(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, str]:
    """Return the grid of strings of one worksheet (the first, unless ``sheet``) and its name.

    Native numbers become their shortest text (``4.0`` -> ``"4"``), dates ISO
    text, booleans ``True``/``False``, so readers treat XLSX and CSV alike.
    """
    with open_workbook(path, sheet, error=ExportFormatError) as wb:
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = [[_as_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        name = ws.title
    rows = [r for r in rows if any(v is not None for v in r)]
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype="str")
    while grid.shape[1] > 1 and grid.iloc[:, -1].isna().all():
        grid = grid.iloc[:, :-1]
    return grid, name
