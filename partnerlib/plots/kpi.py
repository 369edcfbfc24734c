"""The KPI scorecard as bars: each KPI against its target, coloured by status, with its trend."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..analysis.aggregate import period_order
from ._theme import PALETTE, SMALL_TEXT, STATUS_COLOURS, get_ax, set_title

#: Bars of the scorecard are cut at this share of the target (the value is written beside them).
BAR_CAP = 1.6
#: Horizontal span (in the scorecard's data coordinates) of the trend sparklines.
SPARK = (1.95, 2.75)


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    text = f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if not unit:
        return text
    return f"{unit}{text}" if unit in "£$€" else f"{text}%" if unit == "%" else f"{text} {unit}"


def kpi_bars(scorecard: pd.DataFrame, history: pd.DataFrame | None = None, *, ax=None):
    """KPI scorecard: each KPI against its target, coloured by status, with its trend.

    Parameters
    ----------
    scorecard : DataFrame
        Output of :func:`partnerlib.kpi_scorecard` (one period).
    history : DataFrame, optional
        The tidy KPI table of :func:`partnerlib.read_kpis`; when given, each
        KPI gets a sparkline of its actuals over the periods up to the
        scorecard's period.
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per KPI, top to bottom in the scorecard's order.  The bar is
        ``actual / target`` (the share of the target reached; for *lower is
        better* KPIs a bar beyond the target is bad), cut at
        :data:`BAR_CAP`, coloured by status (:data:`STATUS_COLOURS`); the
        black ``|`` marker at 1 is the target; the text gives actual and
        target in the KPI's unit.  KPIs without a positive target or without
        data get no bar, only the text.  The sparkline (right) joins the
        KPI's actuals, scaled to its own range within the row, higher values
        higher; its last point is coloured by status.
    """
    ax = get_ax(ax)
    card = scorecard.reset_index(drop=True)
    n = len(card)
    period = str(card["period"].iloc[0]) if n else ""
    _bars_and_targets(ax, card)
    if history is not None and n:
        _sparklines(ax, card, history, period)
    kinds = card["kind"].astype(str).tolist()
    for y in range(1, n):
        if kinds[y] != kinds[y - 1]:
            ax.axhline(y - 0.5, color=PALETTE["grey"], linewidth=0.8)
    labels = []
    for row in card.itertuples():
        arrow = "↑" if row.direction == "higher" else "↓"
        who = "" if row.partner == "joint" else f" ({row.partner})"
        labels.append(textwrap.fill(f"{row.kpi}{who} {arrow}", 30))
    ax.set_yticks(np.arange(n), labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, SPARK[1] + 0.05 if history is not None else BAR_CAP + 0.5)
    ax.set_xticks([0, 0.5, 1, 1.5], ["0", "50%", "target", "150%"])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("actual as a share of target (↑ higher is better, ↓ lower is better)")
    present = [s for s in STATUS_COLOURS if s in set(card["status"].astype(str))]
    ax.legend(
        handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in present],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(present),
        frameon=False,
        borderaxespad=0.2,
    )
    set_title(ax, f"KPI scorecard {period}", pad=26)
    return ax


def _bars_and_targets(ax, card: pd.DataFrame) -> None:
    """Each KPI's bar (actual / target, coloured by status), its target marker and its value written out."""
    bar_y, bar_w, bar_c, target_y = [], [], [], []
    for y, row in enumerate(card.to_dict("records")):
        status, actual, target, unit = str(row["status"]), float(row["actual"]), float(row["target"]), row["unit"]
        usable = not np.isnan(actual) and not np.isnan(target) and target > 0
        if usable:
            bar_y.append(y)
            bar_w.append(min(actual / target, BAR_CAP))
            bar_c.append(STATUS_COLOURS[status])
        if not np.isnan(target):
            target_y.append(y)
        end = max(bar_w[-1], 1.0) if usable else (1.0 if not np.isnan(target) else 0)
        text = f"{_fmt(actual, unit)}"
        if not np.isnan(target):
            text += f"  (target {_fmt(target, unit)})"
        if status in ("no target", "no data"):
            text += f"  {status}"
        ax.text(end + 0.03, y, text, va="center", fontsize=SMALL_TEXT, gid="kpi-value")
    if bar_y:
        ax.barh(bar_y, bar_w, color=bar_c, height=0.6, zorder=2)
    if target_y:
        ax.scatter(
            np.ones(len(target_y)),
            target_y,
            marker="|",
            s=500,
            color=PALETTE["black"],
            linewidths=2,
            zorder=3,
            label="target",
        )


def _sparklines(ax, card: pd.DataFrame, history: pd.DataFrame, period: str) -> None:
    every = period_order(history)
    order = every[: every.index(period) + 1] if period in every else every
    x = np.linspace(SPARK[0], SPARK[1], max(len(order), 2))[: len(order)]
    hist = history.assign(period=history["period"].astype(str))
    for y, row in enumerate(card.itertuples()):
        part = hist[(hist["kpi"] == row.kpi) & (hist["partner"] == row.partner)].set_index("period")["actual"]
        values = part.reindex(order).to_numpy(float)
        if np.isnan(values).all():
            continue
        lo, hi = np.nanmin(values), np.nanmax(values)
        scaled = np.full_like(values, 0.5) if hi == lo else (values - lo) / (hi - lo)
        ax.plot(
            x,
            y + 0.3 - 0.6 * scaled,
            color=PALETTE["grey"],
            linewidth=1.2,
            marker=".",
            markersize=3,
            gid=f"trend: {row.kpi}",
        )
        if not np.isnan(values[-1]):
            ax.scatter([x[-1]], [y + 0.3 - 0.6 * scaled[-1]], s=25, color=STATUS_COLOURS[str(row.status)], zorder=4)
    ax.text(SPARK[0], -0.5, f"trend {order[0]}–{order[-1]}", fontsize=SMALL_TEXT, va="bottom", color=PALETTE["grey"])
