"""The partners' objectives sheet read into a tidy table: :func:`read_objectives`.

Each partner brings its own objectives to the partnership; they need not be
the same, but they must stay compatible as the partnership matures.  The
objectives sheet (CSV or a worksheet) has one row per objective::

    objective | owner | importance (Northwind Health) | importance (Contoso Logistics) | served

``owner`` is the partner whose objective it is (or ``joint``).  There is one
``importance`` column per partner, rated 1-5 (how important the objective is
to that partner); the partner's name is the rest of the header
(``importance (X)``, ``importance: X``, ``X importance``, ``X - importance``).
How well the partnership serves the objective (1-5) is optional: either one
``served`` column, or one ``served (X)`` column per partner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError, shorten
from ..schemas import OBJECTIVE_SCALE, validate_objectives
from .sheets import Sheet, is_blank, number_cell, read_sheets

IGNORED = ("notes", "note", "description", "comments", "comment", "id")
_MEASURES = ("importance", "served")
_CONNECTORS = ("rating", "by", "for", "to", "of")


def _split_header(header: str) -> tuple[str, str] | None:
    """``"importance (Contoso)"`` -> ``("importance", "Contoso")``; ``"served"`` -> ``("served", "")``.

    Only what surrounds the partner's name is removed (separators, connecting words, one pair of brackets round
    it): the name itself is kept as written, so ``"importance (Smith-Jones (UK) Ltd.)"`` gives
    ``"Smith-Jones (UK) Ltd."``, the name the ``owner`` column uses.
    """
    for measure in _MEASURES:
        m = re.search(rf"\b{measure}\b", header, flags=re.I)
        if m:
            rest, before = " ".join((header[: m.start()] + " " + header[m.end() :]).split()), None
            while rest != before:
                before = rest
                words = rest.strip(" :-–—,").split(" ")
                while words and words[0].casefold() in _CONNECTORS:
                    words.pop(0)
                while words and words[-1].casefold() in _CONNECTORS:
                    words.pop()
                rest = " ".join(words)
                if len(rest) >= 2 and rest[0] + rest[-1] in ("()", "[]") and _balanced(rest[1:-1]):
                    rest = rest[1:-1].strip()
            return measure, rest
    return None


def _balanced(text: str) -> bool:
    """Whether every bracket of ``text`` closes in order: in ``(A) and (B)`` the first and last are no pair."""
    depth = 0
    for ch in text:
        depth += (ch in "([") - (ch in ")]")
        if depth < 0:
            return False
    return depth == 0


def _rating(value, *, required: bool) -> float:
    lo, hi = OBJECTIVE_SCALE
    if is_blank(value):
        if required:
            raise PartnerDataError(f"blank importance rating; expected every partner to rate every objective {lo}-{hi}")
        return float("nan")
    number = number_cell(value)
    if number is None or not (lo <= number <= hi):
        raise PartnerDataError(f"expected a rating from {lo} to {hi}")
    return number


@dataclass
class _Columns:
    """Where the objective, owner, importance and served columns of an objectives sheet are."""

    objective: int
    owner: int
    importance: dict[str, int] = field(default_factory=dict)  # partner -> column
    served: dict[str, int] = field(default_factory=dict)  # partner (or "" for one joint column) -> column

    @property
    def partners(self) -> list[str]:
        return [p for p in self.importance if p]


def _columns(s: Sheet) -> _Columns:
    """Find the sheet's columns; refuse unknown ones and an incomplete set."""
    pos: dict[str, int] = {}
    importance: dict[str, int] = {}
    served: dict[str, int] = {}
    unknown: list[str] = []
    for i, h in enumerate(s.header):
        key = h.casefold()
        if key in ("objective", "owner"):
            place, name = pos, key
        elif key in IGNORED:
            continue
        elif (split := _split_header(h)) is not None:
            measure, name = split
            place = importance if measure == "importance" else served
        else:
            unknown.append(h)
            continue
        if name in place:  # before, the later column silently replaced the earlier one
            raise s.error(
                f"columns {shorten(repr(s.header[place[name]]))} and {shorten(repr(h))} hold the same thing; expected "
                "one column each",
                column=h,
            )
        place[name] = i
    if unknown:
        raise s.error(
            f"unexpected columns {shorten(str(unknown))}; expected objective, owner, 'importance (<partner>)' per "
            "partner and optionally 'served' or 'served (<partner>)'"
        )
    missing = [c for c in ("objective", "owner") if c not in pos]
    if missing:
        raise s.error(f"no column {missing}; the header is {shorten(str(s.header))}")
    cols = _Columns(pos["objective"], pos["owner"], importance, served)
    if len(cols.partners) < 2 or "" in importance:
        raise s.error(
            f"expected one 'importance (<partner>)' column for each of at least two partners; found "
            f"importance columns for {cols.partners or 'none'}"
        )
    stray = [p for p in served if p and p not in importance]
    if stray:
        raise s.error(
            f"a served rating for {shorten(repr(stray[0]))}, who has no importance column; expected partners "
            f"{shorten(str(cols.partners))}",
            column=s.header[served[stray[0]]],
        )
    return cols


def _row_records(s: Sheet, cols: _Columns, number: int, row: list) -> list[dict]:
    """One record per partner for one objective row, errors located at their cell."""
    objective = " ".join(str(row[cols.objective] or "").split())
    owners = {p.casefold(): p for p in cols.partners} | {"joint": "joint", "both": "joint"}
    raw_owner = row[cols.owner]
    owner = owners.get(" ".join(str(raw_owner or "").split()).casefold())
    if owner is None:
        raise s.error(
            f"expected the owner to be one of the partners {shorten(str(cols.partners))} or 'joint'",
            number,
            s.header[cols.owner],
            raw_owner,
        )

    def rating(i: int, required: bool) -> float:
        with s.at(number, s.header[i], row[i]):
            return _rating(row[i], required=required)

    joint_served = rating(cols.served[""], False) if "" in cols.served else np.nan
    return [
        {
            "objective": objective,
            "owner": owner,
            "partner": p,
            "importance": rating(cols.importance[p], True),
            "served": rating(cols.served[p], False) if p in cols.served else joint_served,
        }
        for p in cols.partners
    ]


def read_objectives(path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read the objectives sheet (CSV, or the first worksheet of an XLSX unless ``sheet``).

    Returns
    -------
    DataFrame
        One row per objective and partner: ``objective``, ``owner``,
        ``partner``, ``importance`` (1-5, how important the objective is to
        ``partner``) and ``served`` (1-5, how well the partnership serves it,
        as rated by ``partner``, or the one joint rating repeated on each
        partner's row; NaN where not asked).  Objectives keep their file order.

    Raises
    ------
    PartnerDataError
        Naming file, sheet, row, column and value: no ``objective`` or
        ``owner`` column, fewer than two partners' importance columns, a blank
        objective, the same objective twice, an owner that is neither a
        partner nor ``joint``, a rating that is not a number from 1 to 5, a
        blank importance rating, an unexpected column.
    """
    sheets = read_sheets(path, sheet)
    if not sheets:
        raise PartnerDataError(
            "the objectives sheet is empty; expected a header with objective, owner and one "
            "'importance (<partner>)' column per partner",
            path=path,
        )
    s = sheets[0]
    cols = _columns(s)
    records: list[dict] = []
    seen: dict[str, int] = {}
    for number, row in zip(s.row_numbers, s.rows):
        objective = " ".join(str(row[cols.objective] or "").split())
        where = s.header[cols.objective]
        if not objective:
            raise s.error("blank objective; expected every row to name its objective", number, where)
        if objective in seen:
            raise s.error(
                f"objective listed again (first in row {seen[objective]}); expected each objective once",
                number,
                where,
                objective,
            )
        seen[objective] = number
        records += _row_records(s, cols, number, row)
    frame = pd.DataFrame(records, columns=["objective", "owner", "partner", "importance", "served"])
    frame = frame.astype({"objective": "str", "owner": "str", "partner": "str", "importance": float, "served": float})
    return validate_objectives(frame, path)
