"""Bars of what the comments are about: comments per theme, one bar per organisation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..vocabulary import OTHER_THEME
from ._theme import SIDE_COLOURS, get_ax, set_title

#: How the theme of the comments no principle matched is named on the chart.
OTHER_LABEL = "Other (none of the principles)"


def theme_bars(counts: pd.DataFrame, *, ax=None):
    """Comments per theme and organisation, as groups of horizontal bars (themes in their order, top to bottom).

    Parameters
    ----------
    counts : DataFrame
        ``theme``, ``partner``, ``comments`` (:attr:`partnerlib.analysis.CommentThemes.counts`): one row per theme
        and organisation with at least one comment; ``theme`` in its order (principles, then "other").
    ax : Axes, optional

    Returns
    -------
    Axes
        One group per theme, one bar per organisation (its colour in the legend, organisations in their order)
        of length ``comments``, annotated with the number; a theme an organisation has no comment on has no bar
        for it (and no number).
    """
    ax = get_ax(ax)
    themes = list(dict.fromkeys(counts["theme"].astype("str")))
    partners = list(dict.fromkeys(counts["partner"].astype("str")))
    wide = (
        counts.assign(theme=counts["theme"].astype("str"), partner=counts["partner"].astype("str"))
        .pivot_table(index="theme", columns="partner", values="comments", aggfunc="sum", fill_value=0)
        .reindex(index=themes, columns=partners, fill_value=0)
    )
    height = 0.8 / max(len(partners), 1)
    base = np.arange(len(themes))[::-1].astype(float)
    for k, partner in enumerate(partners):
        values = wide[partner].to_numpy(float)
        y = base + 0.4 - height * (k + 0.5)
        ax.barh(y, values, height=height * 0.9, color=SIDE_COLOURS[k % len(SIDE_COLOURS)], label=partner)
        for yy, v in zip(y, values):
            if v > 0:
                ax.text(v, yy, f" {int(v)}", va="center", ha="left")
    ax.set_yticks(base, [OTHER_LABEL if t == OTHER_THEME else t for t in themes])
    ax.set_xlim(0, max(1.0, float(wide.to_numpy().max(initial=0))) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Comments")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Organisation")
    return set_title(ax, "What the comments are about")
