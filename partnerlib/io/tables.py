"""The one table-reading layer: every file partnerlib reads becomes a :class:`Table` here.

Survey exports, KPI workbooks, objectives sheets, actions registers and
rosters all come through :func:`read_tables`, so they share one set of rules:

- **Text files** (CSV and tab-separated text): UTF-8 with or without BOM,
  UTF-16 with BOM (Excel's "Unicode Text"), or Windows-1252 (files re-saved
  by Excel); a file that mixes UTF-8 and Windows-1252 is refused, naming the
  line where the encoding changes (it would otherwise show "SociÃ©tÃ©" as an
  organisation of its own).  The delimiter is the one of ``,`` ``;`` and tab
  that splits the first line best (outside quotes).  LF, CRLF and CR-only
  line ends.  A file with NUL bytes (and no UTF-16 BOM) is binary and refused.
- **XLSX workbooks** are read with openpyxl in read-only mode *after*
  forgetting the sheet's declared ``<dimension>``: Microsoft Forms and
  Qualtrics write ``A1`` for sheets of hundreds of rows, and a crafted file
  may declare ``A1:XFD1048576``; only the cells really present are read.
  A worksheet whose zip entry declares more than :attr:`Limits.max_sheet_bytes`
  uncompressed, which holds more cells than :attr:`Limits.max_cells`, or
  more formatted but empty cells than :attr:`Limits.max_empty_cells` beyond
  twice its valued cells (counted in its XML before parsing, in about a
  second for a million) is refused with a message naming the bound.  Cells keep their native types
  (numbers, dates, booleans, text); a number formatted as a percentage is
  read as the text the sheet shows (``0.85`` shown as ``85%`` is ``"85%"``).
- **Every row as wide as the first**: a row with more fields, or fewer, is
  refused naming it (never padded with blanks).
- **Rows are numbered as a spreadsheet program shows them**: the first line
  of a file is row 1, a quoted cell spanning several lines is one row, and
  blank rows (Excel's trailing ``,,,,``) are dropped but keep their number
  for the rows after them.  Every message of the package names rows this way.
- **Text is tidied one way** (:func:`tidy_text`): non-breaking spaces, line
  breaks and runs of spaces become one space, outer spaces go.  Headers and
  the column names a codebook gives both go through it, so they match however
  the platform spaced them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import FileFormatError, LimitExceededError, PartnerDataError
from ..settings import LIMITS, Limits

#: The delimiters a text table may use.
DELIMITERS = ",;\t"
#: Suffixes read as XLSX workbooks (a workbook saved under another name is recognised by its zip signature).
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
#: A valid UTF-8 sequence of two or more bytes: text that holds one and also fails to decode as UTF-8 mixes
#: encodings.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SPACES = re.compile(r"\s+")


def tidy_text(value) -> str:
    """Cell or header text tidied: ``None`` -> ``""``, white space (NBSP and line breaks too) collapsed, stripped.

    ``4.0`` becomes ``"4"``, so that a number typed in a header reads as it is shown.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).replace("\u00a0", " ")).strip()


#: UTF-8 bytes of an accented letter shown as Windows-1252 text: "é" become "Ã©".
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")
#: Scripts whose letters look like Latin ones (``а`` U+0430 CYRILLIC SMALL LETTER A looks like ``a``).
_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN")


def odd_characters(text: str) -> str | None:
    """What makes ``text`` look like another value it is not, or None.

    Text garbled by a wrong decoding ("SociÃ©tÃ©" for "Société"), an invisible
    character (a zero-width space, a soft hyphen, a direction mark: any
    Unicode format character) or a letter of a look-alike script
    (Cyrillic, Greek, Armenian) in a word of Latin letters makes "Contoso"
    and "Contoso" two groups that a reader cannot tell apart.
    """
    garbled = _MOJIBAKE.search(text)
    if garbled:
        return f"{garbled.group()!r}, UTF-8 text read as Windows-1252 (mojibake)"
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            return f"an invisible character U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}) at position {i + 1}"
    for word in re.findall(r"\w+", text):
        scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in word if ch.isalpha()}
        odd = scripts & set(_LOOKALIKE_SCRIPTS)
        if odd and "LATIN" in scripts:
            ch = next(c for c in word if unicodedata.name(c, "").split(" ")[0] in odd)
            return f"a {unicodedata.name(ch).title()} (U+{ord(ch):04X}) among Latin letters in {word!r}"
    return None


def is_blank(value) -> bool:
    """True for ``None``, NaN and text that is only white space."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return bool(np.isnan(value))
    return isinstance(value, str) and not value.strip()


@dataclass
class Table:
    """One table of a file, as a spreadsheet program shows it.

    Attributes
    ----------
    path : Path
        The file read (only ever read).
    sheet : str or None
        The worksheet, for a workbook.
    cells : DataFrame
        One row per non-blank row of the table, columns ``0 .. k-1``.  Text
        files: ``str`` cells; workbooks: native values (``str``, ``int``,
        ``float``, ``bool``, ``datetime``).  Blank cells are missing.
    rows : ndarray of int
        The row number of each row of ``cells`` as a spreadsheet program shows it.
    encoding, delimiter : str or None
        How a text file was decoded and split.
    """

    path: Path
    sheet: str | None
    cells: pd.DataFrame
    rows: np.ndarray
    encoding: str | None = None
    delimiter: str | None = None
    _text: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def empty(self) -> bool:
        """True when the table has no cell at all."""
        return self.cells.empty

    def text(self) -> pd.DataFrame:
        """The cells as text (``str`` dtype, blanks missing), as a survey reader compares them.

        Native workbook values become the text a CSV export would hold:
        whole numbers without ``.0``, dates in ISO form, booleans
        ``True``/``False``.
        """
        if self._text is None:
            if self.encoding is not None:  # a text file: already text
                self._text = self.cells
            else:
                converted = self.cells.map(_as_text) if len(self.cells) else self.cells
                self._text = converted.astype("str")
        return self._text


def _as_text(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


# --------------------------------------------------------------------------------------------- text files


def detect_encoding(raw: bytes, path) -> str:
    """The encoding of a text file's bytes: ``utf-16``, ``utf-8-sig`` or ``cp1252``.

    Raises
    ------
    FileFormatError
        For a binary file, a file mixing UTF-8 and Windows-1252 (naming the
        line where the first byte that is not UTF-8 stands), or bytes that are
        neither encoding.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw[:4096]:
        raise FileFormatError(
            "a binary file, not a text table; expected a CSV (comma, semicolon or tab separated) or an XLSX workbook",
            path=path,
        )
    bad = _first_non_utf8(raw)
    if bad is None:
        return "utf-8-sig"
    line = raw.count(b"\n", 0, bad) + 1
    if _UTF8_MULTIBYTE.search(raw):
        raise FileFormatError(
            f"the text changes encoding part-way: it holds UTF-8 text, but the bytes at line "
            f"{line} are not UTF-8 (they look like Windows-1252). Re-save the whole file as "
            "UTF-8 (or as Windows-1252); read as it is, accented names would split into "
            "groups of their own",
            path=path,
            row=line,
        )
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        raise FileFormatError(
            f"the text is neither UTF-8 nor Windows-1252 (first undecodable byte at line "
            f"{line}); re-save it as UTF-8 CSV",
            path=path,
            row=line,
        ) from None
    return "cp1252"


def _first_non_utf8(raw: bytes, chunk: int = 1 << 20) -> int | None:
    """The offset of the first byte of ``raw`` that is not UTF-8, or None.

    Checked without decoding the whole file into one string (a 100 MB export would make a 100 MB string only to
    drop it): ASCII is UTF-8, and anything else is decoded a megabyte at a time.
    """
    if raw.isascii():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(raw), chunk):
        try:
            decoder.decode(raw[start : start + chunk], final=start + chunk >= len(raw))
        except UnicodeDecodeError as exc:
            # The decoder keeps an unfinished sequence from the previous chunk: count back to where it began.
            return max(0, start + exc.start - len(decoder.getstate()[0]))
    return None


def sniff_delimiter(first_line: str, path) -> str:
    """The one of ``, ; TAB`` that splits ``first_line`` (outside quotes) into the most fields.

    Raises
    ------
    FileFormatError
        If none splits it: a one-column text file is not a table.
    """
    counts = {}
    for d in DELIMITERS:
        try:
            counts[d] = len(next(csv.reader([first_line], delimiter=d)))
        except (csv.Error, StopIteration):
            counts[d] = 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] < 2:
        raise FileFormatError(
            "the first line has no ',', ';' or tab delimiter; expected a table with one column per question or field",
            path=path,
            row=1,
        )
    return best


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise LimitExceededError(
            f"{size:,} bytes, more than the {limits.max_file_bytes:,} a table may hold "
            "(Limits.max_file_bytes); split the file or raise the limit",
            path=path,
        )
    return path.read_bytes()


def read_text_table(path: Path, *, limits: Limits = LIMITS) -> Table:
    """Read a CSV (or tab-separated) file as a :class:`Table` of text cells (see the module notes).

    A file whose records are all as wide as the first (the common case) is parsed by pyarrow's multi-threaded
    CSV reader; any other goes through pandas' parser and the checks whose errors name the row at fault.
    Both give the same cells and row numbers.
    """
    raw = _read_bytes(path, limits)
    encoding = detect_encoding(raw, path)
    if encoding == "utf-16" or (b"\r" in raw and b"\n" not in raw):
        # Decoded whole (UTF-16, or CR-only line ends of old Mac Excel): small files in practice.
        text = raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        data, pd_encoding = text.encode("utf-8"), "utf-8-sig"
        head = text[: 1 << 16]
    else:
        data, pd_encoding = raw, encoding
        head = raw[: 1 << 20].decode(encoding, errors="replace")
    first = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delimiter = sniff_delimiter(first, path)
    cells, rows = _read_fast(data, pd_encoding, delimiter, _width(head, delimiter))
    if cells is None:
        cells, rows = _read_checked(data, pd_encoding, delimiter, path)
    if len(cells) > limits.max_rows or cells.shape[1] > limits.max_columns:
        raise LimitExceededError(
            f"{len(cells):,} rows x {cells.shape[1]:,} columns, more than a table may hold "
            f"({limits.max_rows:,} x {limits.max_columns:,}, Limits)",
            path=path,
        )
    cells, rows = _trim(cells, rows)
    return Table(path=path, sheet=None, cells=cells, rows=rows, encoding=encoding, delimiter=delimiter)


def record_fields(raw: bytes, delimiter: str) -> np.ndarray:
    """The number of fields of each record (line, or quoted cell spanning lines) of CSV bytes, counted with numpy.

    A delimiter or line end counts only outside quotes; a doubled quote inside a quoted field toggles twice, so
    the quote parity of every position is exact for CSV as Excel and the platforms write it.  An empty line is a
    record of one field.
    """
    a = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(a == ord('"'))

    def outside(idx: np.ndarray) -> np.ndarray:
        return idx[np.searchsorted(quotes, idx) % 2 == 0]

    ends = outside(np.flatnonzero(a == ord("\n")))
    if len(a) and a[-1] != ord("\n"):
        ends = np.append(ends, len(a))
    delims = outside(np.flatnonzero(a == ord(delimiter)))
    return np.diff(np.searchsorted(delims, ends), prepend=0) + 1


def _width(head: str, delimiter: str) -> int:
    """The number of fields of the first record (which may span lines) of the text ``head``."""
    try:
        return len(next(csv.reader(io.StringIO(head.lstrip("\ufeff"), newline=""), delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return 0


def _read_fast(data: bytes, encoding: str, delimiter: str, width: int):
    """Parse a text table with pyarrow (every cell as text, blank cells missing), or ``(None, None)``.

    Taken only where it gives what :func:`_read_checked` gives: every record as wide as the first (pyarrow
    refuses any other, and the checked reading then names the row).  An empty line is kept as a blank row (as
    the checked reading keeps it), so that the rows after it keep the numbers a spreadsheet program shows.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if not width:
        return None, None
    if encoding == "cp1252":
        data = data.decode("cp1252").encode("utf-8")
    elif data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    names, text = [str(i) for i in range(width)], pa.string()
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, text), null_values=[""], strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid:  # a record wider or narrower than the first
        return None, None
    cells = table.to_pandas(types_mapper={text: pd.StringDtype(na_value=np.nan)}.get)
    return cells.set_axis(range(width), axis=1), np.arange(1, table.num_rows + 1)


def _read_checked(data: bytes, encoding: str, delimiter: str, path: Path):
    """Parse a text table with pandas, refusing a row wider or shorter than the first, naming it."""
    source = io.BytesIO(data)
    try:
        cells = pd.read_csv(
            source,
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            encoding=encoding,
        )
    except pd.errors.ParserError as exc:
        raise _ragged_row(source, encoding, delimiter, path) or FileFormatError(
            f"not a readable CSV ({str(exc).strip()})", path=path
        ) from exc
    except pd.errors.EmptyDataError:
        cells = pd.DataFrame()
    _check_short_rows(record_fields(data, delimiter), cells, path)
    return cells, np.arange(1, len(cells) + 1)


def _check_short_rows(fields: np.ndarray, cells: pd.DataFrame, path: Path) -> None:
    """Refuse a row with fewer fields than the first row (pandas would pad it with blanks, shifting nothing but
    hiding a cut-short or merged line); blank lines are not rows and are left alone."""
    if len(fields) != len(cells) or not len(fields):
        return  # the count cannot be matched to the rows (never seen); pandas' reading stands
    short = np.flatnonzero((fields < fields[0]) & cells.notna().any(axis=1).to_numpy())
    if len(short):
        i = int(short[0])
        raise FileFormatError(
            f"{fields[i]} fields where the first row has {fields[0]}; expected every row as wide as the header "
            "(a line cut short, or a value with an unquoted line break); the row is never padded with blanks",
            path=path,
            row=i + 1,
        )


def _ragged_row(source: io.BytesIO, encoding: str, delimiter: str, path: Path) -> FileFormatError | None:
    """The error for the first row wider than the first row (a row pandas refused), located by the csv module."""
    source.seek(0)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    width = None
    for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
        if width is None:
            width = len(record)
        elif len(record) > width:
            extra = next((v for v in record[width:] if v.strip()), record[width])
            return FileFormatError(
                f"a value to the right of the last headed column ({len(record)} fields where the "
                f"first row has {width}); expected every row as wide as the header (check for a "
                "stray delimiter)",
                path=path,
                row=number,
                value=extra,
            )
    return None


def _trim(cells: pd.DataFrame, rows: np.ndarray | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Drop fully blank rows (keeping the others' row numbers) and trailing fully blank columns.

    A trailing blank column is the empty field after a trailing delimiter (the legacy Qualtrics
    export ends every line with a comma) or Excel's formatted but empty cells.
    """
    rows = np.arange(1, len(cells) + 1) if rows is None else rows
    filled = cells.notna().to_numpy()
    keep = filled.any(axis=1)
    used = np.flatnonzero(filled.any(axis=0))
    width = int(used[-1]) + 1 if len(used) else 0
    if not keep.all():
        cells = cells.iloc[np.flatnonzero(keep)].reset_index(drop=True)
    if width < cells.shape[1]:
        cells = cells.iloc[:, :width]
    return cells, np.asarray(rows)[keep]


# --------------------------------------------------------------------------------------------- workbooks


def is_workbook(path: Path) -> bool:
    """True for an XLSX workbook: by its suffix, or by its zip signature (a workbook saved as ``.csv``)."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return True
    with open(path, "rb") as fh:
        return fh.read(4) == _ZIP_MAGIC


def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse a workbook whose worksheets or shared strings declare more bytes than the limit (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                parts = ("xl/worksheets/", "xl/sharedStrings")
                if info.filename.startswith(parts) and info.file_size > limits.max_sheet_bytes:
                    raise LimitExceededError(
                        f"the workbook part '{info.filename}' declares {info.file_size:,} bytes uncompressed, more "
                        f"than the {limits.max_sheet_bytes:,} a worksheet may hold (Limits.max_sheet_bytes); "
                        "save the data as CSV",
                        path=path,
                    )
    except zipfile.BadZipFile as exc:
        raise FileFormatError(f"not a readable XLSX workbook ({exc})", path=path) from exc


def open_workbook(path: Path, *, limits: Limits = LIMITS, formulas: bool = False):
    """Open an XLSX workbook read-only (cached values, or formulas with ``formulas=True``).

    Raises
    ------
    PartnerDataError
        Naming the file, when it cannot be read or exceeds the limits.
    """
    from openpyxl import load_workbook

    _check_zip(path, limits)
    try:
        return load_workbook(path, read_only=True, data_only=not formulas)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise FileFormatError(f"not a readable XLSX workbook ({exc})", path=path) from exc


def sheet_names(path) -> list[str]:
    """The worksheet names of an XLSX workbook, in order."""
    wb = open_workbook(Path(path))
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_EMPTY_CELL = re.compile(rb"<(?:\w+:)?c\s[^<>]*/>")


def _count_cells(source) -> tuple[int, int]:
    """The cells and the empty (self-closing) cells of a worksheet's XML, counted in a stream, never parsed."""
    cells = empty = 0
    tail = b""
    while chunk := source.read(1 << 20):
        text = tail + chunk
        cut = text.rfind(b">") + 1  # a tag never straddles the counted part
        counted, tail = text[:cut], text[cut:]
        cells += len(_CELL_TAG.findall(counted))
        empty += len(_EMPTY_CELL.findall(counted))
    return cells, empty


def _check_cells(path: Path, ws, limits: Limits) -> None:
    """Refuse a worksheet holding too many cells, or a mass of formatted but empty ones, before parsing it."""
    try:
        with ws._get_source() as source:  # openpyxl's read-only sheet: its zip entry
            cells, empty = _count_cells(source)
    except AttributeError:  # not a read-only worksheet: nothing to pre-count
        return
    if empty > max(limits.max_empty_cells, 2 * (cells - empty)):
        raise LimitExceededError(
            f"the worksheet holds {empty:,} formatted but empty cells for {cells - empty:,} cells with a value "
            f"(more than Limits.max_empty_cells = {limits.max_empty_cells:,}); in Excel, select the rows and "
            "columns beyond the data, delete them and save again, or save the sheet as CSV",
            path=path,
            sheet=ws.title,
        )
    if cells > limits.max_cells:
        raise LimitExceededError(
            f"the worksheet holds {cells:,} cells, more than Limits.max_cells = {limits.max_cells:,}; save the "
            "data as CSV",
            path=path,
            sheet=ws.title,
        )


def _cell_value(cell):
    """A worksheet cell's value; a number shown as a percentage becomes the text the sheet shows (``"85%"``)."""
    value = getattr(cell, "value", None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = getattr(cell, "number_format", None) or ""
        if "%" in fmt:
            return f"{value * 100:.12g}%"
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _worksheet_table(path: Path, ws, limits: Limits) -> Table:
    _check_cells(path, ws, limits)
    ws.reset_dimensions()  # the declared <dimension> may be "A1" for hundreds of rows, or absurdly large
    records, numbers, width, cells = [], [], 0, 0
    for number, row in enumerate(ws.iter_rows(), start=1):
        cells += len(row)
        if cells > limits.max_cells or number > limits.max_rows:
            raise LimitExceededError(
                f"the worksheet holds more than {limits.max_cells:,} cells (or "
                f"{limits.max_rows:,} rows), empty ones included (Limits.max_cells); save the "
                "data as CSV or remove the empty formatted cells",
                path=path,
                sheet=ws.title,
            )
        values = [_cell_value(c) for c in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            records.append(values)
            numbers.append(number)
            width = max(width, len(values))
    if width > limits.max_columns:
        raise LimitExceededError(
            f"{width:,} columns, more than the {limits.max_columns:,} a table may hold", path=path, sheet=ws.title
        )
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in records], dtype=object)
    frame, rows = _trim(frame, np.asarray(numbers, dtype=np.int64))
    return Table(path=path, sheet=ws.title, cells=frame, rows=rows)


def read_workbook(path: Path, sheet: str | None = None, *, every: bool = False, limits: Limits = LIMITS) -> list[Table]:
    """The worksheets of an XLSX workbook as tables: ``sheet``, or every sheet, or the first.

    Raises
    ------
    PartnerDataError
        If ``sheet`` is not in the workbook (listing the sheets it has), or
        the workbook cannot be read or exceeds the limits.
    """
    wb = open_workbook(path, limits=limits)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise PartnerDataError(f"no sheet {sheet!r}; the workbook has {wb.sheetnames}", path=path)
        chosen = [wb[sheet]] if sheet is not None else (wb.worksheets if every else wb.worksheets[:1])
        return [_worksheet_table(path, ws, limits) for ws in chosen]
    finally:
        wb.close()


# --------------------------------------------------------------------------------------------- any file


def read_tables(path, sheet: str | None = None, *, every: bool = False, limits: Limits = LIMITS) -> list[Table]:
    """Read a file as tables: a text file is one table; a workbook gives ``sheet``, every sheet or the first.

    Parameters
    ----------
    path : path-like
        A CSV / tab-separated text file, or an XLSX workbook (by suffix or content).
    sheet : str, optional
        For a workbook, the worksheet to read.  A text file has no sheets: giving one is an error.
    every : bool
        For a workbook without ``sheet``, read every worksheet (default: the first only).
    limits : Limits
        The bounds on the file (see :class:`partnerlib.settings.Limits`).

    Raises
    ------
    PartnerDataError
        A missing file, an old ``.xls`` workbook, a text file given a sheet,
        and every refusal of :func:`detect_encoding`, :func:`sniff_delimiter`
        and the workbook reader.
    """
    path = Path(path)
    if not path.is_file():
        raise PartnerDataError("not found", path=path)
    if path.suffix.lower() == ".xls":
        raise FileFormatError(
            "the old binary Excel format (.xls) is not read; open it in Excel and save it as .xlsx or CSV (UTF-8)",
            path=path,
        )
    if is_workbook(path):
        return read_workbook(path, sheet, every=every, limits=limits)
    if sheet is not None:
        raise PartnerDataError(f"sheet={sheet!r} given, but a text file has no sheets", path=path)
    return [read_text_table(path, limits=limits)]


def read_table(path, sheet: str | None = None, *, limits: Limits = LIMITS) -> Table:
    """The one table of a text file, or one worksheet of a workbook (``sheet``, default the first)."""
    return read_tables(path, sheet, limits=limits)[0]
