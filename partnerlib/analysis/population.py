"""How many were invited, per group: the finite populations a review's intervals and tests refer to (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from .aggregate import as_list


def invited_counts(roster: pd.DataFrame, by=None, *, period=None) -> pd.DataFrame:
    """People invited per group of ``by`` (``partner``, ``role``; none: everyone), from a roster.

    Parameters
    ----------
    roster : DataFrame
        :func:`partnerlib.read_roster` (``partner``, ``role``, ``invited``, optionally ``period``).
    by : str or list of str, optional
        Columns of the roster to group by.
    period : str, optional
        Where the roster has a ``period`` column, the period whose invitations count.

    Returns
    -------
    DataFrame
        The ``by`` columns (text) and ``invited``, the sum over the roster's rows.
    """
    by = as_list(by)
    if period is not None and "period" in roster.columns:
        roster = roster[roster["period"].astype(str) == str(period)]
    missing = [c for c in by if c not in roster.columns]
    if missing:
        raise PartnerDataError(f"the roster has no column {missing}; its columns are {list(roster.columns)}")
    if not by:
        return pd.DataFrame({"invited": [int(roster["invited"].sum())]})
    keyed = roster.astype({c: str for c in by})
    return keyed.groupby(by, sort=True)["invited"].sum().reset_index()


def invited_in(groups: pd.DataFrame, by: list[str], population: pd.DataFrame | None):
    """The ``invited`` count of each row of ``groups`` (its ``by`` columns looked up in ``population``), or
    ``None`` where there is no population.  NaN where the roster does not list the group.

    Raises
    ------
    PartnerDataError
        Where a group has more respondents (``n``) than the roster says were invited.
    """
    if population is None:
        return None
    if by:
        keys = groups[by].astype(str)
        invited = keys.merge(population.astype({c: str for c in by}), on=by, how="left")["invited"].to_numpy(float)
    else:
        invited = np.full(len(groups), float(population["invited"].iloc[0]))
    n = groups["n"].to_numpy(float)
    over = np.flatnonzero(n > invited)
    if len(over):
        row = groups.iloc[over[0]]
        where = ", ".join(f"{c} {row[c]!s}" for c in by) or "the whole review"
        raise PartnerDataError(
            f"{where}: {int(n[over[0]])} people answered but the roster says {int(invited[over[0]])} were invited; "
            "correct the roster's invited count (it must count everyone the survey was sent to)"
        )
    return invited
