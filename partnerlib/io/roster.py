"""The invitation roster read into a checked table: :func:`read_roster`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..exceptions import PartnerDataError, shorten
from .sheets import Sheet, number_cell, read_sheets, tidy_text

ROSTER_COLUMNS = ("partner", "role", "invited")


def _invited(value) -> int:
    """A count of people invited: a whole number of at least 1 (a number cell, or text such as ``"12"``)."""
    number = number_cell(value)
    if number is None or number < 1 or not number.is_integer():
        raise PartnerDataError("expected a whole number of people invited, at least 1")
    return int(number)


def _record(s: Sheet, cols: dict[str, int], number: int, row: list) -> dict:
    rec: dict[str, object] = {}
    for c, i in cols.items():
        if c == "invited":
            with s.at(number, s.header[i], row[i] if row[i] is not None else ""):
                rec[c] = _invited(row[i])
            continue
        rec[c] = tidy_text(row[i])
        if not rec[c]:
            raise s.error(
                f"blank {c}; every roster row needs an organisation, a role and a number invited",
                number,
                s.header[i],
                "",
            )
    return rec


def read_roster(path) -> pd.DataFrame:
    """Read an invitation roster: one row per organisation and role with the number invited.

    Parameters
    ----------
    path : path-like
        CSV or XLSX (first sheet) with the columns ``partner``, ``role`` and
        ``invited`` (headers matched without case); an optional ``period``
        column gives one roster per period.  Only read, never modified.

    Returns
    -------
    DataFrame
        ``partner``, ``role`` (text, white space tidied), ``invited`` (int64),
        and ``period`` when present.

    Raises
    ------
    PartnerDataError
        If the file is missing or unreadable, a column is missing, a partner
        or role is blank, ``invited`` is not a whole number of at least 1, or
        a partner/role pair appears twice; the message names the file, sheet,
        row (as a spreadsheet program shows it), column and value.
    """
    path = Path(path)
    if not path.is_file():
        raise PartnerDataError(
            f"roster not found; expected a CSV or XLSX with columns {list(ROSTER_COLUMNS)}", path=path
        )
    sheets = read_sheets(path)
    if not sheets:
        raise PartnerDataError(f"the roster is empty; expected columns {list(ROSTER_COLUMNS)}", path=path)
    s = sheets[0]
    wanted = [*ROSTER_COLUMNS, "period"]
    cols = {c: i for c in wanted if (i := s.column(c)) is not None}
    missing = [c for c in ROSTER_COLUMNS if c not in cols]
    if missing:
        raise s.error(
            f"roster lacks columns {missing}; found {shorten(str(s.header))}; expected {list(ROSTER_COLUMNS)} (check "
            "spelling and extra spaces)"
        )
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, row in zip(s.row_numbers, s.rows):
        rec = _record(s, cols, number, row)
        key = tuple(rec[c] for c in cols if c != "invited")
        if key in seen:
            what = ", ".join(f"{c} {shorten(repr(rec[c]))}" for c in cols if c != "invited")
            raise s.error(
                f"{what} appears twice (first in row {seen[key]}); expected one row per organisation and role", number
            )
        seen[key] = number
        records.append(rec)
    order = [c for c in wanted if c in cols]
    frame = pd.DataFrame(records, columns=order)
    return frame.astype({c: "str" for c in order if c != "invited"} | {"invited": "int64"})
