"""Answer distributions for diverging Likert bars (pure function).

The layering of plot-likert: :func:`likert_counts` counts, and
:func:`partnerlib.plots.likert_bars` draws those counts.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from ..vocabulary import NOT_APPLICABLE
from .aggregate import as_list, check_scale, group_sums
from .suppression import hidden_texts, too_few_texts


def scale_points(scale) -> list[float]:
    """The whole-number points of a scale ``(min, max)``: ``(1, 5) -> [1, 2, 3, 4, 5]``."""
    lo, hi = scale
    return [float(v) for v in np.arange(lo, hi + 1)]


def point_label(point: float) -> str:
    """Column name of a scale point in :func:`likert_counts` (``4.0 -> "4"``)."""
    return f"{point:g}"


def point_columns(counts: pd.DataFrame) -> list[str]:
    """The scale-point columns of a :func:`likert_counts` table, lowest point first."""

    def number(name):
        try:
            return float(name)
        except (TypeError, ValueError):
            return None

    found = [(number(c), str(c)) for c in counts.columns if number(c) is not None]
    return [c for _, c in sorted(found)]


def likert_counts(
    responses: pd.DataFrame,
    *,
    level: str = "item",
    by=None,
    measure: str = "current",
    not_applicable: pd.DataFrame | None = None,
    reversed_items: Collection[str] = (),
    scale,
    method: Method = METHOD,
) -> pd.DataFrame:
    """Count the answers at each scale point, per statement or principle: what people answered.

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey`.
    level : {"item", "principle"}
        One row per statement (``item``) or per principle.
    by : str or list of str, optional
        Respondent groups (``"partner"``...): one row per group and level.
    measure : {"current", "importance"}
    not_applicable : DataFrame, optional
        ``Survey.not_applicable`` ("don't know" answers), counted apart.
    reversed_items : collection of str
        The reverse-worded statements (``Codebook.reversed_items()``).  Their *current* scores were reversed when
        the export was read (``min + max - answer``), as scores must be; here they are turned back, so that the
        counts are of the answers people gave to the statement as worded.  Only with ``level="item"``: a
        principle's distribution is of its scores.
    scale : (min, max)
        Scale bounds, ``Survey.scale``.
    method : Method
        ``method.min_n`` is the anonymity minimum on respondents per row; with ``by``, the
        next-smallest group is hidden too when exactly one group of a
        statement is hidden (so it cannot be recovered from the total).

    Returns
    -------
    DataFrame
        The ``by`` columns and ``level``, then ``n`` (respondents with a scored
        answer), ``answers`` (scored answers), one count column per scale point
        named ``"1"``, ``"2"``... (:func:`point_label`), ``"not applicable"``
        (count of not-applicable answers, 0 when not given), and
        ``suppressed`` (counts missing).  :func:`point_columns` lists the point
        columns from the lowest; and ``hidden`` (what to show instead, as in
        :func:`partnerlib.principle_scores`).

    Raises
    ------
    PartnerDataError
        If a score is not a whole scale point (counts need whole points).
    """
    if level not in ("item", "principle"):
        raise PartnerDataError(f"level={level!r}: expected 'item' or 'principle'")
    lo, hi = check_scale(scale)
    points = scale_points((lo, hi))
    labels = [point_label(p) for p in points]
    by = as_list(by)
    keys = [*by, level]
    rows = responses[responses["measure"] == measure]
    if reversed_items and measure == "current":
        if level != "item":
            raise PartnerDataError("reversed_items: answers are counted as given per statement only (level='item')")
        turn = rows["item"].astype(str).isin([str(i) for i in reversed_items]).to_numpy()
        rows = rows.assign(score=np.where(turn, lo + hi - rows["score"].to_numpy(float), rows["score"].to_numpy(float)))
    off = ~rows["score"].isin(points)
    if off.any():
        bad = float(rows.loc[off, "score"].iloc[0])
        raise PartnerDataError(
            f"score {bad:g} ({rows.loc[off, level].iloc[0]}) is not a whole point of the scale "
            f"{lo:g}-{hi:g}; expected one of {labels}"
        )
    codes = np.searchsorted(points, rows["score"].to_numpy(float)).astype(np.int64)
    answer = pd.Categorical.from_codes(codes, categories=pd.Index(labels))
    tally = group_sums(rows[keys].assign(_answer=answer), [*keys, "_answer"], {"count": np.ones(len(rows))})
    counts = (
        tally.set_index([*keys, "_answer"])["count"]
        .unstack("_answer", fill_value=0)
        .reindex(columns=labels, fill_value=0)
        .astype(np.int64)
    )
    counts.columns = labels
    counts.columns.name = None
    n = rows.groupby(keys, observed=True)["respondent"].nunique().rename("n")
    out = counts.join(n).reset_index()
    out.insert(len(keys), "n", out.pop("n").astype("Int64"))
    out.insert(len(keys) + 1, "answers", out[labels].sum(axis=1).astype("Int64"))
    if not_applicable is not None and len(not_applicable):
        na = not_applicable[not_applicable["measure"] == measure]
        na_counts = na.groupby(keys, observed=True).size().rename(NOT_APPLICABLE).reset_index()
        for k in keys:
            na_counts[k] = na_counts[k].astype(str)
        out = _merge_on_text(out, na_counts, keys)
        out[NOT_APPLICABLE] = out[NOT_APPLICABLE].fillna(0).astype("Int64")
    else:
        out[NOT_APPLICABLE] = pd.array(np.zeros(len(out), int), "Int64")
    if by:
        out["hidden"] = hidden_texts(out, by, unit=level, min_n=method.min_n)
    else:
        out["hidden"] = too_few_texts(out["n"], method.min_n)
    out["suppressed"] = pd.notna(out["hidden"])
    hidden = out["suppressed"].to_numpy(bool)
    for col in [*labels, NOT_APPLICABLE, "n", "answers"]:
        out[col] = out[col].astype("Int64")
        if hidden.any():
            out.loc[hidden, col] = pd.NA
    return out.reset_index(drop=True)


def _merge_on_text(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Left-merge on ``keys`` compared as text (categories of the two frames may differ); keeps left's dtypes."""
    text = left[keys].astype(str)
    merged = text.merge(right, on=keys, how="left")
    out = left.copy()
    out[NOT_APPLICABLE] = merged[NOT_APPLICABLE].to_numpy()
    return out
