"""Readers for survey exports, one module per platform, chosen through a registry.

Each reader is a :class:`Reader` with ``name``, ``detect(grid) -> bool`` (does
this grid of text cells look like my platform?) and ``read(table) -> RawExport``.
Registering a new platform is one call to :func:`register`; :func:`read_export`
reads the file through :mod:`partnerlib.io.tables`, detects the format (or
takes ``format=``) and dispatches.

Registered, in detection order: ``qualtrics`` (:mod:`.qualtrics`),
``surveymonkey`` (:mod:`.surveymonkey`), ``alchemer`` (:mod:`.alchemer`),
``typeform`` (:mod:`.typeform`), ``limesurvey`` (:mod:`.limesurvey`),
``google_forms`` (:mod:`.google_forms`), ``microsoft_forms``
(:mod:`.microsoft_forms`) and ``generic`` (:mod:`.generic`, any
one-header-row table, tried last).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...exceptions import ExportFormatError
from ..tables import Table, is_workbook, read_table, sheet_names
from ._base import RawExport, Reader
from .alchemer import AlchemerReader
from .generic import GenericReader
from .google_forms import GoogleFormsReader
from .limesurvey import LimeSurveyReader
from .microsoft_forms import MicrosoftFormsReader
from .qualtrics import QualtricsReader
from .surveymonkey import SurveyMonkeyReader
from .typeform import TypeformReader

_READERS: dict[str, Reader] = {}


def register(reader: Reader) -> None:
    """Add a reader to the registry (later registrations are tried first)."""
    _READERS[reader.name] = reader


def registered() -> list[str]:
    """Names of the registered formats, in detection order."""
    return list(reversed(_READERS))


# The generic reader accepts any one-header-row table, so it is registered first (tried last).
register(GenericReader())
register(MicrosoftFormsReader())
register(GoogleFormsReader())
register(LimeSurveyReader())
register(TypeformReader())
register(AlchemerReader())
register(SurveyMonkeyReader())
register(QualtricsReader())


def detect_format(grid: pd.DataFrame) -> str | None:
    """The name of the first registered reader (in detection order) that recognises ``grid``, or None."""
    return next((name for name in registered() if _READERS[name].detect(grid)), None)


def _export_sheet(path: Path, first: Table) -> Table:
    """The first worksheet of a workbook that holds an export, when the first one does not (a note, a cover).

    Raises
    ------
    ExportFormatError
        When no sheet holds an export, listing the sheets and their first header cells.
    """
    if not is_workbook(path):
        return first
    names = sheet_names(path)
    seen = []
    for name in names:
        table = first if name == first.sheet else read_table(path, name)
        if not table.empty and detect_format(table.text()) is not None:
            return table
        cells = [] if table.empty else [str(v) for v in table.text().iloc[0, :4].dropna().tolist()]
        seen.append(f"{name!r} (first cells {cells})")
    if len(names) == 1:
        return first
    raise ExportFormatError(
        f"no sheet holds a survey export; the workbook has {len(names)} sheets: {', '.join(seen)}. Pass "
        f"sheet= (or 'sheet:' in the codebook) to choose one, and format= to force a reader; expected one of "
        f"{registered()}",
        path=path,
    )


def read_export(path, *, format: str | None = None, sheet: str | None = None) -> RawExport:
    """Read a survey export into a :class:`RawExport`.

    Parameters
    ----------
    path : path-like
        The export (CSV or XLSX).  It is only read.
    format : str, optional
        Force a registered format instead of detecting it.
    sheet : str, optional
        The worksheet of a workbook (default: the first sheet that holds an export).

    Raises
    ------
    ExportFormatError
        If the file is empty, the format is unknown, or no reader recognises it (for a workbook: no sheet
        holds an export, listing its sheets);
        :class:`partnerlib.exceptions.FileFormatError` if it is not a readable table.
    """
    path = Path(path)
    if format is not None and format not in _READERS:
        raise ExportFormatError(f"unknown format {format!r}; expected one of {registered()}", path=path)
    table = read_table(path, sheet)
    if format is None and sheet is None and not table.empty and detect_format(table.text()) is None:
        table = _export_sheet(path, table)
    if table.empty:
        raise ExportFormatError("empty; expected a header row and one row per response", path=path, sheet=table.sheet)
    grid = table.text()
    if format is not None:
        reader = _READERS[format]
    else:
        detected = detect_format(grid)
        if detected is None:
            first = [str(v) for v in grid.iloc[0, :6].dropna().tolist()]
            raise ExportFormatError(
                f"cannot recognise the export format (first header cells {first}); expected "
                f"one of {registered()}. Pass format= to force one.",
                path=path,
                sheet=table.sheet,
            )
        reader = _READERS[detected]
    try:
        return reader.read(table)
    except (IndexError, KeyError) as exc:  # a forced format whose layout the file does not have
        raise ExportFormatError(
            f"does not have the layout of a {reader.name!r} export ({exc!r}); the detected "
            f"format is {detect_format(grid)!r}",
            path=path,
        ) from exc


__all__ = [
    "AlchemerReader",
    "GenericReader",
    "GoogleFormsReader",
    "LimeSurveyReader",
    "MicrosoftFormsReader",
    "QualtricsReader",
    "RawExport",
    "Reader",
    "SurveyMonkeyReader",
    "TypeformReader",
    "detect_format",
    "read_export",
    "register",
    "registered",
]
