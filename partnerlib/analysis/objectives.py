"""How compatible the partners' objectives are: :func:`objectives_alignment` (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import validate_objectives
from ..settings import METHOD, Method
from ..vocabulary import ALIGNMENT_STATUSES

#: The columns of :func:`objectives_alignment` that are not a partner's rating.
ALIGNMENT_COLUMNS = ("objective", "owner", "spread", "served", "divergent", "unsupported", "status")


def objectives_alignment(objectives: pd.DataFrame, *, method: Method = METHOD) -> pd.DataFrame:
    """How compatible the partners' objectives are.

    Parameters
    ----------
    objectives : DataFrame
        The table of :func:`partnerlib.read_objectives`.
    method : Method
        ``divergent_spread``: the spread of importance at or above which an objective is ``divergent`` (2
        points); ``unsupported_served``: ``served`` at or below which it is ``unsupported`` (2 on 1-5).

    Returns
    -------
    DataFrame
        One row per objective (file order): ``objective``, ``owner``, one
        column per partner with its importance rating (in the table's partner
        order; :func:`alignment_partners` lists them), then

        - ``spread``: highest minus lowest importance rating between the partners;
        - ``served``: mean of the ``served`` ratings given (NaN where none);
        - ``divergent``: ``spread >= method.divergent_spread``;
        - ``unsupported``: ``served <= method.unsupported_served``;
        - ``status``: ``divergent`` where divergent (the partners' priorities
          pull apart: the first thing to discuss), else ``unsupported`` where
          unsupported, else ``aligned``.
    """
    objectives = validate_objectives(objectives)
    partners = list(dict.fromkeys(objectives["partner"].astype(str)))
    order = list(dict.fromkeys(objectives["objective"].astype(str)))
    wide = objectives.pivot(index="objective", columns="partner", values="importance").reindex(
        index=order, columns=partners
    )
    info = objectives.drop_duplicates("objective").set_index("objective")["owner"].reindex(order)
    out = pd.DataFrame({"objective": order, "owner": info.to_numpy()})
    for p in partners:
        out[p] = wide[p].to_numpy(float)
    out["spread"] = (wide.max(axis=1) - wide.min(axis=1)).to_numpy(float)
    out["served"] = objectives.groupby("objective", sort=False)["served"].mean().reindex(order).to_numpy(float)
    out["divergent"] = out["spread"] >= method.divergent_spread
    out["unsupported"] = (out["served"] <= method.unsupported_served).fillna(False).astype(bool)
    out["status"] = pd.Categorical(
        np.where(out["divergent"], "divergent", np.where(out["unsupported"], "unsupported", "aligned")),
        categories=list(ALIGNMENT_STATUSES),
    )
    return out


def alignment_partners(alignment: pd.DataFrame) -> list[str]:
    """The partner columns of an :func:`objectives_alignment` table, in order."""
    return [c for c in alignment.columns if c not in ALIGNMENT_COLUMNS]


def alignment_index(alignment: pd.DataFrame) -> float:
    """Share of objectives whose status is ``aligned`` (0-1; NaN where there are no objectives)."""
    if not len(alignment):
        return float("nan")
    return float((alignment["status"].astype(str) == "aligned").mean())
