"""Lines of a score over the periods, with interval bars."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._theme import PALETTE, SIDE_COLOURS, get_ax, hidden_groups, note_hidden, set_title


def trend_lines(scores: pd.DataFrame, *, x: str = "period", hue: str = "principle", y: str = "current", ax=None):
    """Score over periods, one line per principle (or group), with 95 % interval bars.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`partnerlib.principle_scores` with ``by="period"`` (or
        ``by=["period", "partner"]`` filtered to one principle, ``hue="partner"``).
    x : str
        Period column; periods are placed in sorted order at 0, 1, 2...
    hue : str
        Column giving one line per value.
    y : str
        Figure drawn; ``ci_low``/``ci_high`` give the bars when ``y`` is ``current``.
    ax : Axes, optional

    Returns
    -------
    Axes
        Per line: points at each shown period joined by a line, vertical bars
        from ``ci_low`` to ``ci_high``; a suppressed point is left out (the line
        breaks there) and listed under the chart with the reason.
    """
    ax = get_ax(ax)
    periods = sorted(scores[x].astype(str).unique().tolist())
    pos = {p: i for i, p in enumerate(periods)}
    groups = (
        list(scores[hue].cat.categories[scores[hue].cat.categories.isin(scores[hue].astype(str))])
        if isinstance(scores[hue].dtype, pd.CategoricalDtype)
        else list(dict.fromkeys(scores[hue]))
    )
    colours = list(PALETTE.values())
    colours = list(SIDE_COLOURS) + [c for c in colours if c not in SIDE_COLOURS]
    hidden_notes: dict[str, list[str]] = {}
    bars_x, bars_low, bars_high, bars_colour = [], [], [], []
    for k, group in enumerate(groups):
        part = scores[scores[hue].astype(str) == str(group)].copy()
        part["_x"] = part[x].astype(str).map(pos)
        part = part.sort_values("_x")
        hidden = part["suppressed"].astype(bool).to_numpy()
        for reason, names in hidden_groups(part, [f"{group} {p}" for p in part[x].astype(str)]).items():
            hidden_notes.setdefault(reason, []).extend(names)
        xs = part["_x"].to_numpy(float)
        ys = np.where(hidden, np.nan, part[y].to_numpy(float))
        colour = colours[k % len(colours)]
        if y == "current" and {"ci_low", "ci_high"} <= set(part.columns):
            low, high = part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float)
            keep = ~np.isnan(ys) & ~np.isnan(low)
            bars_x += xs[keep].tolist()
            bars_low += low[keep].tolist()
            bars_high += high[keep].tolist()
            bars_colour += [colour] * int(keep.sum())
        ax.plot(xs, ys, marker="o", color=colour, label=str(group), zorder=3)
    if bars_x:  # every interval bar in one collection: as drawn as one errorbar per line, and quicker
        ax.vlines(bars_x, bars_low, bars_high, colors=bars_colour, linewidth=1, zorder=2)
    ax.set_xticks(range(len(periods)), periods)
    ax.set_xlabel("")
    ax.set_ylabel({"current": "How well it is lived today", "importance": "How much it matters"}.get(y, y))
    note_hidden(ax, hidden_notes)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    set_title(ax, "Change over time")
    return ax
