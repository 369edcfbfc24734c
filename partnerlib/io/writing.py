"""Client spreadsheets written safely: atomically, reproducibly, and never as formulas.

The actions register (and the demo's files) are written back into files that
clients open in Excel:

- atomically (a temporary file beside the destination, then a rename; see
  :mod:`partnerlib.io.atomic`), so an interrupted save leaves the old file intact;
- safely: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return would be run as a formula by a spreadsheet program
  ("formula injection").  In XLSX such cells are written as text cells with
  Excel's quote-prefix flag (the value is stored unchanged); in CSV they are
  written with a leading apostrophe ``'``, which spreadsheet programs take as
  "this is text" (the OWASP recommendation).  Text that is exactly a number
  (``-5``, ``+3.5``) is not a formula and is left alone.  Reading a CSV back
  (:func:`partnerlib.io.sheets.read_sheets`) removes that one apostrophe again;
- reproducibly: XLSX files are written with fixed zip timestamps and fixed
  document dates, so the same table always gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from ..exceptions import PartnerDataError
from .atomic import atomic_path, atomic_write_text

#: First characters that make spreadsheet programs read a text cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_FIXED_TIME = dt.datetime(2000, 1, 1)


def needs_escape(value) -> bool:
    """True where ``value`` is text a spreadsheet program would run as a formula.

    That is text beginning with one of :data:`FORMULA_TRIGGERS`, except text
    that is exactly a number such as ``-5`` or ``+3.5``; in CSV also text that
    already begins with apostrophes followed by a trigger (so that escaping
    can be undone exactly).
    """
    if not isinstance(value, str) or not value:
        return False
    if _ESCAPED.match(value):
        return True
    return value[0] in FORMULA_TRIGGERS and not _NUMBER.match(value)


def escape_csv_cell(value):
    """The CSV form of a cell: ``'`` put before text that :func:`needs_escape`."""
    return "'" + value if needs_escape(value) else value


def unescape_csv_cell(value):
    """Undo :func:`escape_csv_cell`: one leading ``'`` removed before a formula trigger."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalars
    return value


def _csv_value(value) -> str:
    value = _xlsx_value(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat()
            if value == dt.datetime.combine(value.date(), dt.time())
            else value.isoformat(sep=" ")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape_csv_cell(str(value)) if isinstance(value, str) else str(value)


def csv_text(header: list[str], rows: list[list]) -> str:
    """The CSV text (RFC 4180, CRLF line ends) of a table, text cells escaped against formula injection."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in header])
    for r in rows:
        writer.writerow([_csv_value(v) for v in r])
    return buf.getvalue()


def fill_sheet(ws, header: list[str], rows: list[list], *, number_format: str | None = None) -> None:
    """Write ``header`` and ``rows`` onto an empty openpyxl worksheet, text cells as text (see :func:`set_cell`)."""
    for r, values in enumerate([header, *list(rows)], start=1):
        for c, value in enumerate(values, start=1):
            if _xlsx_value(value) is not None:
                set_cell(ws.cell(row=r, column=c), value, number_format=number_format)


def set_cell(cell, value, *, number_format: str | None = None) -> None:
    """Put one value into an openpyxl cell safely (``None``/NaN clears it).

    A ``str`` is stored as a text cell, never a formula; one that
    :func:`needs_escape` also gets Excel's quote-prefix flag, so Excel shows it
    as text even after the cell is edited.  Dates get the ``yyyy-mm-dd``
    format; numbers ``number_format`` if given.
    """
    value = _xlsx_value(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = needs_escape(value)
        return
    cell.value = value
    if value is None:
        return
    if isinstance(value, (dt.datetime, dt.date)):
        cell.number_format = "yyyy-mm-dd"
    elif number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.number_format = number_format


def workbook_bytes(wb) -> bytes:
    """The bytes of an openpyxl workbook, made reproducible.

    The document's created/modified dates and every zip entry's timestamp are
    set to 2000-01-01, so equal content always gives equal bytes.
    """
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "partnerlib"
    first = io.BytesIO()
    wb.save(first)
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def xlsx_bytes(tables: dict[str, tuple[list[str], list[list]]], *, number_format: str | None = None) -> bytes:
    """A reproducible XLSX workbook with one worksheet per ``name -> (header, rows)``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in tables.items():
        fill_sheet(wb.create_sheet(name), header, rows, number_format=number_format)
    return workbook_bytes(wb)


def load_for_editing(path: Path, *, keep_vba: bool = False):
    """An existing workbook opened for editing (formulas and formats kept).

    Raises
    ------
    PartnerDataError
        Naming the file when it is not a readable workbook: it is then not overwritten.
    """
    from openpyxl import load_workbook

    try:
        return load_workbook(path, keep_vba=keep_vba)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise PartnerDataError(f"not a readable XLSX workbook, not overwritten ({exc})", path=path) from exc


def write_table(path, header: list[str], rows: list[list], *, sheet: str | None = None) -> Path:
    """Write one table to ``path`` (CSV or XLSX) atomically and safely.

    For an XLSX file that already exists, only the worksheet ``sheet``
    (default: the first) is replaced; the workbook's other sheets are kept.
    Text cells are protected against formula injection (see the module notes).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return atomic_write_text(path, csv_text(header, rows), newline="")
    if suffix not in (".xlsx", ".xlsm"):
        raise PartnerDataError("expected a .csv or .xlsx file to write", path=path)
    from openpyxl import Workbook

    if path.is_file():
        wb = load_for_editing(path)
        name = sheet or wb.worksheets[0].title
        if name in wb.sheetnames:
            index = wb.sheetnames.index(name)
            wb.remove(wb[name])
            ws = wb.create_sheet(name, index)
        else:
            ws = wb.create_sheet(name)
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet or "Sheet1"
    fill_sheet(ws, header, rows)
    data = workbook_bytes(wb)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
