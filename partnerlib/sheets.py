"""Client spreadsheets (CSV and XLSX) read as located cells and written safely.

The KPI workbook, the objectives sheet and the actions register are kept by
clients in Excel or as CSV.  This module reads them into :class:`Sheet`
objects that remember where every cell came from (file, sheet, spreadsheet
row number, column header), so that every error can name its place, and
writes tables back:

- atomically (a temporary file beside the destination, then a rename; see
  :mod:`partnerlib.io`), so an interrupted save leaves the old file intact;
- safely: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return would be run as a formula by a spreadsheet program
  ("formula injection").  In XLSX such cells are written as text cells with
  Excel's quote-prefix flag (the value is stored unchanged); in CSV they are
  written with a leading apostrophe ``'``, which spreadsheet programs take as
  "this is text" (the OWASP recommendation).  Text that is exactly a number
  (``-5``, ``+3.5``) is not a formula and is left alone.  Reading a CSV back
  removes that one apostrophe again;
- reproducibly: XLSX files are written with fixed zip timestamps and fixed
  document dates, so the same table always gives the same bytes.
"""

from __future__ import annotations

from contextlib import contextmanager

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .exceptions import PartnerDataError, describe_place
from .io import atomic_path, atomic_write_text

#: First characters that make spreadsheet programs read a text cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
ENCODINGS = ("utf-8-sig", "cp1252")
_FIXED_TIME = dt.datetime(2000, 1, 1)


@dataclass
class Sheet:
    """One table of a client spreadsheet, as found.

    Attributes
    ----------
    path : Path
        The file read.
    name : str or None
        The worksheet name (``None`` for a CSV file).
    header : list of str
        The column headers of the first non-blank row, tidied (outer spaces and
        non-breaking spaces removed).
    rows : list of list
        The data rows, each as long as ``header``.  CSV cells are ``str``;
        XLSX cells keep their native type (``int``, ``float``, ``datetime``,
        ``str``, ``bool``), except that a number formatted as a percentage is
        read as the text the sheet shows (``0.85`` shown as ``85%`` -> ``"85%"``).
        Blank cells are ``None``.  Fully blank rows are left out.
    row_numbers : list of int
        The spreadsheet row number of each data row, as a spreadsheet program
        shows it (for XLSX, column ``i`` of the header is spreadsheet column ``i + 1``).
    header_row : int
        The spreadsheet row number of the header (usually 1).
    """

    path: Path
    name: str | None
    header: list[str]
    rows: list[list] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1

    def place(self, row: int | None = None, column: str | None = None, value=None) -> str:
        """:func:`describe_place` of a cell of this sheet (``row`` is a spreadsheet row number)."""
        return describe_place(self.path, sheet=self.name, row=row, column=column, value=value)

    def column(self, name: str) -> int | None:
        """Index of the column headed ``name`` (compared without case and outer spaces), or None."""
        want = tidy_header(name).casefold()
        for i, h in enumerate(self.header):
            if h.casefold() == want:
                return i
        return None



@contextmanager
def open_workbook(path, sheet=None, *, error=PartnerDataError):
    """Open an XLSX workbook read-only (cached values, not formulas) and close it after the block.

    Raises ``error`` (a :class:`PartnerDataError` subclass) naming the file when it cannot be read, or
    when ``sheet`` is given and the workbook has no such sheet (listing the sheets it has).
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise error(f"file '{path}': not a readable XLSX workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise error(f"file '{path}': no sheet {sheet!r}; the workbook has {wb.sheetnames}")
        yield wb
    finally:
        wb.close()

def tidy_header(value) -> str:
    """Header text with non-breaking spaces, line breaks and outer spaces tidied."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\u00a0", " ").split())


def is_blank(value) -> bool:
    """True for ``None`` and for text that is only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


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


# --------------------------------------------------------------------------------------------- reading

def _read_csv_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    return text


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in ",;\t"}
    return max(",;\t", key=lambda d: counts[d])


def _make_sheet(path: Path, name, records: list[tuple[int, list]]) -> Sheet:
    records = [(n, r) for n, r in records if not all(is_blank(v) for v in r)]
    if not records:
        return Sheet(path, name, [], [], [])
    (_, head), body = records[0], records[1:]
    header = [tidy_header(h) for h in head]
    while header and header[-1] == "" and all(len(r) < len(header) or is_blank(r[len(header) - 1])
                                              for _, r in body):
        header.pop()
    width = len(header)
    rows, numbers = [], []
    for n, r in body:
        extra = [v for v in r[width:] if not is_blank(v)]
        if extra:
            raise PartnerDataError(f"{describe_place(path, sheet=name, row=n, value=extra[0])}: "
                                   f"a value to the right of the last headed column; expected every value "
                                   f"under a column header")
        rows.append(list(r[:width]) + [None] * (width - len(r)))
        numbers.append(n)
    for i, h in enumerate(header):
        if h == "" and any(not is_blank(r[i]) for r in rows):
            raise PartnerDataError(f"{describe_place(path, sheet=name, row=records[0][0])}: column {i + 1} has "
                                   "values but no header; expected a header above every column")
    return Sheet(path, name, header, rows, numbers, records[0][0])


def _cell_value(cell):
    """A worksheet cell's value; a number shown as a percentage becomes the text the sheet shows ("85%")."""
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", None) or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return f"{value * 100:.12g}%"
    return value


def read_sheets(path, sheet: str | None = None) -> list[Sheet]:
    """Read a CSV file (one table) or an XLSX workbook (every sheet, or only ``sheet``).

    Parameters
    ----------
    path : str or Path
        ``.csv`` (UTF-8 with or without BOM, or cp1252; ``,``, ``;`` or tab
        delimited) or ``.xlsx``/``.xlsm``.
    sheet : str, optional
        For a workbook, read only this worksheet.

    Returns
    -------
    list of Sheet
        Blank rows are skipped; row numbers are kept.  CSV cells escaped by
        :func:`write_table` are unescaped.  Sheets with nothing on them are left out.

    Raises
    ------
    PartnerDataError
        The file is missing, not CSV/XLSX, unreadable, or ``sheet`` is not in it.
    """
    path = Path(path)
    if not path.is_file():
        raise PartnerDataError(f"file '{path}': not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = _read_csv_text(path)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
        try:
            records = [(n, [None if c == "" else unescape_csv_cell(c) for c in rec])
                       for n, rec in enumerate(reader, start=1)]
        except csv.Error as exc:
            raise PartnerDataError(f"file '{path}': not a readable CSV ({exc})") from exc
        if sheet is not None:
            raise PartnerDataError(f"file '{path}': sheet={sheet!r} given, but a CSV file has no sheets")
        found = [_make_sheet(path, None, records)]
    elif suffix in (".xlsx", ".xlsm"):
        with open_workbook(path, sheet) as wb:
            found = []
            for ws in ([wb[sheet]] if sheet is not None else wb.worksheets):
                records = [(n, [_cell_value(c) for c in r]) for n, r in enumerate(ws.iter_rows(), start=1)]
                found.append(_make_sheet(path, ws.title, records))
    else:
        raise PartnerDataError(f"file '{path}': expected a .csv or .xlsx file")
    return [s for s in found if s.header]


# --------------------------------------------------------------------------------------------- writing

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
        return value.date().isoformat() if value == dt.datetime.combine(value.date(), dt.time()) \
            else value.isoformat(sep=" ")
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
    """Write ``header`` and ``rows`` onto an empty openpyxl worksheet, text cells as text.

    Every ``str`` is stored as a text cell (never a formula); those that
    :func:`needs_escape` also get Excel's quote-prefix flag, so Excel shows
    them as text even after the cell is edited.  Dates get the ``yyyy-mm-dd`` format.
    """
    for r, values in enumerate([header] + list(rows), start=1):
        for c, value in enumerate(values, start=1):
            if _xlsx_value(value) is not None:
                set_cell(ws.cell(row=r, column=c), value, number_format=number_format)


def set_cell(cell, value, *, number_format: str | None = None) -> None:
    """Put one value into an openpyxl cell safely (``None``/NaN clears it).

    A ``str`` is stored as a text cell, never a formula; one that
    :func:`needs_escape` also gets Excel's quote-prefix flag.  Dates get the
    ``yyyy-mm-dd`` format; numbers ``number_format`` if given.
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
        raise PartnerDataError(f"file '{path}': expected a .csv or .xlsx file to write")
    from openpyxl import Workbook, load_workbook

    if path.is_file():
        try:
            wb = load_workbook(path)
        except Exception as exc:
            raise PartnerDataError(f"file '{path}': not a readable XLSX workbook, not overwritten ({exc})") from exc
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
