"""The KPI scorecard of a period: each KPI against its target, its change and its run off track (pure).

The KPI table comes from :func:`partnerlib.io.kpis.read_kpis` (or any table
passing :data:`partnerlib.schemas.KPI_SCHEMA`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..schemas import validate_kpis
from ..settings import METHOD, Method
from ..vocabulary import KPI_KINDS, KPI_STATUSES
from .aggregate import period_order

SCORECARD_COLUMNS = [
    "kpi",
    "kind",
    "partner",
    "unit",
    "direction",
    "period",
    "actual",
    "target",
    "status",
    "shortfall",
    "previous_period",
    "previous",
    "change",
    "improved",
    "periods_off_track",
]


def kpi_status(actual, target, direction, *, method: Method = METHOD) -> np.ndarray:
    """Status of KPI values against their targets.

    - ``no data`` where ``actual`` is missing; ``no target`` where ``target`` is;
    - ``shortfall`` = ``target - actual`` for *higher is better*, ``actual -
      target`` for *lower is better*;
    - ``on track`` where ``shortfall <= 0`` (the target is met in the KPI's direction);
    - ``watch`` where ``0 < shortfall <= method.kpi_tolerance * |target|`` (missed by at
      most the tolerance, 5 % of the target);
    - ``off track`` otherwise.

    Comparisons allow for floating-point rounding (1e-9 relative), so a value
    exactly on a boundary gets the better status.
    """
    actual = np.asarray(actual, float)
    target = np.asarray(target, float)
    higher = np.asarray(direction, object) == "higher"
    shortfall = np.where(higher, target - actual, actual - target)
    slack = 1e-9 * np.maximum(1.0, np.abs(target))
    status = np.where(
        shortfall <= slack,
        "on track",
        np.where(shortfall <= method.kpi_tolerance * np.abs(target) + slack, "watch", "off track"),
    ).astype(object)
    status[np.isnan(target)] = "no target"
    status[np.isnan(actual)] = "no data"
    return status


def _runs_off_track(status: pd.DataFrame, keys, order: list[str], idx: int) -> np.ndarray:
    """For each KPI of ``keys``, how many periods in a row up to ``order[idx]`` it has been off track."""
    runs = []
    for key in keys:
        n = 0
        for p in reversed(order[: idx + 1]):
            if status.loc[key, p] != "off track":
                break
            n += 1
        runs.append(n)
    return np.asarray(runs, dtype=int)


def kpi_scorecard(kpis: pd.DataFrame, period, *, method: Method = METHOD) -> pd.DataFrame:
    """The scorecard of one period: each KPI against its target, its change and its run off track.

    Parameters
    ----------
    kpis : DataFrame
        The tidy KPI table of :func:`partnerlib.read_kpis`.
    period : str
        The period to score (``"2026"``).
    method : Method
        ``kpi_tolerance``: the share of ``|target|`` by which a KPI may miss its target and still be on
        ``watch`` rather than ``off track`` (5 %).

    Returns
    -------
    DataFrame
        One row per KPI and partner (goal KPIs first, then partnership KPIs,
        each in file order): ``kpi``, ``kind``, ``partner``, ``unit``,
        ``direction``, ``period``, ``actual``, ``target``, then

        - ``status``: see :func:`kpi_status` (``on track``, ``watch``,
          ``off track``, ``no target``, ``no data``);
        - ``shortfall``: by how much the target is missed in the KPI's
          direction (``<= 0`` = met; NaN without actual or target);
        - ``previous_period``: the period before ``period`` among all the
          table's periods (see :func:`partnerlib.analysis.aggregate.period_order`), ``previous``: the KPI's
          actual then;
        - ``change``: ``actual - previous``;
        - ``improved``: True where the change goes the KPI's way (``change > 0``
          for *higher*, ``< 0`` for *lower*), False where it does not (including
          no change), missing where either value is;
        - ``periods_off_track``: how many periods in a row, ending with
          ``period``, the KPI has been ``off track`` (0 if it is not off track now).

    Raises
    ------
    PartnerDataError
        If ``period`` is not in the table.
    """
    kpis = validate_kpis(kpis)
    period = str(period)
    order = period_order(kpis)
    if period not in order:
        raise PartnerDataError(f"KPI period {period!r} not found; the KPI table has periods {order}")
    idx = order.index(period)
    prev = order[idx - 1] if idx > 0 else None
    keys = ["kpi", "partner"]
    frame = kpis.assign(period=kpis["period"].astype(str))
    frame["status"] = kpi_status(frame["actual"], frame["target"], frame["direction"], method=method)
    info = frame.drop_duplicates(keys)[[*keys, "kind", "unit", "direction"]]
    info = info.assign(_order=np.arange(len(info)))
    wide = {
        v: frame.pivot(index=keys, columns="period", values=v).reindex(columns=order)
        for v in ("status", "actual", "target")
    }
    out = info.set_index(keys)
    out["period"] = period
    out["actual"], out["target"] = wide["actual"][period], wide["target"][period]
    out["status"] = wide["status"][period].fillna("no data")
    higher = out["direction"] == "higher"
    out["shortfall"] = np.where(higher, out["target"] - out["actual"], out["actual"] - out["target"])
    out["previous_period"] = prev if prev is not None else pd.NA
    out["previous"] = wide["actual"][prev] if prev is not None else np.nan
    out["change"] = out["actual"] - out["previous"]
    improved = np.where(higher, out["change"] > 0, out["change"] < 0)
    out["improved"] = pd.array(
        [pd.NA if np.isnan(c) else bool(i) for c, i in zip(out["change"], improved)], dtype="boolean"
    )
    out["periods_off_track"] = _runs_off_track(wide["status"], out.index, order, idx)
    out["status"] = pd.Categorical(out["status"], categories=list(KPI_STATUSES))
    out = out.reset_index()
    out["_kind"] = out["kind"].map({k: i for i, k in enumerate(KPI_KINDS)})
    out = out.sort_values(["_kind", "_order"], kind="stable").drop(columns=["_kind", "_order"])
    return out[SCORECARD_COLUMNS].reset_index(drop=True)
