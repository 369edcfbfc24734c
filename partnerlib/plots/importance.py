"""The importance grid: each principle by how important people say it is and how much it drives the outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import IMPORTANCE_READINGS
from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title
from .quadrant import _label_points, _limits

#: Where each reading's name is written (axes fractions and alignment): derived importance up, stated right.
_CORNERS = {
    IMPORTANCE_READINGS[0]: (0.985, 0.985, "right", "top"),  # key driver: stated high, derived high
    IMPORTANCE_READINGS[1]: (0.015, 0.985, "left", "top"),  # hidden driver: stated low, derived high
    IMPORTANCE_READINGS[2]: (0.985, 0.015, "right", "bottom"),  # stated, not driving
    IMPORTANCE_READINGS[3]: (0.015, 0.015, "left", "bottom"),  # low impact
}
#: The colour of each reading's points.
READING_COLOURS = dict(zip(IMPORTANCE_READINGS, (PALETTE["blue"], PALETTE["vermillion"], PALETTE["orange"],
                                                 PALETTE["grey"])))  # fmt: skip


def importance_grid_plot(grid: pd.DataFrame, *, scale=None, label: str = "principle", ax=None):
    """Stated against derived importance of the principles, with the four readings named.

    Parameters
    ----------
    grid : DataFrame
        :func:`partnerlib.importance_grid` (one group).
    scale : (min, max), optional
        The survey's scale, for the horizontal axis label.
    label : str
        Column naming each point.
    ax : Axes, optional

    Returns
    -------
    Axes
        One point per principle at (``stated``, ``share`` of R² in %), coloured by ``reading``, with a vertical
        bar for the share's bootstrap interval; dashed lines at the means of the principles, where
        :func:`partnerlib.importance_grid` splits the readings; each reading's name in its corner.
    """
    ax = get_ax(ax)
    if grid is None or grid.empty:
        ax.text(0.5, 0.5, "no key drivers to show", transform=ax.transAxes, ha="center", va="center")
        ax.set_axis_off()
        return ax
    shown = grid.assign(percent=100 * grid["share"].astype(float))
    low, high = 100 * shown["share_low"].to_numpy(float), 100 * shown["share_high"].to_numpy(float)
    for reading, colour in READING_COLOURS.items():
        part = shown["reading"].astype(str) == reading
        if part.any():
            x, y = shown.loc[part, "stated"].to_numpy(float), shown.loc[part, "percent"].to_numpy(float)
            ax.errorbar(x, y, yerr=[y - low[part], high[part] - y], fmt="none", ecolor=colour, alpha=0.5,
                        linewidth=1.2, zorder=3)  # fmt: skip
            ax.scatter(x, y, s=110, color=colour, edgecolor="white", linewidth=1, zorder=4, label=reading)
    lines = (float(shown["stated"].mean()), float(shown["percent"].mean()))
    ax.set_xlim(*_limits(shown["stated"].to_numpy(float), lines[0]))
    lo_y = min(float(np.nanmin(low)), 0.0)
    ax.set_ylim(lo_y, max(float(np.nanmax(high)), lines[1]) * 1.15 + 2)
    ax.axvline(lines[0], color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
    ax.axhline(lines[1], color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
    for name, (cx, cy, ha, va) in _CORNERS.items():
        ax.text(cx, cy, name[:1].upper() + name[1:], transform=ax.transAxes, ha=ha, va=va, fontsize=SMALL_TEXT + 1,
                style="italic", color=PALETTE["grey"], gid="quadrant-name", zorder=2)  # fmt: skip
    ax.legend(title="Reading", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _label_points(ax, shown, "stated", "percent", label, lines)
    span = "" if scale is None else f"{scale[0]:g}–{scale[1]:g}; "
    ax.set_xlabel(f"Stated importance ({span}dashed: average)")
    ax.set_ylabel("Derived importance (% of explained variance)")
    set_title(ax, "Stated and derived importance")
    return ax
