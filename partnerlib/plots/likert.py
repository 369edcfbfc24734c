"""Diverging stacked bars of answer distributions (the layering of plot-likert: counts in, bars out)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import seaborn as sns

from ..analysis.likert import point_columns
from ..vocabulary import NOT_APPLICABLE
from ._theme import PALETTE, SUPPRESSED_TEXT, get_ax, set_title


@lru_cache(maxsize=16)
def _likert_colours(points: int) -> tuple:
    """Diverging Okabe-Ito colours for ``points`` scale points: vermillion, orange, grey (neutral), sky, blue."""
    half = points // 2
    low = sns.blend_palette([PALETTE["vermillion"], PALETTE["orange"]], max(half, 2))[:half]
    high = sns.blend_palette([PALETTE["sky"], PALETTE["blue"]], max(half, 2))[-half:] if half else []
    middle = ["#D9D9D9"] if points % 2 else []
    return tuple(map(tuple, low)) + tuple(middle) + tuple(map(tuple, high))


def likert_bars(counts: pd.DataFrame, *, label: str | None = None, point_labels=None, ax=None):
    """Diverging stacked bars of the answer distribution, neutral centred on zero.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`partnerlib.likert_counts` (its scale-point columns are
        found by :func:`partnerlib.analysis.likert.point_columns`).
    label : str, optional
        Column naming each bar; default: the ``item`` or ``principle`` column
        (with any group columns prefixed, ``"Contoso · trust_1"``).
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
        grey bar apart, right of the 100 % mark.  Suppressed rows show
        "too few responses" instead of bars.
    """
    ax = get_ax(ax)
    points = point_columns(counts)
    names = _row_names(counts, label)
    colours = _likert_colours(len(points))
    legend = list(point_labels) if point_labels is not None else points
    middle = len(points) // 2 if len(points) % 2 else None
    below = points[: len(points) // 2]
    y = np.arange(len(counts))[::-1]
    suppressed = counts["suppressed"].astype(bool).to_numpy() if "suppressed" in counts else np.zeros(len(counts), bool)
    values = counts[points].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    totals = values.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = values / totals[:, None]
    left_edge = -(shares[:, : len(below)].sum(axis=1) + (shares[:, middle] / 2 if middle is not None else 0))
    start = left_edge.copy()
    for j, _point in enumerate(points):
        width = np.where(suppressed, 0.0, np.nan_to_num(shares[:, j]))
        ax.barh(
            y,
            width,
            left=np.nan_to_num(start),
            color=colours[j],
            edgecolor="white",
            linewidth=0.5,
            label=str(legend[j]),
            height=0.7,
        )
        start = start + np.nan_to_num(shares[:, j])
    if NOT_APPLICABLE in counts:
        na = counts[NOT_APPLICABLE].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            na_share = np.where(suppressed, 0.0, np.nan_to_num(na / (totals + na)))
        right = 1.0 + 0.1
        ax.barh(y, na_share, left=right, color=PALETTE["grey"], height=0.7, linewidth=0, label=NOT_APPLICABLE)
        ax.axvline(right - 0.05, color=PALETTE["grey"], linewidth=0.8)
    for yy, hidden in zip(y, suppressed):
        if hidden:
            ax.text(0, yy, SUPPRESSED_TEXT, ha="center", va="center", fontsize=8, color=PALETTE["grey"])
    ax.axvline(0, color=PALETTE["black"], linewidth=0.8)
    ax.set_yticks(y, names)
    ax.set_xlim(-1.05, 1.45 if NOT_APPLICABLE in counts else 1.05)
    ticks = [-1, -0.5, 0, 0.5, 1]
    ax.set_xticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel("share of answers (left: below the middle of the scale; right: above)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=min(len(points) + 1, 6), fontsize=8, frameon=False)
    set_title(ax, "How people answered")
    return ax


def _row_names(frame: pd.DataFrame, label: str | None) -> list[str]:
    """Labels of rows: ``label`` or the group columns and item/principle joined with " · "."""
    if label is not None:
        return frame[label].astype(str).tolist()
    level = "item" if "item" in frame else "principle"
    skip = {level, "n", "answers", "suppressed", *point_columns(frame)}
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
