"""The actions register read and saved: what the partners agreed to do after a review.

A register is a CSV file or a worksheet with one row per action::

    id | period | principle | action | owner | due | status | notes | (any other columns)

``period`` is the review the action came out of, ``principle`` the principle
whose gap it addresses, ``due`` a date (``YYYY-MM-DD`` or a date cell) and
``status`` one of :data:`partnerlib.vocabulary.ACTION_STATUSES`.  Clients add
their own columns (budget, RAG, links...) and sometimes rows partnerlib cannot
read; :func:`save_actions` keeps both.  Whether the actions worked is
:func:`partnerlib.analysis.followup.action_followup`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import glob
import io
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock

from ..exceptions import PartnerDataError
from ..schemas import validate_actions
from ..vocabulary import normalise_status
from .atomic import atomic_path
from .sheets import Sheet, read_sheets
from .tables import sheet_names
from .writing import load_for_editing, set_cell, write_table

#: The columns of the register, in the order they are written.
COLUMNS = ("id", "period", "principle", "action", "owner", "due", "status", "notes")
REQUIRED = ("id", "period", "action")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: Free-text columns, kept exactly as written (only an all-blank cell becomes missing).
VERBATIM = ("action", "owner", "notes")


def _text(value, *, strip: bool = True) -> str | None:
    """Cell -> text (``7.0`` -> ``"7"``, dates ISO; outer spaces removed unless ``strip=False``); blank -> None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if not value.strip():
            return None
        return value.strip() if strip else value
    return str(value)


def _date(value):
    """A due-date cell as a Timestamp (NaT where blank); text must be ``YYYY-MM-DD``."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return pd.NaT
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    text = _text(value)
    if text is None:
        return pd.NaT
    if " " in text and _ISO_DATE.fullmatch(text.split(" ", 1)[0]):  # "2025-09-30 00:00:00"
        text = text.split(" ", 1)[0]
    if not _ISO_DATE.fullmatch(text):
        raise PartnerDataError(f"due date {text!r} is not a date; expected YYYY-MM-DD (e.g. 2025-09-30) or a date cell")
    try:
        return pd.Timestamp(text)
    except ValueError:
        raise PartnerDataError(f"due date {text!r} is not a calendar date; expected YYYY-MM-DD") from None


def _column_map(header: list[str]) -> dict[str, int]:
    """Canonical column name -> position in ``header`` (matched without case or outer spaces)."""
    found = {}
    for i, h in enumerate(header):
        key = h.strip().casefold()
        if key in COLUMNS and key not in found:
            found[key] = i
    return found


def _record(s: Sheet, cols: dict[str, int], number: int, row: list) -> dict:
    """One action of the register, each cell checked (errors located at their cell)."""
    rec: dict = {}
    for c in COLUMNS:
        raw = row[cols[c]] if c in cols else None
        with s.at(number, s.header[cols[c]] if c in cols else c, raw):
            if c == "status":
                rec[c] = normalise_status(raw)
            elif c == "due":
                rec[c] = _date(raw)
            else:
                rec[c] = _text(raw, strip=c not in VERBATIM)
        if c in REQUIRED and rec[c] is None:
            raise s.error(f"blank {c}; expected every action to have its {c}", number, s.header[cols[c]])
    return rec


def read_actions(path, *, sheet: str | None = None, principles: Sequence[str] | None = None) -> pd.DataFrame:
    """Read an actions register (CSV, or the first worksheet of an XLSX unless ``sheet``).

    Parameters
    ----------
    path : str or Path
    sheet : str, optional
        Worksheet to read from a workbook.
    principles : sequence of str, optional
        The codebook's principles (:attr:`partnerlib.io.codebook.Codebook.principle_order`): an action naming
        another principle is refused (its gap could never be followed up).

    Returns
    -------
    DataFrame
        One row per action, columns :data:`COLUMNS` first (``id``, ``period``,
        ``principle``, ``action``, ``owner``, ``status``, ``notes`` as ``str``
        with blanks missing; ``due`` as ``datetime64``), then the register's
        other columns as they are (text).  Headers are matched without
        case; ``status`` is normalised (see :func:`partnerlib.vocabulary.normalise_status`).
        Fully blank rows are skipped.

    Raises
    ------
    PartnerDataError
        Naming file, sheet, row, column and value: a missing ``id``,
        ``period`` or ``action`` column, a blank or repeated id, a blank
        period or action, an unknown status, a due date that is not a date.
    """
    sheets = read_sheets(path, sheet)
    if not sheets:
        raise PartnerDataError(f"the actions register is empty; expected a header row with {list(COLUMNS)}", path=path)
    s = sheets[0]
    cols = _column_map(s.header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise s.error(
            f"the actions register has no column {missing}; its header is {s.header}; expected {list(COLUMNS)}"
        )
    extra = [(i, h) for i, h in enumerate(s.header) if i not in cols.values() and h]
    records: list[dict] = []
    seen: dict[str, int] = {}
    for number, row in zip(s.row_numbers, s.rows):
        rec = _record(s, cols, number, row)
        if rec["id"] in seen:
            raise s.error(
                f"action id used again (first in row {seen[rec['id']]}); expected each id once",
                number,
                s.header[cols["id"]],
                rec["id"],
            )
        seen[rec["id"]] = number
        if principles is not None and rec["principle"] is not None and rec["principle"] not in principles:
            where = s.header[cols["principle"]]
            raise s.error(_unknown_principle(rec["principle"], principles), number, where, rec["principle"])
        rec.update({h: _text(row[i], strip=False) for i, h in extra})
        records.append(rec)
    frame = pd.DataFrame(records, columns=list(COLUMNS) + [h for _, h in extra])
    frame = frame.astype({c: "str" for c in frame.columns if c != "due"})
    frame["due"] = pd.to_datetime(frame["due"])
    return validate_actions(frame, path)


def _unknown_principle(name: str, principles: Sequence[str]) -> str:
    """Why an action's principle is refused, with the likely one where the name is misspelt."""
    close = difflib.get_close_matches(name.casefold(), [p.casefold() for p in principles], n=1)
    hint = f" (did you mean {next(p for p in principles if p.casefold() == close[0])!r}?)" if close else ""
    return (
        f"not a principle of the codebook{hint}; expected one of "
        f"{list(principles)} or blank (its gap could not be followed up)"
    )


def _frame_rows(actions: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Check a register frame before saving; return its columns and its rows as cell values."""
    where = "actions to save"
    cols = list(actions.columns)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise PartnerDataError(f"{where}: no column {missing}; expected the columns {list(COLUMNS)}")
    rows, seen = [], set()
    for i, (_, r) in enumerate(actions.iterrows(), start=1):
        out: dict[str, object] = {}
        for c in cols:
            try:
                if c == "status":
                    out[c] = normalise_status(r[c])
                elif c == "due":
                    d = _date(r[c])
                    out[c] = None if d is pd.NaT else d.to_pydatetime()
                elif c in COLUMNS:
                    out[c] = _text(r[c], strip=c not in VERBATIM)
                else:
                    v = r[c]
                    out[c] = None if (v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))) else v
            except PartnerDataError as exc:
                raise PartnerDataError(f"{exc.problem} (in the {where})", row=i, column=c, value=r[c]) from None
        for c in REQUIRED:
            if out[c] is None:
                raise PartnerDataError(f"blank in the {where}; every action needs one", row=i, column=c)
        if out["id"] in seen:
            raise PartnerDataError(
                f"id used twice in the {where}; expected each id once", row=i, column="id", value=out["id"]
            )
        seen.add(out["id"])
        rows.append(out)
    return cols, rows


class _Merge:
    """Where the actions to save go in the register on disk: its header (with columns added) and id rows."""

    def __init__(self, disk: Sheet | None, cols: list[str]):
        self.disk = disk
        self.header = list(disk.header) if disk else []
        self.position = dict(_column_map(self.header))
        for i, h in enumerate(self.header):
            self.position.setdefault(h, i)
        self.added = []
        for c in cols:
            if c not in self.position:
                self.header.append(c)
                self.position[c] = len(self.header) - 1
                self.added.append(c)
        self.on_disk: dict[str, int] = {}
        for idx, r in enumerate(disk.rows if disk else []):
            key = _text(r[self.position["id"]])
            if key is not None:
                self.on_disk.setdefault(key, idx)


_LOCKS: dict[Path, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def register_lock(path) -> FileLock:
    """The lock of one actions register: a file ``.<name>.lock`` beside it (the ``filelock`` package).

    Every process that reads, numbers or saves actions in the register holds
    it, so two workshop pages (each Voilà page has its own kernel) saving at
    the same moment never take the same id or lose each other's row.  It
    holds on every platform (``filelock`` uses ``msvcrt`` on Windows) and for
    every machine that sees the same folder.  One lock object per register
    and process, re-entrant within a thread: :func:`save_actions` takes it again
    inside a caller's ``with register_lock(path):`` without waiting on itself,
    while another thread waits for it as another process would.
    """
    path = Path(path).resolve()
    with _LOCKS_GUARD:
        if path not in _LOCKS:
            _LOCKS[path] = FileLock(str(path.with_name(f".{path.name}.lock")))
        return _LOCKS[path]


def _remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files an interrupted save of ``path`` left beside it (call with the register's lock held).

    They are named as :func:`partnerlib.io.atomic.atomic_path` names them
    (``.<stem>.<random>.tmp<suffix>``); with the lock held no other save of
    this register is writing one.
    """
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.stem)}.*.tmp{glob.escape(path.suffix)}"):
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def save_actions(actions: pd.DataFrame, path, *, sheet: str | None = None) -> Path:
    """Save an actions register, merging it into the file on disk by ``id``.

    How the save merges with the file already at ``path`` (read as it is,
    without checking it, so rows and columns partnerlib does not understand
    survive):

    - a row on disk whose ``id`` is in ``actions`` is updated in place: the
      columns ``actions`` has are replaced by its values, the disk's other
      columns keep their values.  Only cells whose value changed are written
      (values compared as the file shows them), so a read-edit-save round
      trip leaves the client's formulas and formatted numbers alone;
    - every other row on disk (other ids, blank ids, rows partnerlib cannot
      read) is kept unchanged, in its place.  **No row is ever removed**: to
      retire an action, set its status to ``cancelled``;
    - actions whose ``id`` is not on disk are appended, in the frame's order;
    - columns on disk that ``actions`` lacks are kept; columns of ``actions``
      that the disk lacks are added at the right;  the disk's header spelling
      (``Status``, ``Due``...) is kept for the register's columns; a row's
      cells in the frame's columns take the frame's values (the last save wins);
    - in a CSV file, fully blank rows are dropped; an XLSX worksheet is edited
      in place (only the cells of saved actions and new header cells are
      written), so its formats, drop-downs, formulas and other sheets stay.

    The file is written atomically (temporary file beside it, then a rename):
    if anything fails, the old file is left as it was.  The whole read-merge-write
    holds the register's lock (:func:`register_lock`), so saves from several
    processes at once each keep every other's rows; temporary files left by a
    save that was killed are removed by the next save.  Text cells beginning
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return are written so
    that spreadsheet programs show them as text (see :mod:`partnerlib.io.writing`).
    For an XLSX file, the register's worksheet is ``sheet`` or the first one
    with a table (a new workbook gets an ``Actions`` sheet).

    Parameters
    ----------
    actions : DataFrame
        At least ``id``, ``period`` and ``action``; usually the (edited) frame
        of :func:`read_actions`.  Ids must be unique and not blank; statuses
        valid (see :func:`partnerlib.vocabulary.normalise_status`); ``due`` dates or ISO text.
    path : str or Path
        ``.csv`` or ``.xlsx``; created if it does not exist.
    sheet : str, optional
        Worksheet of a workbook (default: the first; ``Actions`` for a new workbook).

    Returns
    -------
    Path

    Raises
    ------
    PartnerDataError
        A blank or repeated id, an unknown status or a bad date in
        ``actions``; a file on disk that has rows but no ``id`` column, or
        that holds an id of ``actions`` twice (the merge would be ambiguous).
        Nothing is written then.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise PartnerDataError("expected a .csv or .xlsx actions register to write", path=path)
    cols, new_rows = _frame_rows(actions)
    with register_lock(path):
        _remove_stale_temporaries(path)
        merge = _Merge(_disk_register(path, sheet, {n["id"] for n in new_rows}), cols)
        if suffix == ".csv":
            return _save_csv(path, merge, new_rows)
        return _save_xlsx(path, sheet, merge, new_rows)


def _same(new, old) -> bool:
    """True where a value to save equals what the file shows (text compared, dates as ISO, blanks alike)."""
    return _text(new, strip=False) == _text(old, strip=False)


def _disk_register(path: Path, sheet: str | None, ids: set) -> Sheet | None:
    """The register already at ``path`` (unchecked), or None; refuse files a merge cannot be sure of."""
    if not path.is_file():
        return None
    found = (
        _maybe_sheet(path, sheet) if sheet is not None and path.suffix.lower() != ".csv" else read_sheets(path, sheet)
    )
    if not found:
        return None
    disk = found[0]
    id_col = _column_map(disk.header).get("id")
    if id_col is None:
        raise disk.error(
            f"the file has no 'id' column, so its rows cannot be matched to the actions to save; its "
            f"header is {disk.header}. Nothing was written"
        )
    first: dict[str, int] = {}
    for number, r in zip(disk.row_numbers, disk.rows):
        key = _text(r[id_col])
        if key is None:
            continue
        if key in first and key in ids:
            raise disk.error(
                f"id appears twice on disk (also row {first[key]}), so the save cannot tell which row "
                "to update. Nothing was written",
                number,
                disk.header[id_col],
                key,
            )
        first.setdefault(key, number)
    return disk


def _save_csv(path: Path, merge: _Merge, new_rows: list[dict]) -> Path:
    """Rewrite the CSV register with the saved actions merged in (see :func:`save_actions`)."""
    width = len(merge.header)
    grid = [list(r) + [None] * (width - len(r)) for r in (merge.disk.rows if merge.disk else [])]
    for new in new_rows:
        if new["id"] in merge.on_disk:
            target = grid[merge.on_disk[new["id"]]]
        else:
            target = [None] * width
            grid.append(target)
        for c, v in new.items():
            if not _same(v, target[merge.position[c]]):
                target[merge.position[c]] = v
    return write_table(path, merge.header, grid)


def _save_xlsx(path: Path, sheet, merge: _Merge, new_rows: list[dict]) -> Path:
    """Edit the register's worksheet in place, so formats, drop-downs, formulas and other sheets survive."""
    from openpyxl import Workbook

    disk = merge.disk
    if path.is_file():
        wb = load_for_editing(path, keep_vba=path.suffix.lower() == ".xlsm")
        name = sheet or (disk.name if disk else wb.worksheets[0].title)
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet or "Actions"
    header_row = disk.header_row if disk else 1
    for c in merge.added:
        set_cell(ws.cell(row=header_row, column=merge.position[c] + 1), c)
    next_row = (disk.row_numbers[-1] if disk and disk.row_numbers else header_row) + 1
    for new in new_rows:
        if disk is not None and new["id"] in merge.on_disk:
            old, r = disk.rows[merge.on_disk[new["id"]]], disk.row_numbers[merge.on_disk[new["id"]]]
        else:
            old, r, next_row = [], next_row, next_row + 1
        for c, v in new.items():
            i = merge.position[c]
            if i < len(old) and _same(v, old[i]):
                continue  # unchanged: the cell keeps its formula, format and type
            set_cell(ws.cell(row=r, column=i + 1), v)
    buf = io.BytesIO()
    wb.save(buf)
    with atomic_path(path) as tmp:
        tmp.write_bytes(buf.getvalue())
    return path


def _maybe_sheet(path: Path, sheet: str) -> list[Sheet]:
    """The named sheet of an existing workbook, or nothing if the workbook lacks it (it will be added)."""
    return read_sheets(path, sheet) if sheet in sheet_names(path) else []
