"""Readers for survey exports, one module per platform, chosen through a registry.

Each reader is a class with ``name``, ``detect(grid) -> bool`` (does this grid
of header cells look like my platform?) and ``read(path, grid) -> RawExport``.
Registering a new platform is one call to :func:`register`; :func:`read_export`
detects the format (or takes ``format=``) and dispatches.

Registered: ``qualtrics`` (:mod:`.qualtrics`), ``surveymonkey``
(:mod:`.surveymonkey`), ``google_forms`` (:mod:`.google_forms`),
``microsoft_forms`` (:mod:`.microsoft_forms`) and ``generic``
(:mod:`.generic`, any one-header-row table, tried last).
"""

from __future__ import annotations

from pathlib import Path

from ..exceptions import ExportFormatError
from ._base import RawExport, read_grid
from .generic import GenericReader
from .google_forms import GoogleFormsReader
from .microsoft_forms import MicrosoftFormsReader
from .qualtrics import QualtricsReader
from .surveymonkey import SurveyMonkeyReader

_READERS: dict[str, object] = {}


def register(reader) -> None:
    """Add a reader to the registry (later registrations are tried first)."""
    _READERS[reader.name] = reader


def registered() -> list[str]:
    """Names of the registered formats, in detection order."""
    return list(reversed(_READERS))


# The generic reader accepts any one-header-row table, so it is registered first (tried last).
register(GenericReader())
register(MicrosoftFormsReader())
register(GoogleFormsReader())
register(SurveyMonkeyReader())
register(QualtricsReader())

_ZIP_MAGIC = b"PK\x03\x04"


def load_grid(path: Path):
    """Read a file as a grid of strings, whatever its container (CSV or XLSX).

    An XLSX workbook is recognised by its ``.xlsx``/``.xlsm`` suffix or by its
    zip signature (a workbook saved under a ``.csv`` name).
    """
    path = Path(path)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if path.suffix.lower() in {".xlsx", ".xlsm"} or magic == _ZIP_MAGIC:
        from ._xlsx import read_xlsx_grid

        return read_xlsx_grid(path)
    if path.suffix.lower() == ".xls":
        raise ExportFormatError(f"file '{path}': the old binary Excel format (.xls) is not read; open it in "
                                "Excel and save it as .xlsx or CSV (UTF-8)")
    return read_grid(path), None


def read_export(path, *, format: str | None = None) -> RawExport:
    """Read a survey export into a :class:`RawExport`.

    Parameters
    ----------
    path : path-like
        The export (CSV or XLSX).  It is only read.
    format : str, optional
        Force a registered format instead of detecting it.

    Raises
    ------
    ExportFormatError
        If the file is missing, the format is unknown, or no reader recognises it.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportFormatError(f"file '{path}': not found")
    grid, sheet = load_grid(path)
    if grid.empty:
        raise ExportFormatError(f"file '{path}'" + (f", sheet '{sheet}'" if sheet else "")
                                + ": empty; expected a header row and one row per response")
    if format is not None:
        if format not in _READERS:
            raise ExportFormatError(f"file '{path}': unknown format {format!r}; expected one of {registered()}")
        reader = _READERS[format]
    else:
        reader = next((r for name in registered() if (r := _READERS[name]).detect(grid)), None)
        if reader is None:
            first = [str(v) for v in grid.iloc[0, :6].tolist()] if len(grid) else []
            raise ExportFormatError(
                f"file '{path}': cannot recognise the export format (first header cells {first}); expected "
                f"one of {registered()}. Pass format= to force one.")
    try:
        export = reader.read(path, grid)
    except (IndexError, KeyError) as exc:  # a forced format whose layout the file does not have
        detected = next((n for n in registered() if _READERS[n].detect(grid)), None)
        raise ExportFormatError(f"file '{path}': does not have the layout of a {reader.name!r} export ({exc!r}); "
                                f"the detected format is {detected!r}") from exc
    export.sheet = sheet
    return export


__all__ = ["GenericReader", "GoogleFormsReader", "MicrosoftFormsReader", "QualtricsReader", "RawExport",
           "SurveyMonkeyReader", "load_grid", "read_export", "register", "registered"]
