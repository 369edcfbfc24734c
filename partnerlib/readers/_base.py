"""What every export reader returns, and the shared file-reading helpers.

A reader turns one export file into a :class:`RawExport`: the answers as text,
one row per response, with columns named the way a codebook names them, and
the platform's own bookkeeping (previews, test responses, unfinished
responses) translated into the same three boolean columns for every
platform.  Personal data is removed here, before anything else sees it.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import ExportFormatError
from ..privacy import drop_personal_data

#: Encodings tried in order; cp1252 decodes any byte string, so it comes last.
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t"


@dataclass
class RawExport:
    """One survey export, read but not yet interpreted by a codebook.

    Attributes
    ----------
    path : Path
        The export file (only ever read).
    format : str
        The registered reader that read it (``"qualtrics"``, ...).
    data : DataFrame
        One row per response; one ``str`` column per question column, named as
        a codebook names it; blanks are missing.  Personal data is already gone.
    meta : DataFrame
        Same index as ``data``: ``source_row`` (1-based data row in the file,
        header rows not counted), ``preview``, ``test`` and ``finished``
        (booleans; ``finished`` is True where the platform has no notion of it).
    questions : dict
        Column name -> question text as the export shows it (HTML tags removed).
    personal_columns : list of str
        Names of the columns dropped as personal data.
    sheet : str or None
        The worksheet read, for XLSX files.
    details : dict
        What the reader found out about the file, e.g. ``layout``.
    bookkeeping : list of str
        The platform's own columns (response ids, dates, durations, status),
        which say nothing about the answers: they are ignored when duplicate
        submissions are looked for.
    """

    path: Path
    format: str
    data: pd.DataFrame
    meta: pd.DataFrame
    questions: dict[str, str] = field(default_factory=dict)
    personal_columns: list[str] = field(default_factory=list)
    sheet: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    bookkeeping: list[str] = field(default_factory=list)


def _decode(raw: bytes, path) -> tuple[str, str]:
    if b"\x00" in raw[:4096]:
        raise ExportFormatError(f"file '{path}': a binary file, not a text export; expected a CSV (comma, "
                                "semicolon or tab separated) or an XLSX workbook")
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise ExportFormatError(f"file '{path}': the text is neither UTF-8 nor Windows-1252; re-save the "
                            "export as UTF-8 CSV")


def read_text(path: Path) -> tuple[str, str]:
    """Return the decoded text of a CSV export and the encoding used.

    UTF-8 (with or without BOM) is tried first, then cp1252 (files re-saved by
    Excel on Windows).  CR-only line ends (old Mac Excel) are turned into LF.
    A binary file (NUL bytes) or undecodable text is an :class:`ExportFormatError`.
    """
    text, enc = _decode(Path(path).read_bytes(), path)
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    return text, enc


def sniff_delimiter(text: str, path: Path) -> str:
    """Return the delimiter of a CSV text: the one of ``, ; TAB`` that splits the header best.

    Counting is done outside quoted fields on the first line, so commas inside
    quoted question text do not count.
    """
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    counts = {}
    for d in DELIMITERS:
        try:
            counts[d] = len(next(csv.reader([first], delimiter=d)))
        except (csv.Error, StopIteration):
            counts[d] = 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] < 2:
        raise ExportFormatError(f"file '{path}': the first line has no ',', ';' or tab delimiter; "
                                "expected a survey export with one column per question")
    return best


def _guess_encoding(head: bytes) -> str:
    """``utf-8-sig`` if the first bytes are valid UTF-8 (a character cut at the end is allowed), else cp1252."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"


def read_grid(path: Path) -> pd.DataFrame:
    """Read a CSV export as a grid of strings with no header interpretation.

    Every cell is a ``str`` or missing (blank); nothing is converted, so that
    the readers see exactly what the file holds.  A trailing empty column (the
    legacy Qualtrics trailing comma) is removed.  Encodings and line ends are
    handled as in :func:`read_text`; the C parser reads the bytes itself, so a
    large export is never held as one decoded string.
    """
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:4096]:
        _decode(raw[:4096], path)  # raises the binary-file error
    if b"\r" in raw and b"\n" not in raw:  # CR-only line ends (old Mac Excel): small files, decoded whole
        text, enc = read_text(path)
        source, sep = io.StringIO(text), sniff_delimiter(text, path)
        encodings = [None]
    else:
        head = raw[:1 << 20]
        enc = _guess_encoding(head)
        sep = sniff_delimiter(head.decode(enc, errors="replace"), path)
        # Invalid UTF-8 after the first megabyte: the whole file is read again as cp1252.
        encodings = [enc] + (["cp1252"] if enc != "cp1252" else [])
    grid = None
    for enc in encodings:
        try:
            grid = pd.read_csv(io.StringIO(text) if enc is None else io.BytesIO(raw), sep=sep, header=None,
                               dtype="str", keep_default_na=False, encoding=enc, na_values=[""],
                               skip_blank_lines=True)
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as exc:
            raise ExportFormatError(f"file '{path}': not a readable CSV ({exc})") from exc
    if grid is None:
        raise ExportFormatError(f"file '{path}': the text is neither UTF-8 nor Windows-1252; re-save the "
                                "export as UTF-8 CSV")
    if grid.shape[1] > 1 and grid.iloc[:, -1].isna().all():
        grid = grid.iloc[:, :-1]
    return grid


def strip_header(value) -> str:
    """Header text with non-breaking spaces, line breaks and outer spaces tidied."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return " ".join(str(value).replace("\u00a0", " ").split())


_TAG = re.compile(r"<[^>]+>")


def question_text(value) -> str:
    """Question text as a reader shows it: HTML tags removed, entities decoded, white space tidied."""
    return strip_header(html.unescape(_TAG.sub(" ", strip_header(value))))


def unique_names(names) -> list[str]:
    """``names`` with repeats suffixed ``.1``, ``.2`` ... as pandas does (first one unchanged)."""
    seen: dict[str, int] = {}
    taken = set(names)
    unique = []
    for n in names:
        if n in seen:
            k = seen[n] + 1
            while f"{n}.{k}" in taken:
                k += 1
            seen[n] = k
            unique.append(f"{n}.{k}")
            taken.add(f"{n}.{k}")
        else:
            seen[n] = 0
            unique.append(n)
    return unique


def make_export(path, fmt, names, body: pd.DataFrame, *, questions=None, preview=None, test=None,
                finished=None, sheet=None, header_rows=0, details=None, personal=(),
                source_row=None, bookkeeping=()) -> RawExport:
    """Assemble a :class:`RawExport` from a header and the data rows of a grid.

    ``names`` become the column names (duplicates get ``.1``, ``.2`` suffixes as in
    pandas); personal data columns are dropped, those recognised by name and
    the column positions listed in ``personal`` (columns a platform reserves
    for personal data whatever their localised header); ``preview``/``test``/``finished``
    are boolean arrays aligned with ``body`` (default: False, False, True);
    ``source_row`` defaults to 1, 2, ... (the data rows in file order);
    ``bookkeeping`` names (compared without case) the platform's own columns.
    """
    names = list(names)
    unique = unique_names(names)
    positional = [unique[i] for i in personal]
    data = body.set_axis(unique, axis=1).reset_index(drop=True)  # copy-on-write: no copy of the cells
    n = len(data)
    data, dropped = drop_personal_data(data, also=positional)
    meta = pd.DataFrame({
        "source_row": np.arange(1, n + 1) if source_row is None else np.asarray(source_row, "int64"),
        "preview": np.zeros(n, bool) if preview is None else np.asarray(preview, bool),
        "test": np.zeros(n, bool) if test is None else np.asarray(test, bool),
        "finished": np.ones(n, bool) if finished is None else np.asarray(finished, bool),
    })
    if questions is not None and not isinstance(questions, dict):
        questions = dict(zip(unique, questions))
    q = {c: question_text(t) for c, t in (questions or {}).items() if c in data.columns}
    return RawExport(path=Path(path), format=fmt, data=data, meta=meta, questions=q,
                     personal_columns=dropped, sheet=sheet, details=dict(details or {}),
                     bookkeeping=[c for c in data.columns if c.casefold() in {b.casefold() for b in bookkeeping}])
