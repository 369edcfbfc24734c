"""Portfolio norms: how a partnership's scores compare with the other partnerships a consultant has reviewed.

Scores from different scales are compared by their **position** on the scale, ``(score - min) / (max - min)``, from 0
(the lowest point) to 1 (the highest).  A principle is matched across reviews by its name, compared without case or
extra white space (:func:`norm_key`), so "Open  communication" and "open communication" pool; to pool principles named
differently on purpose, the codebook's ``norm:`` gives a principle the name it is pooled under
(``norm: {Mutual trust: Trust}``): the records then hold that name (:func:`pooled_names`).

Another client's figures never reach a report: a report shows, per principle, only its **percentile rank** among the
other partnerships (and how many there are), where at least :attr:`Method.norm_min_partnerships` other partnerships
from at least :attr:`Method.norm_min_clients` other clients contribute; partnerships of the same client are never
among the comparisons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import NORM_RECORD_COLUMNS

#: The columns of a norms record (:data:`partnerlib.vocabulary.NORM_RECORD_COLUMNS`).
RECORD_COLUMNS = list(NORM_RECORD_COLUMNS)


def rank_text(percentile: float, others: int) -> str:
    """A percentile rank in words: ``"higher than 83 % of 12"``, ``"higher than all 12"``, ``"lower than all 12"``."""
    if percentile >= 100:
        return f"higher than all {others}"
    if percentile <= 0:
        return f"lower than all {others}"
    return f"higher than {percentile:.0f} % of {others}"


def norm_key(name) -> str:
    """The name a principle (or a client) is matched by: case and white space ignored."""
    return " ".join(str(name).split()).casefold()


def pooled_names(principles, pooled=None) -> list[str]:
    """The name each of ``principles`` is pooled under in the norms: ``pooled[principle]`` (the codebook's
    ``norm:``) where given, else the principle's own name."""
    pooled = pooled or {}
    return [str(pooled.get(str(p), p)) for p in principles]


def build_norms(records: pd.DataFrame) -> pd.DataFrame:
    """The distribution of each principle's position across partnerships and periods.

    Parameters
    ----------
    records : DataFrame
        :data:`RECORD_COLUMNS`, one row per review, period and principle.

    Returns
    -------
    DataFrame
        ``principle`` (as first spelled), ``partnerships`` (distinct reviews), ``clients``, ``scores`` (rows),
        ``median``, ``top_quartile`` (the 75th percentile) and ``top_decile`` (the 90th), positions from 0 to 1
        (numpy's linear interpolation between order statistics).
    """
    frame = records.assign(_key=records["principle"].map(norm_key), _client=records["client"].map(norm_key))
    rows = []
    for _key, block in frame.groupby("_key", sort=False):
        values = block["position"].to_numpy(dtype=float)
        rows.append(
            {
                "principle": str(block["principle"].iloc[0]),
                "partnerships": int(block["review"].nunique()),
                "clients": int(block["_client"].nunique()),
                "scores": len(values),
                "median": float(np.quantile(values, 0.5)),
                "top_quartile": float(np.quantile(values, 0.75)),
                "top_decile": float(np.quantile(values, 0.9)),
            }
        )
    return pd.DataFrame(
        rows, columns=["principle", "partnerships", "clients", "scores", "median", "top_quartile", "top_decile"]
    )


def percentile_ranks(
    scores: pd.DataFrame, records: pd.DataFrame, *, client: str, scale, method: Method = METHOD, pooled=None
) -> pd.DataFrame:
    """Each principle's percentile rank among the other clients' partnerships.

    Parameters
    ----------
    scores : DataFrame
        :func:`partnerlib.principle_scores` of this review (``principle``, ``current``, ``suppressed``).
    records : DataFrame
        The portfolio's norms records (:data:`RECORD_COLUMNS`); this client's own rows are left out.
    client : str
        This review's client.
    scale : (float, float)
        This review's scale, to place its scores at a position from 0 to 1.
    method : Method
        ``norm_min_partnerships`` and ``norm_min_clients``.
    pooled : mapping, optional
        Principle -> the name it is pooled under (the codebook's ``norm:``): a principle is compared with the
        records of that name (:func:`pooled_names`).

    Returns
    -------
    DataFrame
        ``principle``, ``position``, ``others`` (other partnerships compared: each one's latest period),
        ``other_clients``, ``percentile`` (the share of those partnerships scoring below this one, ties counting
        half, in %: ``100 * (below + equal / 2) / others``, scipy's ``percentileofscore(kind="mean")``), ``shown``
        and ``reason`` (why a rank is not shown).
    """
    lo, hi = scale
    own = norm_key(client)
    others = records[records["client"].map(norm_key) != own]
    others = others.assign(_key=others["principle"].map(norm_key), _client=others["client"].map(norm_key))
    latest = others.sort_values("period", kind="stable").groupby(["_key", "review"], sort=False).tail(1)
    rows = []
    for r, name in zip(scores.to_dict("records"), pooled_names(scores["principle"], pooled)):
        principle = str(r["principle"])
        if bool(r.get("suppressed")) or pd.isna(r.get("current")):
            rows.append([principle, np.nan, 0, 0, np.nan, False, "this principle's score is hidden"])
            continue
        position = (float(r["current"]) - lo) / (hi - lo)
        block = latest[latest["_key"] == norm_key(name)]
        n, clients = len(block), int(block["_client"].nunique())
        if n < method.norm_min_partnerships or clients < method.norm_min_clients:
            reason = (
                f"fewer than {method.norm_min_partnerships} other partnerships from {method.norm_min_clients} other "
                "clients have a score for it"
            )
            rows.append([principle, position, n, clients, np.nan, False, reason])
            continue
        values = block["position"].to_numpy(dtype=float)
        below, equal = int((values < position - 1e-9).sum()), int((np.abs(values - position) <= 1e-9).sum())
        rows.append([principle, position, n, clients, 100 * (below + equal / 2) / n, True, ""])
    return pd.DataFrame(
        rows, columns=["principle", "position", "others", "other_clients", "percentile", "shown", "reason"]
    )
