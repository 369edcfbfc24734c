"""The action follow-up as arrows: each action's principle gap when agreed and now."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ._theme import OUTCOME_COLOURS, PALETTE, SMALL_TEXT, get_ax, set_title


def followup_arrows(followup: pd.DataFrame, *, method: Method = METHOD, ax=None):
    """Action follow-up: each action's principle gap when agreed and now.

    Parameters
    ----------
    followup : DataFrame
        Output of :func:`partnerlib.action_followup`.
    method : Method
        ``method.closed_gap`` is drawn as the dashed "closed" line (the value the follow-up used).
    ax : Axes, optional

    Returns
    -------
    Axes
        One row per action (top to bottom in order): a hollow circle at
        ``gap_created``, a filled circle at ``gap_latest`` joined by an arrow,
        coloured by outcome (:data:`OUTCOME_COLOURS`); actions not (yet)
        measured show only the hollow circle.  Each action is named by what it
        is: its id and short text, then its principle, owner and status; its
        outcome is written at the right, with "overdue" in vermillion where it is.
    """
    ax = get_ax(ax)
    closed_gap = method.closed_gap
    f = followup.reset_index(drop=True)
    n = len(f)
    created = f["gap_created"].to_numpy(float)
    latest = f["gap_latest"].to_numpy(float)
    colours = [OUTCOME_COLOURS[str(o)] for o in f["outcome"]]
    ys = np.arange(n)
    has0 = ~np.isnan(created)
    ax.scatter(
        created[has0],
        ys[has0],
        s=60,
        facecolors="white",
        edgecolors=np.array(colours, object)[has0],
        linewidths=1.5,
        zorder=3,
        label="gap when agreed",
    )
    has1 = ~np.isnan(latest) & has0
    ax.scatter(latest[has1], ys[has1], s=60, c=np.array(colours, object)[has1], zorder=4, label="gap now")
    for y in ys[has1]:
        ax.annotate(
            "",
            xy=(latest[y], y),
            xytext=(created[y], y),
            arrowprops={"arrowstyle": "->", "color": colours[y], "linewidth": 1.5},
        )
    ax.axvline(closed_gap, color=PALETTE["grey"], linestyle="--", linewidth=1)
    ax.text(closed_gap, -0.6, f" closed: {closed_gap:g} or less", fontsize=SMALL_TEXT, color=PALETTE["grey"],
            va="bottom")  # fmt: skip
    overdue = f["overdue"].fillna(False).to_numpy(bool) if "overdue" in f.columns else np.zeros(n, bool)
    ax.set_yticks(ys, [action_label(r) for r in f.to_dict("records")], fontsize=SMALL_TEXT)
    for y, late, result, colour in zip(ys, overdue, f["outcome"].astype(str), colours):
        ax.text(1.01, y, result + (", overdue" if late else ""), transform=ax.get_yaxis_transform(), va="center",
                fontsize=SMALL_TEXT, color=PALETTE["vermillion"] if late else colour, gid="outcome")  # fmt: skip
        if late:
            ax.get_yticklabels()[y].set_color(PALETTE["vermillion"])
    finite = np.concatenate([created[has0], latest[has1], [closed_gap, 0]])
    ax.set_xlim(min(finite.min(), 0) - 0.1, finite.max() + 0.3)
    ax.set_ylim(n - 0.5, -1)
    ax.set_xlabel("gap of the action's principle (importance − lived today)")
    period = str(f["followup_period"].iloc[0]) if n else ""
    set_title(ax, f"Actions: the gap when agreed and in {period}", pad=30)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, borderaxespad=0.2)
    return ax


def action_label(row, width: int = 32) -> str:
    """An action's name on the chart: ``"A-3 Publish the joint plan…"`` over ``"Trust · J. Smith · in progress"``."""
    text = " ".join(str(row.get("action") or "").split())
    short = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    details = [str(row[k]) for k in ("principle", "owner", "status") if isinstance(row.get(k), str) and row[k]]
    return f"{row['id']} {short}\n{' · '.join(details)}"
