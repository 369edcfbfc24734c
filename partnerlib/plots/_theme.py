"""One colour-blind-safe palette and theme for every chart of the bundle."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.typing import RcKeyType

from ..config import INLINE_BACKEND as INLINE_BACKEND  # re-exported: partnerlib.plots.INLINE_BACKEND

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
#: The smallest text of any chart, in points (notes, cell values, legends of secondary marks).
SMALL_TEXT = 9
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
#: when printed or projected, and quicker to write) with element ids that are the same on every run.  Text
#: sizes: no chart text is smaller than :data:`SMALL_TEXT` points, so that a chart up to 9 inches wide printed on
#: A4 or Letter (about 7 inches of text width) keeps its smallest text at 7 points or more.
CHART_RC: dict[RcKeyType, Any] = {
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (8, 5),
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titley": 1.0,
    "axes.titlepad": 8.0,
    "svg.fonttype": "none",
    "text.parse_math": False,  # client text ("$5 vs $10", "$\\frac$") is drawn as written, never as a formula
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


def hidden_groups(frame: pd.DataFrame, names) -> dict[str, list[str]]:
    """``{reason: [name, ...]}`` of the hidden rows of ``frame`` (its ``suppressed`` and ``hidden`` columns).

    ``names`` gives each row's name; a row without a ``hidden`` text is listed under "not shown".
    """
    out: dict[str, list[str]] = {}
    if "suppressed" not in frame:
        return out
    reasons = frame["hidden"] if "hidden" in frame else pd.Series(None, index=frame.index, dtype=object)
    for name, hide, reason in zip(names, frame["suppressed"].astype(bool), reasons):
        if hide:
            out.setdefault(str(reason) if isinstance(reason, str) and reason else "not shown", []).append(str(name))
    return out


def note_hidden(ax, hidden: dict[str, list[str]]) -> None:
    """Say under the chart what was left out and why: "Fewer than 5 responses: A, B · Hidden to protect …: C"."""
    if not hidden:
        return
    text = "   ".join(f"{reason[:1].upper()}{reason[1:]}: {', '.join(names)}" for reason, names in hidden.items())
    ax.annotate(
        textwrap.fill(text, 110),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -36),
        textcoords="offset points",
        va="top",
        fontsize=SMALL_TEXT,
        color=PALETTE["grey"],
        gid="hidden-note",
    )


def get_ax(ax=None):
    """The axes to draw on: ``ax`` if given, else the current axes (seaborn's convention)."""
    return ax if ax is not None else plt.gca()
