"""Diverging stacked bars of answer distributions (the layering of plot-likert: counts in, bars out)."""

from __future__ import annotations

import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
import seaborn as sns

from ..analysis.likert import point_columns
from ..vocabulary import NOT_APPLICABLE
from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title


@lru_cache(maxsize=16)
def _likert_colours(points: int) -> tuple:
    """Diverging Okabe-Ito colours for ``points`` scale points: vermillion, orange, grey (neutral), sky, blue."""
    half = points // 2
    low = sns.blend_palette([PALETTE["vermillion"], PALETTE["orange"]], max(half, 2))[:half]
    high = sns.blend_palette([PALETTE["sky"], PALETTE["blue"]], max(half, 2))[-half:] if half else []
    middle = ["#D9D9D9"] if points % 2 else []
    return tuple(map(tuple, low)) + tuple(middle) + tuple(map(tuple, high))


def _layout(counts: pd.DataFrame, group: str | None) -> tuple[np.ndarray, list[tuple[float, str]]]:
    """The y position of each row (top first) and, with ``group``, a heading row above each group's rows."""
    if group is None:
        return np.arange(len(counts))[::-1].astype(float), []
    ys, headings, pos = [], [], 0.0
    previous = None
    for value in counts[group].astype(str):
        if value != previous:
            headings.append((pos, value))
            pos += 1
            previous = value
        ys.append(pos)
        pos += 1
    top = pos - 1
    return top - np.array(ys), [(top - y, name) for y, name in headings]


def _draw_segments(ax, y, shares, colours, legend, middle, below) -> None:
    """The diverging segments: below the middle point left of 0, above it right, the middle split across 0."""
    start = -(shares[:, : len(below)].sum(axis=1) + (shares[:, middle] / 2 if middle is not None else 0))
    for j in range(shares.shape[1]):
        width = np.nan_to_num(shares[:, j])
        ax.barh(y, width, left=np.nan_to_num(start), color=colours[j], edgecolor="white", linewidth=0.5,
                label=str(legend[j]), height=0.7)  # fmt: skip
        start = start + width


def likert_bars(counts: pd.DataFrame, *, label: str | None = None, group: str | None = None, point_labels=None,
                ax=None):  # fmt: skip
    """Diverging stacked bars of the answer distribution, neutral centred on zero.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`partnerlib.likert_counts` (its scale-point columns are
        found by :func:`partnerlib.analysis.likert.point_columns`).
    label : str, optional
        Column naming each bar; default: the ``item`` or ``principle`` column
        (with any group columns prefixed, ``"Contoso · trust_1"``).  Long names are wrapped.
    group : str, optional
        Column whose values head groups of rows (``"principle"``): each group's rows stand under its name.
    point_labels : list of str, optional
        Legend text of the scale points from the lowest (e.g. the codebook's
        "Strongly disagree" ... "Strongly agree"); default the point numbers.
    ax : Axes, optional

    Returns
    -------
    Axes
        One horizontal bar per row, top to bottom in the frame's order.  Each
        point's segment is its share of the row's scored answers; segments
        below the middle point extend left of 0, those above extend right, and
        the middle point (odd scales) is split evenly across 0.  The
        not-applicable share (of all answers including not applicable) is a
        grey bar apart, right of the 100 % mark.  Hidden rows show the reason
        (``hidden``) instead of bars.  The legend sits right above the bars.
    """
    ax = get_ax(ax)
    points = point_columns(counts)
    names = [textwrap.fill(n, 52) for n in _row_names(counts, label, group)]
    colours = _likert_colours(len(points))
    legend = list(point_labels) if point_labels is not None else points
    middle = len(points) // 2 if len(points) % 2 else None
    y, headings = _layout(counts, group)
    suppressed = counts["suppressed"].astype(bool).to_numpy() if "suppressed" in counts else np.zeros(len(counts), bool)
    values = counts[points].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    totals = values.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(suppressed[:, None], 0.0, values / totals[:, None])
    _draw_segments(ax, y, shares, colours, legend, middle, points[: len(points) // 2])
    if NOT_APPLICABLE in counts:
        na = counts[NOT_APPLICABLE].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            na_share = np.where(suppressed, 0.0, np.nan_to_num(na / (totals + na)))
        right = 1.0 + 0.1
        ax.barh(y, na_share, left=right, color=PALETTE["grey"], height=0.7, linewidth=0, label="Don't know")
        ax.axvline(right - 0.05, color=PALETTE["grey"], linewidth=0.8)
    reasons = counts["hidden"] if "hidden" in counts else pd.Series("not shown", index=counts.index)
    for yy, hide, reason in zip(y, suppressed, reasons):
        if hide:
            ax.text(0, yy, str(reason), ha="center", va="center", fontsize=SMALL_TEXT, color=PALETTE["grey"])
    ax.axvline(0, color=PALETTE["black"], linewidth=0.8)
    ax.set_yticks([*y, *(h for h, _ in headings)], [*names, *(name for _, name in headings)])
    for tick in ax.get_yticklabels()[len(y) :]:  # a group's name heads its rows, in bold
        tick.set_fontweight("bold")
        tick.set_fontsize(11)
    top = max([*y, *(h for h, _ in headings)], default=0)
    ax.set_ylim(-0.6, top + 0.6)
    ax.set_xlim(-1.05, 1.45 if NOT_APPLICABLE in counts else 1.05)
    ticks = [-1, -0.5, 0, 0.5, 1]
    ax.set_xticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel("share of answers\n(disagreeing left of 0, agreeing right)")
    handles, names_ = ax.get_legend_handles_labels()
    ncol = 3  # the scale's labels in reading order, three to a row (matplotlib fills a legend column by column)
    rows = -(-len(handles) // ncol)
    order = [r * ncol + c for c in range(ncol) for r in range(rows) if r * ncol + c < len(handles)]
    # anchored at the bars' right edge: long statements take the left of the figure, the legend stays inside it
    ax.legend([handles[i] for i in order], [names_[i] for i in order], loc="lower right", bbox_to_anchor=(1.0, 1.0),
              ncol=ncol, frameon=False, handlelength=1.2, columnspacing=1.0, borderaxespad=0.2)  # fmt: skip
    set_title(ax, "How people answered", pad=52)
    return ax


def _row_names(frame: pd.DataFrame, label: str | None, group: str | None = None) -> list[str]:
    """Labels of rows: ``label`` or the group columns and item/principle joined with " · "."""
    if label is not None:
        return frame[label].astype(str).tolist()
    level = "item" if "item" in frame else "principle"
    skip = {level, group, "n", "answers", "suppressed", "hidden", *point_columns(frame)}
    groups = [
        c
        for c in frame.columns
        if frame[c].dtype == object
        or isinstance(frame[c].dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(frame[c])
    ]
    groups = [c for c in groups if c not in skip]
    parts = [frame[c].astype(str) for c in [*groups, level]]
    return [" · ".join(p) for p in zip(*parts)]
