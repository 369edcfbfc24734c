"""Bars of the workshop's dot vote, most dots first."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ._theme import PALETTE, get_ax, set_title


def dot_bars(data: pd.DataFrame, *, ax=None):
    """The dots each principle received, as horizontal bars sorted by dots (most at the top).

    Parameters
    ----------
    data : DataFrame
        At least ``principle`` and ``dots`` (:func:`partnerlib.workshop.tally` or
        :func:`partnerlib.workshop.priorities`); an optional ``proposed`` column
        (the report's proposed rank, missing if not proposed) colours the bars
        of proposed principles orange and adds "proposed N" to their labels.
    ax : Axes, optional

    Returns
    -------
    Axes
        One bar per principle of length ``dots``, labelled with the principle
        and annotated with its number of dots; ties keep the frame's order.
    """
    ax = get_ax(ax)
    frame = data.sort_values("dots", ascending=False, kind="stable").reset_index(drop=True)
    y = np.arange(len(frame))[::-1]
    proposed = frame["proposed"].notna().to_numpy() if "proposed" in frame else np.zeros(len(frame), bool)
    colours = np.where(proposed, PALETTE["orange"], PALETTE["blue"])
    dots = frame["dots"].to_numpy(float)
    ax.barh(y, dots, color=colours, height=0.7)
    for yy, n in zip(y, dots):
        ax.text(n, yy, f" {int(n)}", va="center", ha="left")
    ranks = frame["proposed"] if "proposed" in frame else pd.Series(pd.NA, index=frame.index)
    labels = [
        f"{name} · proposed {int(rank)}" if not pd.isna(rank) else str(name)
        for name, rank in zip(frame["principle"].astype("str"), ranks)
    ]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(1.0, float(dots.max(initial=0))) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Dots")
    ax.grid(axis="y", visible=False)
    return set_title(ax, "Dots per principle")
