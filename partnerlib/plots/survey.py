"""Charts of survey results.  Each takes a frame first and keyword-only
options, draws on ``ax`` (default: the current axes), and returns the Axes.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator
from seaborn.utils import relative_luminance

from ._theme import BAND_COLOURS, PALETTE, SUPPRESSED_TEXT, get_ax, set_title


def strengths_gaps(scores: pd.DataFrame, *, x: str = "current", y: str = "importance", label: str = "principle",
                   scale=None, ax=None):
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
            ax.scatter(part[x].to_numpy(float), part[y].to_numpy(float), s=90, color=colour, label=band_name,
                       edgecolor="white", linewidth=1, zorder=3)
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
    if hidden:
        ax.text(0.01, 0.01, f"{SUPPRESSED_TEXT}: " + ", ".join(hidden), transform=ax.transAxes, fontsize=8,
                color=PALETTE["grey"], va="bottom")
    if not len(shown):
        ax.text(0.5, 0.5, SUPPRESSED_TEXT, transform=ax.transAxes, ha="center", va="center")
    ax.set_xlabel("How well it is lived today (current)")
    ax.set_ylabel("How much it matters (importance)")
    set_title(ax, "Strengths and gaps")
    return ax


@lru_cache(maxsize=16)
def _likert_colours(points: int) -> tuple:
    """Diverging Okabe-Ito colours for ``points`` scale points: vermillion, orange, grey (neutral), sky, blue."""
    import seaborn as sns
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
        Output of :func:`partnerlib.likert_counts` (point columns listed in
        ``counts.attrs["points"]``).
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
    from ..likert import NOT_APPLICABLE
    ax = get_ax(ax)
    points = counts.attrs.get("points") or [c for c in counts.columns if str(c).isdigit()]
    names = _row_names(counts, label)
    colours = _likert_colours(len(points))
    legend = list(point_labels) if point_labels is not None else points
    middle = len(points) // 2 if len(points) % 2 else None
    below = points[:len(points) // 2]
    y = np.arange(len(counts))[::-1]
    suppressed = counts["suppressed"].astype(bool).to_numpy() if "suppressed" in counts else np.zeros(len(counts), bool)
    values = counts[points].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    totals = values.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = values / totals[:, None]
    left_edge = -(shares[:, :len(below)].sum(axis=1) + (shares[:, middle] / 2 if middle is not None else 0))
    start = left_edge.copy()
    for j, point in enumerate(points):
        width = np.where(suppressed, 0.0, np.nan_to_num(shares[:, j]))
        ax.barh(y, width, left=np.nan_to_num(start), color=colours[j], edgecolor="white", linewidth=0.5,
                label=str(legend[j]), height=0.7)
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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=min(len(points) + 1, 6), fontsize=8,
              frameon=False)
    set_title(ax, "How people answered")
    return ax


def _row_names(frame: pd.DataFrame, label: str | None) -> list[str]:
    """Labels of rows: ``label`` or the group columns and item/principle joined with " · "."""
    if label is not None:
        return frame[label].astype(str).tolist()
    level = "item" if "item" in frame else "principle"
    skip = {level, "n", "answers", "suppressed"} | set(frame.attrs.get("points", []))
    groups = [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.CategoricalDtype)
              or pd.api.types.is_string_dtype(frame[c])]
    groups = [c for c in groups if c not in skip]
    parts = [frame[c].astype(str) for c in groups + [level]]
    return [" · ".join(p) for p in zip(*parts)]


def score_heatmap(scores: pd.DataFrame, *, columns="partner", rows: str = "principle", value: str = "current",
                  scale=None, ax=None):
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
    frame = scores.copy()
    frame["_col"] = [" · ".join(v) for v in zip(*[frame[c].astype(str) for c in columns])]
    col_order = list(dict.fromkeys(frame["_col"]))
    row_order = (list(frame[rows].cat.categories[frame[rows].cat.categories.isin(frame[rows].astype(str))])
                 if isinstance(frame[rows].dtype, pd.CategoricalDtype) else list(dict.fromkeys(frame[rows])))
    frame["_row"] = frame[rows].astype(str)
    grid = frame.pivot(index="_row", columns="_col", values=value).reindex(index=[str(r) for r in row_order],
                                                                             columns=col_order).astype(float)
    hidden = (frame.assign(_s=frame["suppressed"].astype(bool))
              .pivot(index="_row", columns="_col", values="_s")
              .reindex(index=grid.index, columns=grid.columns).fillna(False).astype(bool))
    fmt = "{:.0%}" if value == "favourable" else "{:.2f}"
    values = grid.to_numpy()
    if scale is not None:
        vmin, vmax = scale
    elif np.isnan(values).all():
        vmin, vmax = 0.0, 1.0  # nothing shown: any limits do
    else:
        vmin, vmax = np.nanmin(values), np.nanmax(values)
    # matplotlib's own mesh rather than seaborn.heatmap, which draws the whole figure once more to test
    # whether its tick labels overlap: half of this chart's rendering time in a report.
    mesh = ax.pcolormesh(np.ma.masked_invalid(values), cmap="cividis", vmin=vmin, vmax=vmax, edgecolors="white",
                         linewidth=1)
    rows_n, cols_n = values.shape
    ax.set_xlim(0, cols_n)
    ax.set_ylim(rows_n, 0)  # first row at the top
    # one line per group column, long names wrapped: labels stay level and apart
    ax.set_xticks(np.arange(cols_n) + 0.5, ["\n".join(textwrap.fill(part, 12) for part in str(c).split(" · "))
                                         for c in grid.columns])
    ax.set_yticks(np.arange(rows_n) + 0.5, list(grid.index))
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.figure.colorbar(mesh, ax=ax, label=value)
    hidden_cells = hidden.to_numpy()
    shown = np.nonzero(~np.isnan(values) & ~hidden_cells)
    # white text on dark cells: seaborn's own rule for legible annotations (W3C relative luminance < .408)
    dark = np.atleast_1d(relative_luminance(mesh.cmap(mesh.norm(values[shown])))) < .408
    for i, j, on_dark in zip(*shown, dark):
        ax.text(j + 0.5, i + 0.5, fmt.format(values[i, j]), ha="center", va="center", fontsize=8,
                color="white" if on_dark else "black")
    # A hidden (masked) cell is left empty by the mesh: say why.
    for i, j in zip(*np.nonzero(hidden_cells)):
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor="#EEEEEE", edgecolor="white", linewidth=1, zorder=2))
        ax.text(j + 0.5, i + 0.5, textwrap.fill(SUPPRESSED_TEXT, 9), ha="center", va="center", fontsize=7,
                color=PALETTE["grey"], zorder=3)
    ax.set_xlabel(" · ".join(columns))
    ax.set_ylabel(rows)
    set_title(ax, f"{value} by {' and '.join(columns)}")
    return ax


def perception_dumbbell(gaps: pd.DataFrame, *, ax=None):
    """Dumbbell chart of the two sides' scores per principle, flagged gaps highlighted.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`partnerlib.perception_gaps` for one pair of sides
        (filter ``side_a``/``side_b`` first when there are more).
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per principle (top to bottom in the frame's order): a point at
        ``current_a`` (blue, side A) and one at ``current_b`` (orange, side B),
        joined by a line, vermillion and thick where ``flag`` is set (and the
        principle labelled with "(gap)"), grey otherwise.  Suppressed rows show
        "too few responses".
    """
    from ..exceptions import PartnerDataError
    from ._theme import SIDE_COLOURS
    ax = get_ax(ax)
    pairs = gaps[["side_a", "side_b"]].astype(str).drop_duplicates()
    if len(pairs) != 1:
        raise PartnerDataError(f"perception_dumbbell draws one pair of sides; the frame holds "
                               f"{[tuple(p) for p in pairs.to_numpy()]}: filter side_a/side_b first")
    side_a, side_b = pairs.iloc[0]
    y = np.arange(len(gaps))[::-1]
    flagged = gaps["flag"].astype(bool).to_numpy()
    hidden = gaps["suppressed"].astype(bool).to_numpy()
    a, b = gaps["current_a"].to_numpy(float), gaps["current_b"].to_numpy(float)
    for yy, xa, xb, flag, hide in zip(y, a, b, flagged, hidden):
        if hide:
            ax.text(np.nanmean(np.r_[a, b]) if not np.isnan(np.r_[a, b]).all() else 0.5, yy, SUPPRESSED_TEXT,
                    ha="center", va="center", fontsize=8, color=PALETTE["grey"])
            continue
        ax.plot([xa, xb], [yy, yy], color=PALETTE["vermillion"] if flag else PALETTE["grey"],
                linewidth=3 if flag else 1.5, zorder=1)
    shown = ~hidden
    ax.scatter(a[shown], y[shown], color=SIDE_COLOURS[0], s=70, zorder=3, label=side_a)
    ax.scatter(b[shown], y[shown], color=SIDE_COLOURS[1], s=70, zorder=3, label=side_b)
    names = [f"{p} (gap)" if f else str(p) for p, f in zip(gaps["principle"].astype(str), flagged)]
    ax.set_yticks(y, names)
    if hidden.all():
        ax.set_xlim(0, 1)
    ax.set_xlabel("current score (mean of respondent means)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    set_title(ax, "Where the two sides see it differently")
    return ax


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
        breaks there) and listed as "too few responses" under the chart.
    """
    from ._theme import SIDE_COLOURS
    ax = get_ax(ax)
    periods = sorted(scores[x].astype(str).unique().tolist())
    pos = {p: i for i, p in enumerate(periods)}
    groups = (list(scores[hue].cat.categories[scores[hue].cat.categories.isin(scores[hue].astype(str))])
              if isinstance(scores[hue].dtype, pd.CategoricalDtype) else list(dict.fromkeys(scores[hue])))
    colours = list(PALETTE.values())
    colours = list(SIDE_COLOURS) + [c for c in colours if c not in SIDE_COLOURS]
    hidden_notes, bars_x, bars_low, bars_high, bars_colour = [], [], [], [], []
    for k, group in enumerate(groups):
        part = scores[scores[hue].astype(str) == str(group)].copy()
        part["_x"] = part[x].astype(str).map(pos)
        part = part.sort_values("_x")
        hidden = part["suppressed"].astype(bool).to_numpy()
        hidden_notes += [f"{group} {p}" for p in part.loc[hidden, x].astype(str)]
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
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if hidden_notes:
        ax.text(0.01, 0.01, f"{SUPPRESSED_TEXT}: " + ", ".join(hidden_notes), transform=ax.transAxes, fontsize=8,
                color=PALETTE["grey"], va="bottom")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    set_title(ax, "Change over time")
    return ax


def engagement_bars(engagement: pd.DataFrame, *, threshold: float = 0.6, ax=None):
    """Response rate per organisation and role against the 60 % line.

    Parameters
    ----------
    engagement : DataFrame
        Output of :func:`partnerlib.engagement` (one period).
    threshold : float
        Where the dashed target line is drawn (default 0.6).
    ax : Axes, optional

    Returns
    -------
    Axes
        One horizontal bar per row (top to bottom in the frame's order) of
        length ``response_rate``, labelled "partner · role" and annotated
        "responded/invited"; bars under the threshold are vermillion, others
        blue; organisation totals are hatched.  Response counts are not survey
        answers, so no group is hidden.
    """
    ax = get_ax(ax)
    y = np.arange(len(engagement))[::-1]
    rates = engagement["response_rate"].to_numpy(float)
    low = rates < threshold
    totals = (engagement["role"].astype(str) == "All roles").to_numpy()
    bars = ax.barh(y, rates, color=np.where(low, PALETTE["vermillion"], PALETTE["blue"]), height=0.7)
    for bar, total in zip(bars, totals):
        if total:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    for yy, rate, r, i in zip(y, rates, engagement["responded"], engagement["invited"]):
        ax.text(rate + 0.01, yy, f"{int(r)}/{int(i)}", va="center", fontsize=8)
    ax.axvline(threshold, color=PALETTE["black"], linestyle="--", linewidth=1)
    names = [f"{p} · {r}" for p, r in zip(engagement["partner"].astype(str), engagement["role"].astype(str))]
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1.1)
    ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    ax.set_xticks(ticks, [f"{t:.0%}" for t in ticks])
    ax.set_xlabel(f"response rate (dashed: {threshold:.0%})")
    set_title(ax, "Who took part")
    return ax
