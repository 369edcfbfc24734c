"""A principle-by-group heatmap of a score."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from seaborn.utils import relative_luminance

from ._theme import PALETTE, SUPPRESSED_TEXT, get_ax, set_title


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
        Colour limits; default the value's range.  For ``current`` pass the
        survey scale so that colours mean the same in every review.
    ax : Axes, optional

    Returns
    -------
    Axes
        One cell per row and group (a ``QuadMesh``, first row at the top),
        coloured with the cividis map (safe for colour-vision deficiencies),
        the value written in each cell, a colour bar; suppressed cells are
        grey and read "too few responses".
    """
    ax = get_ax(ax)
    columns = [columns] if isinstance(columns, str) else list(columns)
    grid, hidden = _grid(scores, columns, rows, value)
    values = grid.to_numpy()
    if scale is not None:
        vmin, vmax = scale
    elif np.isnan(values).all():
        vmin, vmax = 0.0, 1.0  # nothing shown: any limits do
    else:
        vmin, vmax = np.nanmin(values), np.nanmax(values)
    # matplotlib's own mesh rather than seaborn.heatmap, which draws the whole figure once more to test
    # whether its tick labels overlap: half of this chart's rendering time in a report.
    mesh = ax.pcolormesh(
        np.ma.masked_invalid(values), cmap="cividis", vmin=vmin, vmax=vmax, edgecolors="white", linewidth=1
    )
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
    ax.figure.colorbar(mesh, ax=ax, label=value)
    _annotate(ax, mesh, values, hidden.to_numpy(), "{:.0%}" if value == "favourable" else "{:.2f}")
    ax.set_xlabel(" · ".join(columns))
    ax.set_ylabel(rows)
    set_title(ax, f"{value} by {' and '.join(columns)}")
    return ax


def _grid(scores: pd.DataFrame, columns: list[str], rows: str, value: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The value of each row and group (rows in category order), and which cells are suppressed."""
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
    hidden = (
        frame.assign(_s=frame["suppressed"].astype(bool))
        .pivot(index="_row", columns="_col", values="_s")
        .reindex(index=grid.index, columns=grid.columns)
        .fillna(False)
        .astype(bool)
    )
    return grid, hidden


def _annotate(ax, mesh, values: np.ndarray, hidden: np.ndarray, fmt: str) -> None:
    """Write each shown value in its cell, and "too few responses" in each hidden one."""
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
            fontsize=8,
            color="white" if on_dark else "black",
        )
    # A hidden (masked) cell is left empty by the mesh: say why.
    for i, j in zip(*np.nonzero(hidden)):
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor="#EEEEEE", edgecolor="white", linewidth=1, zorder=2))
        ax.text(
            j + 0.5,
            i + 0.5,
            textwrap.fill(SUPPRESSED_TEXT, 9),
            ha="center",
            va="center",
            fontsize=7,
            color=PALETTE["grey"],
            zorder=3,
        )
