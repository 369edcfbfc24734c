"""Charts of the review cycle: the KPI scorecard, the objectives alignment matrix, the action follow-up.

Each takes a frame first and keyword-only options, draws on ``ax`` (default:
the current axes), and returns the Axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ._theme import PALETTE, get_ax, set_title

#: Colour of each KPI status (the same meaning as the survey bands: green good, orange watch, vermillion bad).
STATUS_COLOURS = {"on track": PALETTE["green"], "watch": PALETTE["orange"], "off track": PALETTE["vermillion"],
                  "no target": PALETTE["grey"], "no data": "#D9D9D9"}
#: Colour of each objectives alignment status.
ALIGNMENT_COLOURS = {"aligned": PALETTE["green"], "divergent": PALETTE["vermillion"],
                     "unsupported": PALETTE["orange"]}
#: Colour of each action follow-up outcome.
OUTCOME_COLOURS = {"closed": PALETTE["green"], "narrowed": PALETTE["sky"], "unchanged": PALETTE["grey"],
                   "widened": PALETTE["vermillion"], "not yet measured": "#BBBBBB", "not measured": "#BBBBBB"}
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


def kpi_scorecard(scorecard: pd.DataFrame, history: pd.DataFrame | None = None, *, ax=None):
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
    ys = np.arange(n)
    bar_y, bar_w, bar_c, target_y = [], [], [], []
    for y, row in zip(ys, card.itertuples()):
        status = str(row.status)
        usable = not np.isnan(row.actual) and not np.isnan(row.target) and row.target > 0
        if usable:
            bar_y.append(y)
            bar_w.append(min(row.actual / row.target, BAR_CAP))
            bar_c.append(STATUS_COLOURS[status])
        if not np.isnan(row.target):
            target_y.append(y)
        end = max(bar_w[-1], 1.0) if usable else (1.0 if not np.isnan(row.target) else 0)
        text = f"{_fmt(row.actual, row.unit)}"
        if not np.isnan(row.target):
            text += f"  (target {_fmt(row.target, row.unit)})"
        if status in ("no target", "no data"):
            text += f"  {status}"
        ax.text(end + 0.03, y, text, va="center", fontsize=8, gid="kpi-value")
    if bar_y:
        ax.barh(bar_y, bar_w, color=bar_c, height=0.6, zorder=2)
    if target_y:
        ax.scatter(np.ones(len(target_y)), target_y, marker="|", s=500, color=PALETTE["black"], linewidths=2,
                   zorder=3, label="target")
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
        labels.append(f"{row.kpi}{who} {arrow}")
    ax.set_yticks(ys, labels)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, SPARK[1] + 0.05 if history is not None else BAR_CAP + 0.5)
    ax.set_xticks([0, 0.5, 1, 1.5], ["0", "50%", "target", "150%"])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("actual as a share of target (↑ higher is better, ↓ lower is better)")
    present = [s for s in STATUS_COLOURS if s in set(card["status"].astype(str))]
    ax.legend(handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in present], title="status",
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    set_title(ax, f"KPI scorecard {period}")
    return ax


def _sparklines(ax, card: pd.DataFrame, history: pd.DataFrame, period: str) -> None:
    from ..kpis import period_order

    every = period_order(history)
    order = every[:every.index(period) + 1] if period in every else every
    x = np.linspace(SPARK[0], SPARK[1], max(len(order), 2))[:len(order)]
    hist = history.assign(period=history["period"].astype(str))
    for y, row in enumerate(card.itertuples()):
        part = hist[(hist["kpi"] == row.kpi) & (hist["partner"] == row.partner)].set_index("period")["actual"]
        values = part.reindex(order).to_numpy(float)
        if np.isnan(values).all():
            continue
        lo, hi = np.nanmin(values), np.nanmax(values)
        scaled = np.full_like(values, 0.5) if hi == lo else (values - lo) / (hi - lo)
        ax.plot(x, y + 0.3 - 0.6 * scaled, color=PALETTE["grey"], linewidth=1.2, marker=".", markersize=3,
                gid=f"trend: {row.kpi}")
        if not np.isnan(values[-1]):
            ax.scatter([x[-1]], [y + 0.3 - 0.6 * scaled[-1]], s=25, color=STATUS_COLOURS[str(row.status)],
                       zorder=4)
    ax.text(SPARK[0], -0.5, f"trend {order[0]}–{order[-1]}", fontsize=8, va="bottom", color=PALETTE["grey"])


def objectives_alignment(alignment: pd.DataFrame, *, ax=None):
    """Objectives alignment matrix: how important each objective is to each partner.

    Parameters
    ----------
    alignment : DataFrame
        Output of :func:`partnerlib.objectives_alignment`.
    ax : Axes, optional

    Returns
    -------
    Axes
        A matrix, objectives (rows, in order) by partners (columns), shaded
        by the importance rating (1 light to 5 dark) and labelled with it;
        at the right of each row its status (``aligned``, ``divergent``,
        ``unsupported``) in :data:`ALIGNMENT_COLOURS` and its spread.  The title
        gives the alignment index (share of objectives aligned).
    """
    ax = get_ax(ax)
    partners = alignment.attrs.get("partners") or [c for c in alignment.columns if c not in
                                                   ("objective", "owner", "spread", "served", "divergent",
                                                    "unsupported", "status")]
    values = alignment[partners].to_numpy(float)
    n, m = values.shape
    ax.imshow(values, cmap="Blues", vmin=1, vmax=5, aspect="auto")
    for i in range(n):
        for j in range(m):
            v = values[i, j]
            ax.text(j, i, "–" if np.isnan(v) else f"{v:g}", ha="center", va="center", fontsize=10,
                    color="white" if v >= 3.5 else PALETTE["black"], gid="rating")
    for i, row in enumerate(alignment.itertuples()):
        status = str(row.status)
        ax.text(m - 0.4, i, f"{status} (spread {row.spread:g})", va="center", fontsize=9,
                color=ALIGNMENT_COLOURS[status], fontweight="bold", gid="status")
    owners = alignment["owner"].astype(str).tolist()
    ax.set_yticks(range(n), [f"{o}\n[{w}]" for o, w in zip(alignment["objective"].astype(str), owners)],
                  fontsize=8)
    ax.set_xticks(range(m), partners)
    ax.xaxis.tick_top()
    ax.set_xlim(-0.5, m + 1.1)
    ax.grid(False)
    index = alignment.attrs.get("alignment_index", (alignment["status"].astype(str) == "aligned").mean())
    set_title(ax, f"Objectives: importance to each partner (alignment index {index:.0%})", pad=24)
    return ax


def action_followup(followup: pd.DataFrame, *, closed_gap: float = 0.25, ax=None):
    """Action follow-up: each action's principle gap when agreed and now.

    Parameters
    ----------
    followup : DataFrame
        Output of :func:`partnerlib.action_followup`.
    closed_gap : float
        Drawn as the dashed "closed" line (use the same value as the follow-up).
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per action (top to bottom in order): a hollow circle at
        ``gap_created``, a filled circle at ``gap_latest`` joined by an arrow,
        coloured by outcome (:data:`OUTCOME_COLOURS`); actions not (yet)
        measured show only the hollow circle.  The label gives id, principle
        and outcome; overdue actions are marked "overdue" in vermillion.
    """
    ax = get_ax(ax)
    f = followup.reset_index(drop=True)
    n = len(f)
    created = f["gap_created"].to_numpy(float)
    latest = f["gap_latest"].to_numpy(float)
    colours = [OUTCOME_COLOURS[str(o)] for o in f["outcome"]]
    ys = np.arange(n)
    has0 = ~np.isnan(created)
    ax.scatter(created[has0], ys[has0], s=60, facecolors="white", edgecolors=np.array(colours, object)[has0],
               linewidths=1.5, zorder=3, label="gap when agreed")
    has1 = ~np.isnan(latest) & has0
    ax.scatter(latest[has1], ys[has1], s=60, c=np.array(colours, object)[has1], zorder=4, label="gap now")
    for y in ys[has1]:
        ax.annotate("", xy=(latest[y], y), xytext=(created[y], y),
                    arrowprops={"arrowstyle": "->", "color": colours[y], "linewidth": 1.5})
    ax.axvline(closed_gap, color=PALETTE["grey"], linestyle="--", linewidth=1)
    ax.text(closed_gap, -0.6, f" closed ≤ {closed_gap:g}", fontsize=8, color=PALETTE["grey"], va="bottom")
    overdue = f["overdue"].fillna(False).to_numpy(bool) if "overdue" in f.columns else np.zeros(n, bool)
    labels = [f"{r.id} {r.principle if isinstance(r.principle, str) else ''}: {r.outcome}"
              for r in f.itertuples()]
    ax.set_yticks(ys, labels, fontsize=8)
    for y, late in zip(ys, overdue):
        if late:
            ax.get_yticklabels()[y].set_color(PALETTE["vermillion"])
            ax.text(1.01, y, "overdue", transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                    color=PALETTE["vermillion"], gid="overdue")
    finite = np.concatenate([created[has0], latest[has1], [closed_gap, 0]])
    ax.set_xlim(min(finite.min(), 0) - 0.1, finite.max() + 0.3)
    ax.set_ylim(n - 0.5, -1)
    ax.set_xlabel("gap of the action's principle (importance − current)")
    period = str(f["followup_period"].iloc[0]) if n else ""
    set_title(ax, f"Actions: gap when agreed and in {period}")
    ax.legend(loc="lower right", fontsize=8)
    return ax
