"""The objectives alignment matrix: how important each objective is to each partner."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.objectives import alignment_index, alignment_partners
from ._theme import ALIGNMENT_COLOURS, PALETTE, SMALL_TEXT, get_ax, set_title


def alignment_matrix(alignment: pd.DataFrame, *, ax=None):
    """Objectives alignment matrix: how important each objective is to each partner.

    Parameters
    ----------
    alignment : DataFrame
        Output of :func:`partnerlib.objectives_alignment`.
    ax : Axes, optional

    Returns
    -------
    Axes
        A matrix, objectives (rows, in order) by partners (columns), shaded
        by the importance rating (1 light to 5 dark) and labelled with it;
        at the right of each row its status (``aligned``, ``divergent``,
        ``unsupported``) in :data:`ALIGNMENT_COLOURS`, with how far the partners' ratings differ.  The title
        gives the alignment index (share of objectives aligned).
    """
    ax = get_ax(ax)
    partners = alignment_partners(alignment)
    values = alignment[partners].to_numpy(float)
    n, m = values.shape
    ax.imshow(values, cmap="Blues", vmin=1, vmax=5, aspect="auto")
    for i in range(n):
        for j in range(m):
            v = values[i, j]
            ax.text(
                j,
                i,
                "–" if np.isnan(v) else f"{v:g}",
                ha="center",
                va="center",
                fontsize=10,
                color="white" if v >= 3.5 else PALETTE["black"],
                gid="rating",
            )
    for i, (status, spread) in enumerate(zip(alignment["status"].astype(str), alignment["spread"].astype(float))):
        ax.text(
            m - 0.4,
            i,
            f"{status}\n(ratings differ by {spread:g})" if spread else status,
            va="center",
            fontsize=9,
            color=ALIGNMENT_COLOURS[status],
            fontweight="bold",
            gid="status",
        )
    owners = alignment["owner"].astype(str).tolist()
    ax.set_yticks(range(n), [f"{o}\n({w})" for o, w in zip(alignment["objective"].astype(str), owners)],
                  fontsize=SMALL_TEXT)  # fmt: skip
    ax.set_xticks(range(m), partners)
    ax.xaxis.tick_top()
    ax.set_xlim(-0.5, m + 1.1)
    ax.grid(False)
    index = alignment_index(alignment)
    set_title(ax, f"Objectives: alignment index {index:.0%}", pad=34)
    return ax
