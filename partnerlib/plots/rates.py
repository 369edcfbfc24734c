"""Bars of the response rate per organisation and role."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES
from ._theme import PALETTE, SMALL_TEXT, get_ax, set_title


def engagement_bars(engagement: pd.DataFrame, *, method: Method = METHOD, ax=None):
    """Response rate per organisation and role against the 60 % line.

    Parameters
    ----------
    engagement : DataFrame
        Output of :func:`partnerlib.engagement` (one period).
    method : Method
        ``method.rate_threshold`` is where the dashed target line is drawn (60 %); ``method.min_n``: a group whose
        count is hidden (the ``hidden`` column of :func:`partnerlib.engagement`: fewer than the minimum took part,
        or its count would give a smaller group's away) has no bar, only the reason.
    ax : Axes, optional

    Returns
    -------
    Axes
        One horizontal bar per row (top to bottom in the frame's order) of
        length ``response_rate``, labelled "partner · role" and annotated
        "responded of invited"; bars under the threshold are vermillion, others
        blue; organisation totals are hatched; a legend at the right says so.
    """
    ax = get_ax(ax)
    threshold = method.rate_threshold
    y = np.arange(len(engagement))[::-1]
    rates = engagement["response_rate"].to_numpy(float)
    low = rates < threshold
    totals = (engagement["role"].astype(str) == ALL_ROLES).to_numpy()
    reasons = engagement["hidden"] if "hidden" in engagement else pd.Series(None, index=engagement.index)
    hidden = reasons.notna().to_numpy()
    shown_rates = np.where(hidden, 0.0, rates)
    bars = ax.barh(y, shown_rates, color=np.where(low, PALETTE["vermillion"], PALETTE["blue"]), height=0.7)
    for bar, total in zip(bars, totals):
        if total:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    for yy, rate, r, i, why in zip(y, shown_rates, engagement["responded"], engagement["invited"], reasons):
        if not isinstance(why, str):
            label = f"{int(r)} of {int(i)}"
        elif r < method.min_n:
            label = f"fewer than {method.min_n} of {int(i)}"
        else:
            label = f"{why} ({int(i)} invited)"
        ax.text(rate + 0.01, yy, label, va="center", fontsize=SMALL_TEXT, color=PALETTE["grey"] if
                isinstance(why, str) else PALETTE["black"])  # fmt: skip
    ax.axvline(threshold, color=PALETTE["black"], linestyle="--", linewidth=1)
    ax.legend(
        handles=[
            Patch(color=PALETTE["blue"], label=f"{threshold:.0%} or more took part"),
            Patch(color=PALETTE["vermillion"], label=f"below {threshold:.0%}"),
            Patch(facecolor=PALETTE["grey"], hatch="//", edgecolor="white", label="whole organisation"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    names = [f"{p} · {r}" for p, r in zip(engagement["partner"].astype(str), engagement["role"].astype(str))]
    ax.set_yticks(y, names)
    ax.set_xlim(0, 1.1)
    ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    ax.set_xticks(ticks, [f"{t:.0%}" for t in ticks])
    ax.set_xlabel(f"share of the invited who took part (dashed: {threshold:.0%})")
    set_title(ax, "Who took part")
    return ax
