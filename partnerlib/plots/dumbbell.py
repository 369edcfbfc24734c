"""A dumbbell chart of the two organisations' scores per principle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..vocabulary import CLEAR_DIFFERENCE
from ._theme import PALETTE, SIDE_COLOURS, SMALL_TEXT, get_ax, set_title


def perception_dumbbell(differences: pd.DataFrame, *, scale=None, ax=None):
    """Dumbbell chart of the two sides' scores per principle, clear differences highlighted.

    Parameters
    ----------
    differences : DataFrame
        Output of :func:`partnerlib.perception_differences` for one pair of sides
        (filter ``side_a``/``side_b`` first when there are more).
    scale : (min, max), optional
        The survey's scale, named on the horizontal axis.
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per principle (top to bottom in the frame's order): a point at
        ``current_a`` (blue, side A) and one at ``current_b`` (orange, side B),
        joined by a line, vermillion and thick where ``flag`` is set (and the
        principle labelled "(clear difference)", :data:`partnerlib.vocabulary.CLEAR_DIFFERENCE`),
        grey otherwise.  A hidden row shows why (its ``hidden`` text).  The legend stands at the right.
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
    reasons = differences["hidden"] if "hidden" in differences else pd.Series("not shown", index=differences.index)
    middle = np.nanmean(np.r_[a, b]) if not np.isnan(np.r_[a, b]).all() else 0.5
    for yy, xa, xb, flag, hide, reason in zip(y, a, b, flagged, hidden, reasons):
        if hide:
            ax.text(middle, yy, str(reason), ha="center", va="center", fontsize=SMALL_TEXT, color=PALETTE["grey"])
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
    span = f" ({scale[0]:g}–{scale[1]:g})" if scale is not None else ""
    ax.set_xlabel(f"How well it is lived today{span}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    set_title(ax, "Where the two organisations see it differently")
    return ax
