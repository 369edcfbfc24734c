"""The actions register: what the partners agreed to do after a review, and whether it worked.

A register is a CSV file or a worksheet with one row per action::

    id | period | principle | action | owner | due | status | notes | (any other columns)

``period`` is the review the action came out of, ``principle`` the principle
whose gap it addresses, ``due`` a date (``YYYY-MM-DD`` or a date cell) and
``status`` one of :data:`STATUSES`.  Clients add their own columns (budget,
RAG, links...) and sometimes rows partnerlib cannot read; :func:`save_actions`
keeps both.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .exceptions import PartnerDataError, describe_place
from .io import atomic_path
from .sheets import Sheet, is_blank, read_sheets, set_cell, write_table

#: The statuses an action can have, in the order of its life.
STATUSES = ("not started", "in progress", "on hold", "done", "cancelled")
#: Statuses after which an action can no longer be overdue.
FINISHED = ("done", "cancelled")
#: The columns of the register, in the order they are written.
COLUMNS = ("id", "period", "principle", "action", "owner", "due", "status", "notes")
REQUIRED = ("id", "period", "action")
#: Outcomes of :func:`action_followup`.
OUTCOMES = ("closed", "narrowed", "unchanged", "widened", "not yet measured", "not measured")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: pandera schema of the register as :func:`read_actions` returns it (other columns allowed).
ACTIONS_SCHEMA = pa.DataFrameSchema({
    "id": pa.Column(str, unique=True), "period": pa.Column(str), "principle": pa.Column(str, nullable=True),
    "action": pa.Column(str), "owner": pa.Column(str, nullable=True),
    "due": pa.Column(nullable=True, checks=pa.Check(lambda s: pd.api.types.is_datetime64_any_dtype(s),
                                                    element_wise=False, error="due must be dates")),
    "status": pa.Column(str, pa.Check.isin(STATUSES)), "notes": pa.Column(str, nullable=True),
}, strict=False)


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


def normalise_status(value, place: str) -> str:
    """A status cell as one of :data:`STATUSES`.

    Case, ``_``/``-`` between words and extra spaces are ignored (``"In_Progress"``
    is ``in progress``); a blank status means ``not started``.

    Raises
    ------
    PartnerDataError
        Any other value, naming ``place``.
    """
    text = _text(value)
    if text is None:
        return "not started"
    key = " ".join(re.sub(r"[_-]", " ", text).casefold().split())
    if key not in STATUSES:
        raise PartnerDataError(f"{place}: unknown action status {text!r}; expected one of {list(STATUSES)} "
                               "(check spelling and extra words)")
    return key


def _date(value, place: str):
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return pd.NaT
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    text = _text(value)
    if text is None:
        return pd.NaT
    if " " in text and _ISO_DATE.match(text.split(" ", 1)[0]):  # "2025-09-30 00:00:00"
        text = text.split(" ", 1)[0]
    if not _ISO_DATE.match(text):
        raise PartnerDataError(f"{place}: due date {text!r} is not a date; expected YYYY-MM-DD (e.g. 2025-09-30) "
                               "or a date cell")
    try:
        return pd.Timestamp(text)
    except ValueError as exc:
        raise PartnerDataError(f"{place}: due date {text!r} is not a calendar date; expected YYYY-MM-DD") from exc


def _column_map(header: list[str]) -> dict[str, int]:
    """Canonical column name -> position in ``header`` (matched without case or outer spaces)."""
    found = {}
    for i, h in enumerate(header):
        key = h.strip().casefold()
        if key in COLUMNS and key not in found:
            found[key] = i
    return found


def read_actions(path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read an actions register (CSV, or the first worksheet of an XLSX unless ``sheet``).

    Parameters
    ----------
    path : str or Path
    sheet : str, optional
        Worksheet to read from a workbook.

    Returns
    -------
    DataFrame
        One row per action, columns :data:`COLUMNS` first (``id``, ``period``,
        ``principle``, ``action``, ``owner``, ``status``, ``notes`` as ``str``
        with blanks missing; ``due`` as ``datetime64``), then the register's
        other columns as they are (text).  Headers are matched without
        case; ``status`` is normalised (see :func:`normalise_status`).
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
        raise PartnerDataError(f"file '{path}': the actions register is empty; expected a header row with "
                               f"{list(COLUMNS)}")
    s = sheets[0]
    cols = _column_map(s.header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise PartnerDataError(f"{s.place()}: the actions register has no column {missing}; its header is "
                               f"{s.header}; expected {list(COLUMNS)}")
    extra = [(i, h) for i, h in enumerate(s.header) if i not in cols.values() and h]
    records, seen = [], {}
    for number, row in zip(s.row_numbers, s.rows):
        rec = {}
        for c in COLUMNS:
            raw = row[cols[c]] if c in cols else None
            place = s.place(number, s.header[cols[c]] if c in cols else c, raw)
            if c == "status":
                rec[c] = normalise_status(raw, place)
            elif c == "due":
                rec[c] = _date(raw, place)
            else:
                rec[c] = _text(raw, strip=c not in VERBATIM)
                if c in REQUIRED and rec[c] is None:
                    raise PartnerDataError(f"{s.place(number, s.header[cols[c]])}: blank {c}; expected every "
                                           f"action to have its {c}")
        if rec["id"] in seen:
            raise PartnerDataError(f"{s.place(number, s.header[cols['id']], rec['id'])}: action id used again "
                                   f"(first in row {seen[rec['id']]}); expected each id once")
        seen[rec["id"]] = number
        for i, h in extra:
            rec[h] = _text(row[i], strip=False)
        records.append(rec)
    frame = pd.DataFrame(records, columns=list(COLUMNS) + [h for _, h in extra])
    for c in frame.columns:
        if c != "due":
            frame[c] = frame[c].astype("str")
    frame["due"] = pd.to_datetime(frame["due"])
    frame.attrs["source"] = str(path)
    try:
        return ACTIONS_SCHEMA.validate(frame)
    except (SchemaError, SchemaErrors) as exc:  # pragma: no cover - the checks above come first
        raise PartnerDataError(f"file '{path}': the actions table failed its schema check: {exc}") from exc


def _frame_rows(actions: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Check a register frame before saving; return its columns and its rows as cell values."""
    where = "actions to save"
    cols = list(actions.columns)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise PartnerDataError(f"{where}: no column {missing}; expected the columns {list(COLUMNS)}")
    rows, seen = [], set()
    for i, (_, r) in enumerate(actions.iterrows(), start=1):
        out = {}
        for c in cols:
            place = describe_place(None, row=i, column=c, value=r[c])
            if c == "status":
                out[c] = normalise_status(r[c], f"{where}, {place}")
            elif c == "due":
                d = _date(r[c], f"{where}, {place}")
                out[c] = None if d is pd.NaT else d.to_pydatetime()
            elif c in COLUMNS:
                out[c] = _text(r[c], strip=c not in VERBATIM)
            else:
                v = r[c]
                out[c] = None if (v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))) else v
        for c in REQUIRED:
            if out[c] is None:
                raise PartnerDataError(f"{where}, row {i}, column '{c}': blank; every action needs one")
        if out["id"] in seen:
            raise PartnerDataError(f"{where}, row {i}, column 'id', value {out['id']!r}: id used twice; "
                                   "expected each id once")
        seen.add(out["id"])
        rows.append(out)
    return cols, rows


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
    if anything fails, the old file is left as it was.  Text cells beginning
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return are written so
    that spreadsheet programs show them as text (see :mod:`partnerlib.sheets`).
    For an XLSX file, the register's worksheet is ``sheet`` or the first one
    with a table (a new workbook gets an ``Actions`` sheet).

    Parameters
    ----------
    actions : DataFrame
        At least ``id``, ``period`` and ``action``; usually the (edited) frame
        of :func:`read_actions`.  Ids must be unique and not blank; statuses
        valid (see :func:`normalise_status`); ``due`` dates or ISO text.
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
        raise PartnerDataError(f"file '{path}': expected a .csv or .xlsx actions register to write")
    cols, new_rows = _frame_rows(actions)
    disk = _disk_register(path, sheet, {n["id"] for n in new_rows})
    header = list(disk.header) if disk else []
    position = dict(_column_map(header))
    for i, h in enumerate(header):
        position.setdefault(h, i)
    added = []
    for c in cols:
        if c not in position:
            header.append(c)
            position[c] = len(header) - 1
            added.append(c)
    on_disk: dict[str, int] = {}
    if disk:
        for idx, r in enumerate(disk.rows):
            key = _text(r[position["id"]])
            if key is not None:
                on_disk.setdefault(key, idx)
    if suffix == ".csv":
        grid = [list(r) + [None] * (len(header) - len(r)) for r in (disk.rows if disk else [])]
        for new in new_rows:
            if new["id"] in on_disk:
                target = grid[on_disk[new["id"]]]
            else:
                target = [None] * len(header)
                grid.append(target)
            for c, v in new.items():
                if not _same(v, target[position[c]]):
                    target[position[c]] = v
        return write_table(path, header, grid)
    return _save_xlsx(path, sheet, disk, header, position, added, new_rows, on_disk)


def _same(new, old) -> bool:
    """True where a value to save equals what the file shows (text compared, dates as ISO, blanks alike)."""
    return _text(new, strip=False) == _text(old, strip=False)


def _disk_register(path: Path, sheet: str | None, ids: set) -> Sheet | None:
    """The register already at ``path`` (unchecked), or None; refuse files a merge cannot be sure of."""
    if not path.is_file():
        return None
    found = _maybe_sheet(path, sheet) if sheet is not None and path.suffix.lower() != ".csv" else \
        read_sheets(path, sheet)
    if not found:
        return None
    disk = found[0]
    id_col = _column_map(disk.header).get("id")
    if id_col is None:
        raise PartnerDataError(f"{disk.place()}: the file has no 'id' column, so its rows cannot be matched to "
                               f"the actions to save; its header is {disk.header}. Nothing was written")
    first: dict[str, int] = {}
    for number, r in zip(disk.row_numbers, disk.rows):
        key = _text(r[id_col])
        if key is None:
            continue
        if key in first and key in ids:
            raise PartnerDataError(f"{disk.place(number, disk.header[id_col], key)}: id appears twice on disk "
                                   f"(also row {first[key]}), so the save cannot tell which row to update. "
                                   "Nothing was written")
        first.setdefault(key, number)
    return disk


def _save_xlsx(path: Path, sheet, disk, header, position, added, new_rows, on_disk) -> Path:
    """Edit the register's worksheet in place, so formats, drop-downs, formulas and other sheets survive."""
    from openpyxl import Workbook, load_workbook

    if path.is_file():
        try:
            wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
            raise PartnerDataError(f"file '{path}': not a readable XLSX workbook, not overwritten ({exc})") from exc
        name = sheet or (disk.name if disk else wb.worksheets[0].title)
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
    else:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet or "Actions"
    header_row = disk.header_row if disk else 1
    for c in added:
        set_cell(ws.cell(row=header_row, column=position[c] + 1), c)
    next_row = (disk.row_numbers[-1] if disk and disk.row_numbers else header_row) + 1
    for new in new_rows:
        if new["id"] in on_disk:
            old = disk.rows[on_disk[new["id"]]]
            r = disk.row_numbers[on_disk[new["id"]]]
        else:
            old = []
            r, next_row = next_row, next_row + 1
        for c, v in new.items():
            i = position[c]
            if i < len(old) and _same(v, old[i]):
                continue  # unchanged: the cell keeps its formula, format and type
            set_cell(ws.cell(row=r, column=i + 1), v)
    buf = io.BytesIO()
    wb.save(buf)
    with atomic_path(path) as tmp:
        tmp.write_bytes(buf.getvalue())
    return path


def _maybe_sheet(path: Path, sheet: str):
    """The named sheet of an existing workbook, or nothing if the workbook lacks it (it will be added)."""
    from openpyxl import load_workbook

    try:
        names = load_workbook(path, read_only=True).sheetnames
    except Exception as exc:
        raise PartnerDataError(f"file '{path}': not a readable XLSX workbook, not overwritten ({exc})") from exc
    return read_sheets(path, sheet) if sheet in names else []


def _period_order(scores: pd.DataFrame) -> list[str]:
    col = scores["period"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        present = set(col.dropna().astype(str))
        return [str(c) for c in col.cat.categories if str(c) in present]
    return sorted(set(col.dropna().astype(str)))


def action_followup(actions: pd.DataFrame, scores_by_period: pd.DataFrame, *, period: str | None = None,
                    as_of=None, closed_gap: float = 0.25, min_change: float = 0.1) -> pd.DataFrame:
    """Follow up each action: did the gap of its principle close, and is it overdue?

    Parameters
    ----------
    actions : DataFrame
        The register, as from :func:`read_actions`.
    scores_by_period : DataFrame
        ``partnerlib.principle_scores(responses, by="period")``: columns
        ``period``, ``principle``, ``gap`` (suppressed rows have a missing gap).
    period : str, optional
        The period of the follow-up (the review being prepared); default the
        latest period of ``scores_by_period`` (in its category order, else sorted).
    as_of : date-like, optional
        The date at which overdue is judged (the review date).  Default: the
        first day of ``period`` where it reads as a date (``"2026"`` ->
        2026-01-01: anything due before the year of the review began and not
        finished is certainly overdue by then); otherwise overdue is not judged (missing).
    closed_gap : float
        The gap at or below which a principle's gap counts as closed (default
        0.25 scale points: importance and current within a quarter point).
    min_change : float
        The smallest change of the gap that counts as narrowed or widened
        (default 0.1 scale points; smaller moves are ``unchanged``).

    Returns
    -------
    DataFrame
        One row per action, the register's ``id``, ``period``, ``principle``,
        ``action``, ``owner``, ``due``, ``status``, then:

        - ``gap_created``: the principle's gap (``importance - current``) in the
          action's period;
        - ``followup_period`` and ``gap_latest``: the follow-up period and the
          principle's gap in it;
        - ``change``: ``gap_latest - gap_created`` (negative = the gap narrowed);
        - ``outcome``: ``closed`` where ``gap_latest <= closed_gap``; else
          ``narrowed`` where ``change <= -min_change``, ``widened`` where
          ``change >= min_change``, otherwise ``unchanged``; ``not yet measured`` where the action's
          period is the follow-up period or later (no later review yet);
          ``not measured`` where either gap is unknown (principle not scored, or
          its scores suppressed for too few respondents);
        - ``overdue``: ``due < as_of`` and status not ``done``/``cancelled``
          (False where there is no due date; missing where ``as_of`` is unknown);
        - ``days_overdue``: ``as_of - due`` in days where overdue, else missing.
    """
    need = [c for c in ("period", "principle", "gap") if c not in scores_by_period.columns]
    if need:
        raise PartnerDataError(f"scores_by_period lacks columns {need}; expected the output of "
                               "partnerlib.principle_scores(responses, by='period')")
    order = _period_order(scores_by_period)
    if not order:
        raise PartnerDataError("scores_by_period has no periods; expected principle_scores(..., by='period')")
    period = str(period) if period is not None else order[-1]
    if period not in order:
        raise PartnerDataError(f"follow-up period {period!r} is not in scores_by_period (periods {order})")
    gaps = {(str(p), str(q)): g for p, q, g in zip(scores_by_period["period"], scores_by_period["principle"],
                                                   scores_by_period["gap"].astype(float))}
    if as_of is None:
        try:
            as_of = pd.Timestamp(period)
        except ValueError:
            as_of = None
    as_of = pd.Timestamp(as_of).normalize() if as_of is not None else None
    rank = {p: i for i, p in enumerate(order)}
    out = actions[[c for c in COLUMNS if c in actions.columns and c != "notes"]].copy()
    created, latest, outcome = [], [], []
    for p, q in zip(actions["period"].astype(str), actions["principle"]):
        q = None if is_blank(q) or q is pd.NA or (isinstance(q, float) and np.isnan(q)) else str(q)
        g0 = gaps.get((p, q), np.nan) if q else np.nan
        g1 = gaps.get((period, q), np.nan) if q else np.nan
        # a period without scores (no survey that year) is compared as text ("2023" < "2026")
        later = rank[p] < rank[period] if p in rank else p < period
        if not later:
            g1 = np.nan
            label = "not yet measured"
        elif np.isnan(g0) or np.isnan(g1):
            label = "not measured"
        elif g1 <= closed_gap:
            label = "closed"
        else:
            change = g1 - g0
            label = ("narrowed" if change <= -min_change + 1e-12 else
                     "widened" if change >= min_change - 1e-12 else "unchanged")
        created.append(g0)
        latest.append(g1)
        outcome.append(label)
    out["gap_created"] = np.asarray(created, float)
    out["followup_period"] = period
    out["gap_latest"] = np.asarray(latest, float)
    out["change"] = out["gap_latest"] - out["gap_created"]
    out["outcome"] = pd.Categorical(outcome, categories=list(OUTCOMES))
    due = pd.to_datetime(actions["due"]) if "due" in actions.columns else pd.Series(pd.NaT, index=actions.index)
    status = pd.Series([normalise_status(v, f"actions, row {i}, column 'status', value {v!r}")
                        for i, v in enumerate(actions["status"], start=1)] if "status" in actions.columns
                       else ["not started"] * len(actions), index=actions.index)
    if as_of is None:
        out["overdue"] = pd.array([pd.NA] * len(out), dtype="boolean")
        out["days_overdue"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        late = (due < as_of).fillna(False) & ~status.isin(FINISHED)
        out["overdue"] = pd.array(late.to_numpy(bool), dtype="boolean")
        days = (as_of - due).dt.days
        out["days_overdue"] = pd.array(np.where(late, days, np.nan), dtype="Float64").astype("Int64")
    return out.reset_index(drop=True)
