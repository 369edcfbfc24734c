"""The importance-performance quadrant: each principle by how well it is lived and how much it matters."""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from ._theme import BAND_COLOURS, PALETTE, SUPPRESSED_TEXT, get_ax, note_hidden, set_title


def quadrant_scatter(
    scores: pd.DataFrame, *, x: str = "current", y: str = "importance", label: str = "principle", scale=None, ax=None
):
    """Importance-performance quadrant of the principles.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`partnerlib.principle_scores` (one group).
    x, y : str
        Columns for the horizontal (performance) and vertical (importance) axes.
    label : str
        Column naming each point.
    scale : (min, max), optional
        Axis limits; default: the data's range padded by 0.25.
    ax : Axes, optional

    Returns
    -------
    Axes
        One point per shown principle, coloured by ``band``; dashed crosshairs
        at the mean ``x`` and mean ``y`` of the shown principles (the
        quadrant boundaries of :func:`principle_scores`).  Suppressed
        principles are listed as "too few responses" instead of drawn.
    """
    ax = get_ax(ax)
    shown = scores[~scores["suppressed"].astype(bool)].dropna(subset=[x, y])
    hidden = scores.loc[scores["suppressed"].astype(bool), label].astype(str).tolist()
    for band_name, colour in BAND_COLOURS.items():
        part = shown[shown["band"].astype("object") == band_name]
        if len(part):
            ax.scatter(
                part[x].to_numpy(float),
                part[y].to_numpy(float),
                s=90,
                color=colour,
                label=band_name,
                edgecolor="white",
                linewidth=1,
                zorder=3,
            )
    for _, row in shown.iterrows():
        ax.annotate(str(row[label]), (row[x], row[y]), xytext=(6, 4), textcoords="offset points", fontsize=9)
    if len(shown):
        ax.axvline(shown[x].mean(), color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
        ax.axhline(shown[y].mean(), color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
        if scale is None:
            lo = min(shown[x].min(), shown[y].min()) - 0.25
            hi = max(shown[x].max(), shown[y].max()) + 0.25
        else:
            lo, hi = scale
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        for axis in (ax.xaxis, ax.yaxis):  # round steps (0.25, 0.5, 1) and few of them: a readable grid
            axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.legend(title="band", loc="lower right", fontsize=8)
    note_hidden(ax, hidden)
    if not len(shown):
        ax.text(0.5, 0.5, SUPPRESSED_TEXT, transform=ax.transAxes, ha="center", va="center")
    ax.set_xlabel("How well it is lived today (current)")
    ax.set_ylabel("How much it matters (importance)")
    set_title(ax, "Strengths and gaps")
    return ax
