"""Partners' objectives: how important each is to each partner, and whether they stay compatible.

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

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .exceptions import PartnerDataError
from .sheets import is_blank, read_sheets

STATUSES = ("aligned", "divergent", "unsupported")
IGNORED = ("notes", "note", "description", "comments", "comment", "id")
SCALE = (1, 5)
_MEASURES = ("importance", "served")
_CONNECTORS = ("rating", "by", "for", "to", "of")
#: pandera schema of the objectives table (checked when it is built and when alignment is computed).
OBJECTIVES_SCHEMA = pa.DataFrameSchema({
    "objective": pa.Column(str), "owner": pa.Column(str), "partner": pa.Column(str),
    "importance": pa.Column(float, pa.Check.in_range(*SCALE), coerce=True),
    "served": pa.Column(float, pa.Check.in_range(*SCALE), nullable=True, coerce=True),
}, strict=True, ordered=True, unique=["objective", "partner"])


def _validate(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    try:
        return OBJECTIVES_SCHEMA.validate(frame)
    except (SchemaError, SchemaErrors) as exc:
        raise PartnerDataError(f"{where}: not an objectives table (objective, owner, partner, importance 1-5, "
                               f"served 1-5 or missing; one row per objective and partner): {exc}") from exc


def _split_header(header: str) -> tuple[str, str] | None:
    """``"importance (Contoso)"`` -> ``("importance", "Contoso")``; ``"served"`` -> ``("served", "")``."""
    for measure in _MEASURES:
        m = re.search(rf"\b{measure}\b", header, flags=re.I)
        if m:
            rest = (header[:m.start()] + " " + header[m.end():])
            words = re.sub(r"[()\[\]:\-–—,]", " ", rest).split()
            while words and words[0].casefold() in _CONNECTORS:
                words.pop(0)
            while words and words[-1].casefold() in _CONNECTORS:
                words.pop()
            return measure, " ".join(words)
    return None


def _rating(value, place: str, *, required: bool) -> float:
    if is_blank(value):
        if required:
            raise PartnerDataError(f"{place}: blank importance rating; expected every partner to rate every "
                                   f"objective {SCALE[0]}-{SCALE[1]}")
        return float("nan")
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            number = None
    if number is None or not (SCALE[0] <= number <= SCALE[1]):
        raise PartnerDataError(f"{place}: expected a rating from {SCALE[0]} to {SCALE[1]}")
    return number


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
        raise PartnerDataError(f"file '{path}': the objectives sheet is empty; expected a header with objective, "
                               "owner and one 'importance (<partner>)' column per partner")
    s = sheets[0]
    pos, importance, served, unknown = {}, {}, {}, []
    for i, h in enumerate(s.header):
        key = h.casefold()
        if key in ("objective", "owner"):
            pos[key] = i
        elif key in IGNORED:
            continue
        elif (split := _split_header(h)) is not None:
            measure, partner = split
            (importance if measure == "importance" else served)[partner] = i
        else:
            unknown.append(h)
    if unknown:
        raise PartnerDataError(f"{s.place()}: unexpected columns {unknown}; expected objective, owner, "
                               "'importance (<partner>)' per partner and optionally 'served' or "
                               "'served (<partner>)'")
    missing = [c for c in ("objective", "owner") if c not in pos]
    if missing:
        raise PartnerDataError(f"{s.place()}: no column {missing}; the header is {s.header}")
    partners = [p for p in importance if p]
    if len(partners) < 2 or "" in importance:
        raise PartnerDataError(f"{s.place()}: expected one 'importance (<partner>)' column for each of at least "
                               f"two partners; found importance columns for {partners or 'none'}")
    stray = [p for p in served if p and p not in importance]
    if stray:
        raise PartnerDataError(f"{s.place(column=s.header[served[stray[0]]])}: a served rating for "
                               f"'{stray[0]}', who has no importance column; expected partners {partners}")
    owners = {p.casefold(): p for p in partners} | {"joint": "joint", "both": "joint"}
    records, seen = [], {}
    for number, row in zip(s.row_numbers, s.rows):
        objective = " ".join(str(row[pos["objective"]] or "").split())
        if not objective:
            raise PartnerDataError(f"{s.place(number, s.header[pos['objective']])}: blank objective; expected "
                                   "every row to name its objective")
        if objective in seen:
            raise PartnerDataError(f"{s.place(number, s.header[pos['objective']], objective)}: objective listed "
                                   f"again (first in row {seen[objective]}); expected each objective once")
        seen[objective] = number
        raw_owner = row[pos["owner"]]
        owner = owners.get(" ".join(str(raw_owner or "").split()).casefold())
        if owner is None:
            raise PartnerDataError(f"{s.place(number, s.header[pos['owner']], raw_owner)}: expected the owner to "
                                   f"be one of the partners {partners} or 'joint'")
        joint_served = (_rating(row[served[""]], s.place(number, s.header[served[""]], row[served[""]]),
                                required=False) if "" in served else np.nan)
        for p in partners:
            i = importance[p]
            rec = {"objective": objective, "owner": owner, "partner": p,
                   "importance": _rating(row[i], s.place(number, s.header[i], row[i]), required=True)}
            if p in served:
                j = served[p]
                rec["served"] = _rating(row[j], s.place(number, s.header[j], row[j]), required=False)
            else:
                rec["served"] = joint_served
            records.append(rec)
    frame = pd.DataFrame(records, columns=["objective", "owner", "partner", "importance", "served"])
    for c in ("objective", "owner", "partner"):
        frame[c] = frame[c].astype("str")
    frame[["importance", "served"]] = frame[["importance", "served"]].astype(float)
    frame.attrs["source"] = str(path)
    return _validate(frame, f"file '{path}'")


def objectives_alignment(objectives: pd.DataFrame, *, divergent_at: float = 2,
                         unsupported_at: float = 2) -> pd.DataFrame:
    """How compatible the partners' objectives are.

    Parameters
    ----------
    objectives : DataFrame
        The table of :func:`read_objectives`.
    divergent_at : float
        Spread of importance at or above which an objective is ``divergent`` (default 2 points).
    unsupported_at : float
        ``served`` at or below which an objective is ``unsupported`` (default 2 on 1-5).

    Returns
    -------
    DataFrame
        One row per objective (file order): ``objective``, ``owner``, one
        column per partner with its importance rating, then

        - ``spread``: highest minus lowest importance rating between the partners;
        - ``served``: mean of the ``served`` ratings given (NaN where none);
        - ``divergent``: ``spread >= divergent_at``;
        - ``unsupported``: ``served <= unsupported_at``;
        - ``status``: ``divergent`` where divergent (the partners' priorities
          pull apart: the first thing to discuss), else ``unsupported`` where
          unsupported, else ``aligned``.

        ``attrs["alignment_index"]`` holds :func:`alignment_index` of the result
        and ``attrs["partners"]`` the partner columns in order.
    """
    objectives = _validate(objectives, "objectives table")
    partners = list(dict.fromkeys(objectives["partner"].astype(str)))
    order = list(dict.fromkeys(objectives["objective"].astype(str)))
    wide = objectives.pivot(index="objective", columns="partner", values="importance").reindex(
        index=order, columns=partners)
    info = objectives.drop_duplicates("objective").set_index("objective")["owner"].reindex(order)
    out = pd.DataFrame({"objective": order, "owner": info.to_numpy()})
    for p in partners:
        out[p] = wide[p].to_numpy(float)
    out["spread"] = (wide.max(axis=1) - wide.min(axis=1)).to_numpy(float)
    out["served"] = objectives.groupby("objective", sort=False)["served"].mean().reindex(order).to_numpy(float)
    out["divergent"] = out["spread"] >= divergent_at
    out["unsupported"] = (out["served"] <= unsupported_at).fillna(False).astype(bool)
    out["status"] = pd.Categorical(np.where(out["divergent"], "divergent",
                                            np.where(out["unsupported"], "unsupported", "aligned")),
                                   categories=list(STATUSES))
    out.attrs["alignment_index"] = alignment_index(out)
    out.attrs["partners"] = partners
    return out


def alignment_index(alignment: pd.DataFrame) -> float:
    """Share of objectives whose status is ``aligned`` (0-1; NaN where there are no objectives)."""
    if not len(alignment):
        return float("nan")
    return float((alignment["status"].astype(str) == "aligned").mean())
