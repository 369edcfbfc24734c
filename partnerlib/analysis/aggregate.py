"""The aggregation kernel every analysis uses: respondent means, and fast sums over groups (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError


def as_list(by) -> list[str]:
    """``by`` as a list of column names (``None`` -> ``[]``, ``"partner"`` -> ``["partner"]``)."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _key_codes(frame: pd.DataFrame, col: str):
    """Integer codes (-1 for missing) and the categories of one key column."""
    values = frame[col]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories, values.dtype
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques), None


def _combined_key(parts, sizes, n: int):
    """One integer key per row combining the key columns' codes, and the rows with a missing key."""
    total = int(np.prod(np.array(sizes, np.int64)))
    width = np.int32 if total < 2**31 else np.int64  # half the memory traffic when the keys allow it
    combined: np.ndarray = np.zeros(n, width)
    missing = np.zeros(n, bool)
    for (codes, _, _), size in zip(parts, sizes):
        if codes.min(initial=0) < 0:
            missing |= codes < 0
        combined *= size
        combined += codes
    return combined, missing, total


def group_sums(frame: pd.DataFrame, keys: list[str], weights: dict) -> pd.DataFrame:
    """Sums of arrays over the groups of ``keys`` (observed groups only; order unspecified).

    A fast equivalent of ``frame.groupby(keys, observed=True, sort=False).sum()``
    for the large tidy tables: the key columns' integer codes are combined into
    one int64 key and summed with :func:`numpy.bincount`.
    Rows with a missing key are left out, as groupby does.

    Parameters
    ----------
    frame : DataFrame
    keys : list of str
    weights : dict of name -> array
        Arrays aligned with ``frame``'s rows; NaN is not allowed (mask first).

    Returns
    -------
    DataFrame
        The key columns (categorical keys keep their dtype) and one column per weight.
    """
    parts = [_key_codes(frame, k) for k in keys]
    sizes = [max(len(cats), 1) for _, cats, _ in parts]
    if float(np.prod(np.array(sizes, float))) >= 2.0**62:
        grouped = frame[keys].assign(**weights).groupby(keys, observed=True, sort=False)[list(weights)].sum()
        return grouped.reset_index()
    combined, missing, total = _combined_key(parts, sizes, len(frame))
    if missing.any():
        combined = combined[~missing]
        weights = {name: np.asarray(values)[~missing] for name, values in weights.items()}
    if total <= max(4 * len(combined), 1 << 20):
        # Dense: every possible key has a slot; keep the observed ones (sorted by key).
        uniques = np.flatnonzero(np.bincount(combined, minlength=total))
        sums = {
            name: np.bincount(combined, weights=np.asarray(values, float), minlength=total)[uniques]
            for name, values in weights.items()
        }
    else:
        inverse, uniques = pd.factorize(combined)
        sums = {
            name: np.bincount(inverse, weights=np.asarray(values, float), minlength=len(uniques))
            for name, values in weights.items()
        }
    out = {}
    rest = uniques.astype(np.int64)
    decoded = []
    for size in reversed(sizes):
        rest, code = np.divmod(rest, size)
        decoded.append(code)
    for key, (_, cats, dtype), code in zip(keys, parts, reversed(decoded)):
        out[key] = pd.Categorical.from_codes(code, dtype=dtype) if dtype is not None else cats.take(code)
    out.update(sums)
    return pd.DataFrame(out)


def respondent_means(responses: pd.DataFrame, by=None) -> pd.DataFrame:
    """Each respondent's mean score per principle and measure.

    Returns a frame with the ``by`` columns, ``principle``, ``respondent``,
    ``measure`` and ``score`` (the mean of that respondent's answers to the
    principle's statements on that measure; missing answers are not counted).
    """
    keys = [*as_list(by), "principle", "respondent", "measure"]
    missing = [k for k in [*keys, "score"] if k not in responses.columns]
    if missing:
        raise PartnerDataError(f"responses table lacks columns {missing}; expected the tidy table of read_survey")
    score = responses["score"].to_numpy(float)
    answered = ~np.isnan(score)
    sums = group_sums(responses, keys, {"total": np.where(answered, score, 0.0), "count": answered})
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["score"] = np.where(sums["count"] > 0, sums["total"] / sums["count"], np.nan)
    return sums.drop(columns=["total", "count"])


def period_order(frame: pd.DataFrame) -> list[str]:
    """The periods of a table in time order: its category order, else sorted as text (``2025`` < ``2025-Q3``)."""
    col = frame["period"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        present = set(col.dropna().astype(str))
        return [str(c) for c in col.cat.categories if str(c) in present]
    return sorted(set(col.dropna().astype(str)))


def check_scale(scale) -> tuple[float, float]:
    """``scale`` as ``(min, max)`` floats.

    Raises
    ------
    PartnerDataError
        If it is missing or min is not below max.  There is no default: pass ``Survey.scale``.
    """
    if scale is None:
        raise PartnerDataError("scale bounds unknown: pass scale=(min, max), e.g. scale=survey.scale")
    lo, hi = (float(v) for v in scale)
    if lo >= hi:
        raise PartnerDataError(f"scale {scale!r}: min must be below max")
    return lo, hi
