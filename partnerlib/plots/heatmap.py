"""A principle-by-group heatmap of a score."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, Normalize, TwoSlopeNorm
from matplotlib.patches import Rectangle
from seaborn.utils import relative_luminance

from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title

#: Diverging colours for scores: vermillion (low) through light grey (the scale's middle) to blue (high), the
#: Okabe-Ito ends, safe for the common colour-vision deficiencies.
SCORE_CMAP = LinearSegmentedColormap.from_list("partnerlib-score", [PALETTE["vermillion"], "#F2F2F2", PALETTE["blue"]])
#: What each figure of a scores table is called in a heatmap's title and colour bar.
VALUE_WORDS = {
    "current": "How well each principle is lived",
    "importance": "How much each principle matters",
    "gap": "The gap of each principle (importance − lived)",
    "favourable": "Favourable answers to each principle",
}
#: Group columns in words.
GROUP_WORDS = {"partner": "organisation", "role": "role", "period": "period"}


def score_heatmap(
    scores: pd.DataFrame, *, columns="partner", rows: str = "principle", value: str = "current", scale=None, ax=None
):
    """Principle-by-group heatmap of a score, with values written in the cells.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`partnerlib.principle_scores` with ``by`` groups.
    columns : str or list of str
        Group column(s) along the top (several are joined with " · ").
    rows : str
        Column down the side (default ``principle``, in its category order).
    value : str
        The figure coloured and written (``current``, ``gap``, ``favourable``...).
    scale : (min, max), optional
        The survey's scale.  For ``current`` and ``importance`` the colours then diverge from the scale's middle
        (vermillion below, blue above, :data:`SCORE_CMAP`), the same in every review; otherwise (or without a
        scale) a sequential map over the value's range.
    ax : Axes, optional

    Returns
    -------
    Axes
        One cell per row and group (a ``QuadMesh``, first row at the top), the value written in each cell to one
        decimal, a colour bar; hidden cells are light grey and say why (their ``hidden`` text).  Title and labels
        in words ("How well each principle is lived, by organisation and role").
    """
    ax = get_ax(ax)
    columns = [columns] if isinstance(columns, str) else list(columns)
    grid, hidden = _grid(scores, columns, rows, value)
    values = grid.to_numpy()
    cmap, norm = _colours(values, value, scale)
    # matplotlib's own mesh rather than seaborn.heatmap, which draws the whole figure once more to test
    # whether its tick labels overlap: half of this chart's rendering time in a report.
    mesh = ax.pcolormesh(np.ma.masked_invalid(values), cmap=cmap, norm=norm, edgecolors="white", linewidth=1)
    rows_n, cols_n = values.shape
    ax.set_xlim(0, cols_n)
    ax.set_ylim(rows_n, 0)  # first row at the top
    # one line per group column, long names wrapped: labels stay level and apart
    ax.set_xticks(
        np.arange(cols_n) + 0.5,
        ["\n".join(textwrap.fill(part, 12) for part in str(c).split(" · ")) for c in grid.columns],
    )
    ax.set_yticks(np.arange(rows_n) + 0.5, list(grid.index))
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    words = VALUE_WORDS.get(value, value)
    span = f" ({scale[0]:g}–{scale[1]:g})" if scale is not None and value in ("current", "importance") else ""
    ax.figure.colorbar(mesh, ax=ax, label=words.replace(" each principle", "") + span, shrink=0.9)
    _annotate(ax, mesh, values, hidden, "{:.0%}" if value == "favourable" else "{:.1f}")
    groups = " and ".join(GROUP_WORDS.get(c, c) for c in columns)
    ax.set_xlabel("")
    ax.set_ylabel("")
    set_title(ax, f"{words}, by {groups}")
    return ax


def _colours(values: np.ndarray, value: str, scale):
    """The colour map and norm: diverging from the scale's middle for scores, else sequential over the values."""
    if scale is not None and value in ("current", "importance"):
        lo, hi = scale
        return SCORE_CMAP, TwoSlopeNorm(vcenter=(lo + hi) / 2, vmin=lo, vmax=hi)
    if np.isnan(values).all():
        return "cividis", Normalize(0.0, 1.0)  # nothing shown: any limits do
    return "cividis", Normalize(float(np.nanmin(values)), float(np.nanmax(values)))


def _grid(scores: pd.DataFrame, columns: list[str], rows: str, value: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The value of each row and group (rows in category order), and why each hidden cell is hidden ("")."""
    frame = scores.copy()
    frame["_col"] = [" · ".join(v) for v in zip(*[frame[c].astype(str) for c in columns])]
    col_order = list(dict.fromkeys(frame["_col"]))
    if isinstance(frame[rows].dtype, pd.CategoricalDtype):
        cats = frame[rows].cat.categories
        row_order = list(cats[cats.isin(frame[rows].astype(str))])
    else:
        row_order = list(dict.fromkeys(frame[rows]))
    frame["_row"] = frame[rows].astype(str)
    grid = (
        frame.pivot(index="_row", columns="_col", values=value)
        .reindex(index=[str(r) for r in row_order], columns=col_order)
        .astype(float)
    )
    reasons = frame["hidden"] if "hidden" in frame else pd.Series("not shown", index=frame.index)
    frame["_why"] = np.where(frame["suppressed"].astype(bool), reasons.astype(object).fillna("not shown"), "")
    hidden = frame.pivot(index="_row", columns="_col", values="_why").reindex(index=grid.index, columns=grid.columns)
    return grid, hidden.fillna("").astype(str)


def _annotate(ax, mesh, values: np.ndarray, why: pd.DataFrame, fmt: str) -> None:
    """Write each shown value in its cell, and in each hidden one why it is hidden."""
    reasons = why.to_numpy()
    hidden = reasons != ""
    shown = np.nonzero(~np.isnan(values) & ~hidden)
    # white text on dark cells: seaborn's own rule for legible annotations (W3C relative luminance < .408)
    dark = np.atleast_1d(relative_luminance(mesh.cmap(mesh.norm(values[shown])))) < 0.408
    for i, j, on_dark in zip(*shown, dark):
        ax.text(
            j + 0.5,
            i + 0.5,
            fmt.format(values[i, j]),
            ha="center",
            va="center",
            fontsize=SMALL_TEXT + 1,
            color="white" if on_dark else "black",
        )
    # A hidden (masked) cell is left empty by the mesh: say why.
    for i, j in zip(*np.nonzero(hidden)):
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor="#EEEEEE", edgecolor="white", linewidth=1, zorder=2))
        ax.text(
            j + 0.5,
            i + 0.5,
            textwrap.fill(reasons[i, j], 11),
            ha="center",
            va="center",
            fontsize=SMALL_TEXT,
            color=PALETTE["grey"],
            zorder=3,
        )
