"""Who took part: response rates per organisation and role, and the balance between the sides.

:func:`read_roster` reads the invitation roster (the edge: file in, checked
frame out); :func:`engagement` is a pure function of the respondents table
and the roster.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .exceptions import PartnerDataError, describe_place
from .survey import NOT_STATED

ROSTER_COLUMNS = ("partner", "role", "invited")
#: Response rate below which a group is flagged.
RATE_THRESHOLD = 0.60
#: Largest acceptable difference between a side's share of responses and its share of invitations.
BALANCE_THRESHOLD = 0.15
ALL_ROLES = "All roles"

ENGAGEMENT_COLUMNS = ["partner", "role", "invited", "responded", "response_rate", "share_invited",
                      "share_responded", "balance", "low_response", "imbalanced"]


def read_roster(path) -> pd.DataFrame:
    """Read an invitation roster: one row per organisation and role with the number invited.

    Parameters
    ----------
    path : path-like
        CSV (UTF-8) or XLSX (first sheet) with the columns ``partner``,
        ``role`` and ``invited``; an optional ``period`` column gives one
        roster per period.  Only read, never modified.

    Returns
    -------
    DataFrame
        ``partner``, ``role`` (text, surrounding spaces removed), ``invited``
        (int64), and ``period`` when present.

    Raises
    ------
    PartnerDataError
        If the file is missing or unreadable, a column is missing, a partner
        or role is blank, ``invited`` is not a whole number of at least 1, or
        a partner/role pair appears twice; the message names the file, row
        (data rows counted from 1 after the header), column and value.
    """
    path = Path(path)
    if not path.is_file():
        raise PartnerDataError(f"file '{path}': roster not found; expected a CSV or XLSX with columns "
                               f"{list(ROSTER_COLUMNS)}")
    sheet = None
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with pd.ExcelFile(path, engine="openpyxl") as book:
                sheet = book.sheet_names[0]
                frame = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as exc:
        raise PartnerDataError(f"file '{path}': cannot read the roster ({exc}); expected a UTF-8 CSV or an XLSX "
                               f"with columns {list(ROSTER_COLUMNS)}") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ROSTER_COLUMNS if c not in frame.columns]
    if missing:
        raise PartnerDataError(f"file '{path}': roster lacks columns {missing}; found {list(frame.columns)}; "
                               f"expected {list(ROSTER_COLUMNS)} (check spelling and extra spaces)")
    keep = list(ROSTER_COLUMNS) + (["period"] if "period" in frame.columns else [])
    frame = frame[keep].apply(lambda s: s.str.strip())
    for col in [c for c in keep if c != "invited"]:
        blank = frame[col] == ""
        if blank.any():
            row = int(np.flatnonzero(blank.to_numpy())[0]) + 1
            raise PartnerDataError(f"{describe_place(path, sheet=sheet, row=row, column=col, value='')}: blank {col}; "
                                   "every roster row needs an organisation, a role and a number invited")
    invited = pd.to_numeric(frame["invited"], errors="coerce")
    bad = invited.isna() | (invited < 1) | (invited != np.floor(invited))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        where = describe_place(path, sheet=sheet, row=row + 1, column="invited", value=frame["invited"].iloc[row])
        raise PartnerDataError(f"{where}: expected a whole number of people invited, at least 1")
    frame["invited"] = invited.astype("int64")
    key = [c for c in keep if c != "invited"]
    dupe = frame.duplicated(key, keep="first")
    if dupe.any():
        row = int(np.flatnonzero(dupe.to_numpy())[0])
        what = ", ".join(f"{c} {frame[c].iloc[row]!r}" for c in key)
        raise PartnerDataError(f"{describe_place(path, sheet=sheet, row=row + 1)}: {what} appears twice; "
                               "expected one row per organisation and role")
    return frame.reset_index(drop=True)


def engagement(respondents: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Response rates per organisation and role, and the balance between the sides.

    Parameters
    ----------
    respondents : DataFrame
        ``Survey.respondents`` (``partner``, ``role``, ``period``...) of one
        period, or of several when the roster has a ``period`` column.
    roster : DataFrame
        :func:`read_roster`'s frame: ``partner``, ``role``, ``invited``.

    Returns
    -------
    DataFrame
        One row per organisation and role of the roster, then one row per
        organisation (``role`` = ``"All roles"``), with (per period when the
        roster has one):

        - ``invited``, ``responded``: people invited and kept respondents;
        - ``response_rate``: ``responded / invited``;
        - ``low_response``: True where the response rate is under 60 %;
        - on the organisation rows only: ``share_invited`` and
          ``share_responded`` (the organisation's share of all invitations and
          of all responses), ``balance`` = ``share_responded - share_invited``
          and ``imbalanced``: True where ``|balance| > 0.15`` (15 points).

        Respondents whose role was not stated count in their organisation's
        totals only.  Counts of people are not survey answers, so they are
        shown for groups of any size.

    Raises
    ------
    PartnerDataError
        If respondents come from an organisation or role the roster lacks, a
        group has more respondents than invitations, or respondents span
        several periods and the roster has no ``period`` column.
    """
    missing = [c for c in ("partner", "role") if c not in respondents.columns]
    if missing:
        raise PartnerDataError(f"respondents table lacks columns {missing}; expected Survey.respondents")
    per_period = "period" in roster.columns
    if not per_period and "period" in respondents.columns:
        periods = sorted(respondents["period"].astype(str).unique().tolist())
        if len(periods) > 1:
            raise PartnerDataError(f"respondents span periods {periods} but the roster has no 'period' column; "
                                   "select one period (partnerlib.select_period) or add a period column to the roster")
    period_key = ["period"] if per_period else []
    people = respondents[period_key + ["partner", "role"]].astype(str)
    roster = roster.copy()
    for col in period_key + ["partner", "role"]:
        roster[col] = roster[col].astype(str)

    known_partners = set(roster["partner"])
    unknown = sorted(set(people["partner"]) - known_partners)
    if unknown:
        raise PartnerDataError(f"respondents from organisations {unknown} are not in the roster "
                               f"(roster organisations: {sorted(known_partners)}); check spelling")
    stated = people[people["role"] != NOT_STATED]
    pairs = set(map(tuple, roster[period_key + ["partner", "role"]].to_numpy()))
    extra = sorted(set(map(tuple, stated[period_key + ["partner", "role"]].to_numpy())) - pairs)
    if extra:
        raise PartnerDataError(f"respondents from groups {extra} are not in the roster; expected every "
                               "organisation and role that responded to have a roster row with the number invited")

    counts = stated.groupby(period_key + ["partner", "role"]).size().rename("responded").reset_index()
    by_role = roster.merge(counts, on=period_key + ["partner", "role"], how="left")
    by_role["responded"] = by_role["responded"].fillna(0).astype("int64")
    over = by_role[by_role["responded"] > by_role["invited"]]
    if len(over):
        r = over.iloc[0]
        raise PartnerDataError(f"{r['partner']} / {r['role']}: {r['responded']} respondents but only "
                               f"{r['invited']} invited in the roster; expected the roster to count everyone invited")

    totals = roster.groupby(period_key + ["partner"], sort=False)["invited"].sum().reset_index()
    answered = people.groupby(period_key + ["partner"]).size().rename("responded").reset_index()
    totals = totals.merge(answered, on=period_key + ["partner"], how="left")
    totals["responded"] = totals["responded"].fillna(0).astype("int64")
    totals["role"] = ALL_ROLES
    if period_key:
        grand = totals.groupby(period_key)[["invited", "responded"]].transform("sum")
    else:
        grand = pd.DataFrame({c: totals[c].sum() for c in ("invited", "responded")}, index=totals.index)
    totals["share_invited"] = totals["invited"] / grand["invited"]
    totals["share_responded"] = totals["responded"] / grand["responded"].replace(0, np.nan)
    totals["balance"] = totals["share_responded"] - totals["share_invited"]
    totals["imbalanced"] = (totals["balance"].abs() > BALANCE_THRESHOLD).to_numpy(bool)

    by_role["_t"], totals["_t"] = 0, 1
    out = pd.concat([by_role, totals], ignore_index=True)
    out["response_rate"] = out["responded"] / out["invited"]
    out["low_response"] = (out["response_rate"] < RATE_THRESHOLD).to_numpy(bool)
    out["imbalanced"] = out["imbalanced"].astype("boolean").fillna(False).astype(bool)
    order = {p: i for i, p in enumerate(dict.fromkeys(roster["partner"]))}
    out["_p"] = out["partner"].map(order)
    out = out.sort_values(period_key + ["_p", "_t"], kind="stable").drop(columns=["_p", "_t"])
    return out[period_key + ENGAGEMENT_COLUMNS].reset_index(drop=True)
