"""The importance-performance quadrant: each principle by how well it is lived and how much it matters."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from ..analysis.scores import quadrant_lines
from ..settings import METHOD, Method
from ..vocabulary import QUADRANTS
from ._theme import BAND_COLOURS, PALETTE, SMALL_TEXT, get_ax, hidden_groups, note_hidden, set_title

#: Where each quadrant's name is written: (x, y, horizontal alignment, vertical alignment) in axes fractions.
_CORNERS = {
    QUADRANTS[0]: (0.015, 0.985, "left", "top"),  # concentrate here: important, not a strength
    QUADRANTS[1]: (0.985, 0.985, "right", "top"),  # keep up the good work
    QUADRANTS[2]: (0.985, 0.015, "right", "bottom"),  # possible overkill
    QUADRANTS[3]: (0.015, 0.015, "left", "bottom"),  # low priority
}


def _limits(values: np.ndarray, line: float) -> tuple[float, float]:
    """Axis limits around the points and the crosshair, padded so that corner names stay clear of them."""
    values = np.r_[values, [line] if not np.isnan(line) else []]
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    pad = max(0.25, 0.2 * (hi - lo))
    return lo - pad, hi + pad


#: Where a point's name may go, in order of preference: (dx, dy) in points from the point, and the alignment
#: that puts the name on that side.  Three rings, further and further out.
_SPOTS = [
    (dx * ring, dy * ring, ha, va)
    for ring in (1, 2.2, 3.6)
    for dx, dy, ha, va in (
        (7, 0, "left", "center"), (6, 6, "left", "bottom"), (0, 8, "center", "bottom"), (-6, 6, "right", "bottom"),
        (-7, 0, "right", "center"), (-6, -6, "right", "top"), (0, -8, "center", "top"), (6, -6, "left", "top"),
    )
]  # fmt: skip


def _free(box, taken: list, inside) -> bool:
    return (
        inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1) and not any(box.overlaps(t) for t in taken)
    )


def _label_points(ax, shown: pd.DataFrame, x: str, y: str, label: str, lines: tuple[float, float]) -> list:
    """Name each point where its name overlaps no other name, no point, no crosshair and no quadrant name.

    Greedy and deterministic: each name (top of the chart first) takes the first free spot of :data:`_SPOTS`
    around its point, with a thin leader line from the second ring out; where none is free it takes the spot
    that overlaps least.  (adjustText was tried: its force iteration took 0.4-0.8 s per chart, and by default it
    stops after a second of wall-clock time, so the same chart came out differently from run to run.)
    """
    to_px = ax.transData.transform
    inside = ax.get_window_extent()
    taken = [t.get_window_extent() for t in ax.texts if t.get_gid() == "quadrant-name"]
    for px, py in to_px(shown[[x, y]].to_numpy(float)):  # each point, as a small box
        taken.append(Bbox.from_extents(px - 6, py - 6, px + 6, py + 6))
    x0, y0, x1, y1 = inside.extents
    cx, cy = to_px((lines[0], lines[1] if not np.isnan(lines[1]) else 0.0))
    taken.append(Bbox.from_extents(cx - 1.5, y0, cx + 1.5, y1))
    if not np.isnan(lines[1]):
        taken.append(Bbox.from_extents(x0, cy - 1.5, x1, cy + 1.5))
    texts = []
    order = shown.sort_values(y, ascending=False, kind="stable")
    for px, py, name in zip(order[x].to_numpy(float), order[y].to_numpy(float), order[label].astype(str)):
        text = ax.annotate(name, (px, py), xytext=_SPOTS[0][:2], textcoords="offset points", fontsize=10,
                           ha=_SPOTS[0][2], va=_SPOTS[0][3], zorder=5, gid="point-label")  # fmt: skip
        best, best_overlap = _SPOTS[0], np.inf
        for spot in _SPOTS:
            text.set_position(spot[:2])
            text.set_ha(spot[2])
            text.set_va(spot[3])
            box = text.get_window_extent().padded(2)
            if _free(box, taken, inside):
                best, best_overlap = spot, 0.0
                break
            overlap = sum(_area(box, t) for t in taken) + (0 if inside.contains(box.x0, box.y0) else 1e6)
            if overlap < best_overlap:
                best, best_overlap = spot, overlap
        text.set_position(best[:2])
        text.set_ha(best[2])
        text.set_va(best[3])
        if best not in _SPOTS[:8]:
            ax.annotate("", (px, py), xytext=best[:2], textcoords="offset points", zorder=4,
                        arrowprops={"arrowstyle": "-", "color": PALETTE["grey"], "linewidth": 0.6, "shrinkA": 0,
                                    "shrinkB": 4})  # fmt: skip
        taken.append(text.get_window_extent().padded(2))
        texts.append(text)
    return texts


def _area(a, b) -> float:
    """The area two boxes share (display pixels)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


def quadrant_scatter(
    scores: pd.DataFrame,
    *,
    scale,
    method: Method = METHOD,
    x: str = "current",
    y: str = "importance",
    label: str = "principle",
    ax=None,
):
    """Importance-performance quadrant of the principles.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`partnerlib.principle_scores` (one group).
    scale : (min, max)
        The survey's scale: the vertical crosshair is its strength cut-off.
    method : Method
        The cut-offs the scores were computed with (``strength_from``).
    x, y : str
        Columns for the horizontal (performance) and vertical (importance) axes.
    label : str
        Column naming each point.
    ax : Axes, optional

    Returns
    -------
    Axes
        One point per shown principle, coloured by ``band`` (legend at the right); dashed crosshairs at the
        strength cut-off and the mean importance, where :func:`partnerlib.analysis.scores.quadrant_lines` puts the
        quadrant boundaries of :func:`principle_scores`; each quadrant's name in its corner; each point named, the
        names placed clear of one another, of the points, of the crosshairs and of the quadrant names.  Hidden
        principles are listed under the chart with the reason.
    """
    ax = get_ax(ax)
    hidden = scores["suppressed"].astype(bool)
    shown = scores[~hidden].dropna(subset=[x, y])
    for band_name, colour in BAND_COLOURS.items():
        part = shown[shown["band"].astype("object") == band_name]
        if len(part):
            ax.scatter(part[x].to_numpy(float), part[y].to_numpy(float), s=110, color=colour, label=band_name,
                       edgecolor="white", linewidth=1, zorder=4)  # fmt: skip
    lines = quadrant_lines(scores, scale=scale, method=method)
    if len(shown):
        ax.set_xlim(*_limits(shown[x].to_numpy(float), lines[0]))
        ax.set_ylim(*_limits(shown[y].to_numpy(float), lines[1]))
        ax.axvline(lines[0], color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
        if not np.isnan(lines[1]):
            ax.axhline(lines[1], color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
        for name, (cx, cy, ha, va) in _CORNERS.items():
            ax.text(cx, cy, name[:1].upper() + name[1:], transform=ax.transAxes, ha=ha, va=va, fontsize=SMALL_TEXT + 1,
                    style="italic", color=PALETTE["grey"], gid="quadrant-name", zorder=2)  # fmt: skip
        for axis in (ax.xaxis, ax.yaxis):  # round steps (0.25, 0.5, 1) and few of them: a readable grid
            axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.legend(title="Band", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        _label_points(ax, shown, x, y, label, lines)
    else:
        ax.text(0.5, 0.5, "no principle can be shown", transform=ax.transAxes, ha="center", va="center")
    note_hidden(ax, hidden_groups(scores, scores[label]))
    lo_s, hi_s = scale
    ax.set_xlabel(f"How well it is lived today ({lo_s:g}–{hi_s:g}; dashed: strength level {lines[0]:.1f})")
    ax.set_ylabel(f"How much it matters ({lo_s:g}–{hi_s:g}; dashed: average)")
    set_title(ax, "Strengths and gaps")
    return ax
