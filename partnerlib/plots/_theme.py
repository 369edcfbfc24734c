"""One colour-blind-safe palette and theme for every chart of the bundle."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.typing import RcKeyType

#: Okabe-Ito colours (safe for the common colour-vision deficiencies).
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
    "black": "#000000",
}
#: Fixed meanings used across charts.
BAND_COLOURS = {"strength": PALETTE["green"], "borderline": PALETTE["orange"], "concern": PALETTE["vermillion"]}
SIDE_COLOURS = (PALETTE["blue"], PALETTE["orange"], PALETTE["purple"], PALETTE["green"])
SUPPRESSED_TEXT = "too few responses"
#: Colour of each KPI status (the same meaning as the survey bands: green good, orange watch, vermillion bad).
STATUS_COLOURS = {
    "on track": PALETTE["green"],
    "watch": PALETTE["orange"],
    "off track": PALETTE["vermillion"],
    "no target": PALETTE["grey"],
    "no data": "#D9D9D9",
}
#: Colour of each objectives alignment status.
ALIGNMENT_COLOURS = {"aligned": PALETTE["green"], "divergent": PALETTE["vermillion"], "unsupported": PALETTE["orange"]}
#: Colour of each action follow-up outcome.
OUTCOME_COLOURS = {
    "closed": PALETTE["green"],
    "narrowed": PALETTE["sky"],
    "unchanged": PALETTE["grey"],
    "widened": PALETTE["vermillion"],
    "not yet measured": "#BBBBBB",
    "not measured": "#BBBBBB",
}
#: The id of a chart title's element in SVG output (``<g id="chart-title">``), by which the report names each
#: chart in its image's alternative text.
TITLE_ID = "chart-title"
#: Matplotlib settings of every chart.  Titles sit at a fixed height above the axes (matplotlib otherwise
#: measures every tick label of every chart to place them); SVG output keeps text as text (small, sharp
#: when printed or projected, and quicker to write) with element ids that are the same on every run.
#: The matplotlib backend of every report and workshop kernel: each chart becomes a rich output of its cell.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
CHART_RC: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (8, 5),
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titley": 1.0,
    "axes.titlepad": 8.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "partnerlib",
}


def set_theme(**kwargs) -> None:
    """Apply the bundle's seaborn theme (called by notebooks and the workshop, never on import)."""
    sns.set_theme(style="whitegrid", context="notebook", palette=list(PALETTE.values()), **kwargs)
    plt.rcParams.update(CHART_RC)


def set_title(ax, title: str, **kwargs):
    """Give a chart its title, marked with :data:`TITLE_ID` so that the chart can be named wherever it is shown."""
    ax.set_title(title, **kwargs).set_gid(TITLE_ID)  # the title at the place asked for (left by default)
    return ax


def note_hidden(ax, names) -> None:
    """Write "too few responses: <names>" in the bottom left corner of a chart, where anything was hidden."""
    if names:
        ax.text(
            0.01,
            0.01,
            f"{SUPPRESSED_TEXT}: " + ", ".join(names),
            transform=ax.transAxes,
            fontsize=8,
            color=PALETTE["grey"],
            va="bottom",
        )


def get_ax(ax=None):
    """The axes to draw on: ``ax`` if given, else the current axes (seaborn's convention)."""
    return ax if ax is not None else plt.gca()
