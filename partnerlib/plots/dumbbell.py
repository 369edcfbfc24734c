"""A dumbbell chart of the two organisations' scores per principle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..vocabulary import CLEAR_DIFFERENCE
from ._theme import PALETTE, SIDE_COLOURS, SUPPRESSED_TEXT, get_ax, set_title


def perception_dumbbell(differences: pd.DataFrame, *, ax=None):
    """Dumbbell chart of the two sides' scores per principle, clear differences highlighted.

    Parameters
    ----------
    differences : DataFrame
        Output of :func:`partnerlib.perception_differences` for one pair of sides
        (filter ``side_a``/``side_b`` first when there are more).
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per principle (top to bottom in the frame's order): a point at
        ``current_a`` (blue, side A) and one at ``current_b`` (orange, side B),
        joined by a line, vermillion and thick where ``flag`` is set (and the
        principle labelled "(clear difference)", :data:`partnerlib.vocabulary.CLEAR_DIFFERENCE`),
        grey otherwise.  Suppressed rows show "too few responses".
    """
    ax = get_ax(ax)
    pairs = differences[["side_a", "side_b"]].astype(str).drop_duplicates()
    if len(pairs) != 1:
        raise PartnerDataError(
            f"perception_dumbbell draws one pair of sides; the frame holds "
            f"{[tuple(p) for p in pairs.to_numpy()]}: filter side_a/side_b first"
        )
    side_a, side_b = pairs.iloc[0]
    y = np.arange(len(differences))[::-1]
    flagged = differences["flag"].astype(bool).to_numpy()
    hidden = differences["suppressed"].astype(bool).to_numpy()
    a, b = differences["current_a"].to_numpy(float), differences["current_b"].to_numpy(float)
    for yy, xa, xb, flag, hide in zip(y, a, b, flagged, hidden):
        if hide:
            ax.text(
                np.nanmean(np.r_[a, b]) if not np.isnan(np.r_[a, b]).all() else 0.5,
                yy,
                SUPPRESSED_TEXT,
                ha="center",
                va="center",
                fontsize=8,
                color=PALETTE["grey"],
            )
            continue
        ax.plot(
            [xa, xb],
            [yy, yy],
            color=PALETTE["vermillion"] if flag else PALETTE["grey"],
            linewidth=3 if flag else 1.5,
            zorder=1,
        )
    shown = ~hidden
    ax.scatter(a[shown], y[shown], color=SIDE_COLOURS[0], s=70, zorder=3, label=side_a)
    ax.scatter(b[shown], y[shown], color=SIDE_COLOURS[1], s=70, zorder=3, label=side_b)
    principles = differences["principle"].astype(str)
    names = [f"{p} ({CLEAR_DIFFERENCE})" if f else p for p, f in zip(principles, flagged)]
    ax.set_yticks(y, names)
    if hidden.all():
        ax.set_xlim(0, 1)
    ax.set_xlabel("current score (mean of respondent means)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    set_title(ax, "Where the two sides see it differently")
    return ax
