"""Bars of each principle's percentile rank among the portfolio's other partnerships."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..analysis.norms import rank_text
from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title


def norm_bars(ranks: pd.DataFrame, *, ax=None):
    """Each principle's percentile rank among other clients' partnerships, against the middle (50).

    Parameters
    ----------
    ranks : DataFrame
        :func:`partnerlib.analysis.norms.percentile_ranks` of the review.
    ax : Axes, optional

    Returns
    -------
    Axes
        One horizontal bar per principle (top to bottom in the frame's order) of length ``percentile`` (0 to 100),
        annotated "higher than 70 % of 12"; blue at or above the middle, vermillion below; a principle without a
        rank has no bar, only the reason; a dashed line at 50; a legend at the right for the two colours.
    """
    ax = get_ax(ax)
    y = np.arange(len(ranks))[::-1]
    shown = ranks["shown"].astype(bool).to_numpy()
    values = np.where(shown, ranks["percentile"].fillna(0).to_numpy(float), 0.0)
    colours = np.where(values >= 50, PALETTE["blue"], PALETTE["vermillion"])
    ax.barh(y, values, color=colours, height=0.7)
    for yy, value, ok, n, why in zip(y, values, shown, ranks["others"], ranks["reason"]):
        label = rank_text(value, int(n)) if ok else str(why)
        ax.text(value + 1, yy, label, va="center", fontsize=SMALL_TEXT, zorder=4,
                color=PALETTE["black"] if ok else PALETTE["grey"],
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    ax.axvline(50, color=PALETTE["black"], linestyle="--", linewidth=1, zorder=3)
    ax.legend(
        handles=[
            Patch(color=PALETTE["blue"], label="in the upper half"),
            Patch(color=PALETTE["vermillion"], label="in the lower half"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    ax.set_yticks(y, ranks["principle"].astype(str).tolist())
    ax.set_xlim(0, 135)
    ticks = [0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [f"{t}" for t in ticks])
    ax.set_xlabel("percentile rank among other clients' partnerships (dashed: the middle)")
    set_title(ax, "Compared with other partnerships")
    return ax
