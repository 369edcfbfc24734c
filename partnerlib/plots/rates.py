"""Bars of the response rate per organisation and role."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES
from ._theme import PALETTE, get_ax, set_title


def engagement_bars(engagement: pd.DataFrame, *, method: Method = METHOD, ax=None):
    """Response rate per organisation and role against the 60 % line.

    Parameters
    ----------
    engagement : DataFrame
        Output of :func:`partnerlib.engagement` (one period).
    method : Method
        ``method.rate_threshold`` is where the dashed target line is drawn (60 %).
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
    threshold = method.rate_threshold
    y = np.arange(len(engagement))[::-1]
    rates = engagement["response_rate"].to_numpy(float)
    low = rates < threshold
    totals = (engagement["role"].astype(str) == ALL_ROLES).to_numpy()
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
