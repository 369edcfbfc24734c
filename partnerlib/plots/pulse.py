"""Each pulsed principle's change since the annual review, with its likely range."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import CHANGE_DIRECTIONS
from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title

#: The colour of each reading of a change (:data:`partnerlib.vocabulary.CHANGE_DIRECTIONS`).
DIRECTION_COLOURS = dict(zip(CHANGE_DIRECTIONS, (PALETTE["blue"], PALETTE["vermillion"], PALETTE["grey"])))


def pulse_changes(change: pd.DataFrame, *, ax=None):
    """Each principle's change since the annual review: a dot at the change, a line across its likely range.

    Parameters
    ----------
    change : DataFrame
        :func:`partnerlib.analysis.pulse.pulse_change`.
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per principle (top to bottom in the frame's order): a dot at ``change`` coloured by its
        ``direction`` (:data:`DIRECTION_COLOURS`), a line from ``ci_low`` to ``ci_high``, the change written beside
        it with the test it comes from; a hidden principle has no dot, only why; a line at no change (0).
    """
    ax = get_ax(ax)
    y = np.arange(len(change))[::-1]
    shown = ~change["suppressed"].astype(bool).to_numpy()
    reach = np.nanmax(np.abs(change[["ci_low", "ci_high", "change"]].to_numpy(float)), initial=0.5)
    reach = float(np.ceil(reach * 4 + 0.5) / 4)
    for yy, r, ok in zip(y, change.to_dict("records"), shown):
        if not ok:
            ax.text(0, yy, str(r["hidden"]), ha="center", va="center", fontsize=SMALL_TEXT, color=PALETTE["grey"])
            continue
        colour = DIRECTION_COLOURS.get(str(r["direction"]), PALETTE["grey"])
        if pd.notna(r["ci_low"]):
            ax.plot([r["ci_low"], r["ci_high"]], [yy, yy], color=colour, linewidth=2.5, solid_capstyle="round")
        ax.plot([r["change"]], [yy], "o", color=colour, markersize=9, zorder=4)
        ax.text(r["change"], yy + 0.22, f"{r['change']:+.2f} ({r['test']})", ha="center", va="bottom",
                fontsize=SMALL_TEXT, color=PALETTE["black"], zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    ax.axvline(0, color=PALETTE["black"], linestyle="--", linewidth=1, zorder=1)
    ax.set_yticks(y, change["principle"].astype(str).tolist())
    ax.set_ylim(-0.6, len(change) - 0.3)
    ax.set_xlim(-reach, reach)
    ax.set_xlabel("change in points (line: the likely range; dashed: no change)")
    set_title(ax, "Change since the annual review")
    return ax
