"""Who took part: response rates per organisation and role, and the balance between the sides (pure).

The roster comes from :func:`partnerlib.io.roster.read_roster`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES, NOT_STATED
from .suppression import margin_pattern

ENGAGEMENT_COLUMNS = [
    "partner",
    "role",
    "invited",
    "responded",
    "response_rate",
    "share_invited",
    "share_responded",
    "balance",
    "low_response",
    "imbalanced",
    "hidden",
]


def _check_groups(people: pd.DataFrame, roster: pd.DataFrame, key: list[str]) -> None:
    """Every organisation and stated role that responded is in the roster."""
    known_partners = set(roster["partner"])
    unknown = sorted(set(people["partner"]) - known_partners)
    if unknown:
        raise PartnerDataError(
            f"respondents from organisations {unknown} are not in the roster (roster "
            f"organisations: {sorted(known_partners)}); check spelling"
        )
    stated = people[people["role"] != NOT_STATED]
    pairs = set(map(tuple, roster[[*key, "partner", "role"]].to_numpy()))
    extra = sorted(set(map(tuple, stated[[*key, "partner", "role"]].to_numpy())) - pairs)
    if extra:
        raise PartnerDataError(
            f"respondents from groups {extra} are not in the roster; expected every organisation "
            "and role that responded to have a roster row with the number invited"
        )


def _by_role(people: pd.DataFrame, roster: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    stated = people[people["role"] != NOT_STATED]
    counts = stated.groupby([*key, "partner", "role"]).size().rename("responded").reset_index()
    by_role = roster.merge(counts, on=[*key, "partner", "role"], how="left")
    by_role["responded"] = by_role["responded"].fillna(0).astype("int64")
    over = by_role[by_role["responded"] > by_role["invited"]]
    if len(over):
        r = over.iloc[0]
        raise PartnerDataError(
            f"{r['partner']} / {r['role']}: {r['responded']} respondents but only {r['invited']} "
            "invited in the roster; expected the roster to count everyone invited"
        )
    return by_role


def _totals(people: pd.DataFrame, roster: pd.DataFrame, key: list[str], balance_threshold: float) -> pd.DataFrame:
    totals = roster.groupby([*key, "partner"], sort=False)["invited"].sum().reset_index()
    answered = people.groupby([*key, "partner"]).size().rename("responded").reset_index()
    totals = totals.merge(answered, on=[*key, "partner"], how="left")
    totals["responded"] = totals["responded"].fillna(0).astype("int64")
    totals["role"] = ALL_ROLES
    if key:
        grand = totals.groupby(key)[["invited", "responded"]].transform("sum")
    else:
        grand = pd.DataFrame({c: totals[c].sum() for c in ("invited", "responded")}, index=totals.index)
    totals["share_invited"] = totals["invited"] / grand["invited"]
    totals["share_responded"] = totals["responded"] / grand["responded"].replace(0, np.nan)
    totals["balance"] = totals["share_responded"] - totals["share_invited"]
    totals["imbalanced"] = (totals["balance"].abs() > balance_threshold).to_numpy(bool)
    return totals


def engagement(respondents: pd.DataFrame, roster: pd.DataFrame, *, method: Method = METHOD) -> pd.DataFrame:
    """Response rates per organisation and role, and the balance between the sides.

    Parameters
    ----------
    respondents : DataFrame
        ``Survey.respondents`` (``partner``, ``role``, ``period``...) of one
        period, or of several when the roster has a ``period`` column.
    roster : DataFrame
        :func:`partnerlib.read_roster`'s frame: ``partner``, ``role``, ``invited``.
    method : Method
        ``rate_threshold``: the response rate below which a group is flagged ``low_response`` (60 %);
        ``balance_threshold``: the largest acceptable ``|balance|`` of an organisation (0.15, 15 points).

    Returns
    -------
    DataFrame
        One row per organisation and role of the roster, then one row per
        organisation (``role`` = ``"All roles"``), with (per period when the
        roster has one):

        - ``invited``, ``responded``: people invited and kept respondents;
        - ``response_rate``: ``responded / invited``;
        - ``low_response``: True where the response rate is under ``method.rate_threshold``;
        - on the organisation rows only: ``share_invited`` and
          ``share_responded`` (the organisation's share of all invitations and
          of all responses), ``balance`` = ``share_responded - share_invited``
          and ``imbalanced``: True where ``|balance| > method.balance_threshold``.

        - ``hidden``: where a group's count may not be shown, what to show instead: "fewer than 5 responses"
          for a group of fewer than ``method.min_n`` who took part, "hidden to protect a smaller group" where
          its count would give a smaller group's count away by subtraction from its organisation's or the
          whole's (:func:`partnerlib.analysis.suppression.margin_pattern`); missing where it may be shown.

        Respondents whose role was not stated count in their organisation's
        totals only.

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
            raise PartnerDataError(
                f"respondents span periods {periods} but the roster has no 'period' column; "
                "select one period (partnerlib.select_period) or add a period column to the roster"
            )
    key = ["period"] if per_period else []
    people = respondents[[*key, "partner", "role"]].astype(str)
    roster = roster.astype({c: str for c in [*key, "partner", "role"]})
    _check_groups(people, roster, key)
    by_role, totals = _by_role(people, roster, key), _totals(people, roster, key, method.balance_threshold)
    by_role["_t"], totals["_t"] = 0, 1
    out = pd.concat([by_role, totals], ignore_index=True)
    out["response_rate"] = out["responded"] / out["invited"]
    out["low_response"] = (out["response_rate"] < method.rate_threshold).to_numpy(bool)
    out["imbalanced"] = out["imbalanced"].astype("boolean").fillna(False).astype(bool)
    order = {p: i for i, p in enumerate(dict.fromkeys(roster["partner"]))}
    out["_p"] = out["partner"].map(order)
    out = out.sort_values([*key, "_p", "_t"], kind="stable").drop(columns=["_p", "_t"])
    out["hidden"] = _hidden_counts(out, people, key, method.min_n)
    return out[key + ENGAGEMENT_COLUMNS].reset_index(drop=True)


def _hidden_counts(out: pd.DataFrame, people: pd.DataFrame, key: list[str], min_n: int):
    """The ``hidden`` text of each row: counts protected as margins of one table (whole, organisation, role)."""
    cells = people.groupby([*key, "partner", "role"], observed=True).size().rename("n").reset_index()
    pattern = margin_pattern(cells, [*key, "partner", "role"], unit=None, min_n=min_n)
    depth = len(key)
    verdict = {}
    for row in pattern.to_dict("records"):
        level = int(row["level"]) - depth
        if level in (1, 2):
            values = [str(row[c]) for c in key] + [str(row["partner"]), str(row["role"]) if level == 2 else ALL_ROLES]
            verdict[tuple(values)] = row["hidden"] if isinstance(row["hidden"], str) else None
    keys = zip(*(out[c].astype(str) for c in [*key, "partner", "role"]))
    return pd.array([verdict.get(tuple(k)) for k in keys], dtype="str")
