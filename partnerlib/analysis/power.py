"""What a review's data can detect: the smallest difference found with the method's power (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings import METHOD, Method
from ..vocabulary import too_few_text
from .compare import _summaries
from .estimators import min_detectable_difference

#: The columns of :func:`detectable_differences`.
DETECTABLE_COLUMNS = ["principle", "side_a", "side_b", "n_a", "n_b", "sd", "detectable", "hidden"]


def detectable_differences(responses: pd.DataFrame, *, between: str, a, b, method: Method = METHOD) -> pd.DataFrame:
    """The smallest difference between groups ``a`` and ``b`` of ``between`` that each principle's test finds
    with probability ``method.power`` (80 %).

    Parameters
    ----------
    responses : DataFrame
        The tidy table holding both groups (both periods, for a change).
    between : str
        ``"partner"`` (the organisations) or ``"period"`` (a change).
    a, b : str
        The two groups.
    method : Method
        ``power``, ``significance`` (two-sided level of one principle's test) and ``min_n``.

    Returns
    -------
    DataFrame
        One row per principle: ``n_a``, ``n_b`` (respondents with a current answer), ``sd`` (pooled standard
        deviation of the respondent means, ``sqrt(((n_a-1) s_a² + (n_b-1) s_b²) / (n_a+n_b-2))``) and
        ``detectable``: :func:`partnerlib.analysis.estimators.min_detectable_difference` in scale points (Cohen
        1988's two-sample t-test power, solved for the difference).  A difference smaller than this is more
        likely than not to read "no clear change".  ``hidden`` and missing figures where a side is below
        ``method.min_n``.  The finite-population correction and the Holm adjustment would both change the
        figure a little (one shrinks the error, the other raises the bar); neither is applied here.
    """
    summary = _summaries(responses, [between, "principle"])
    left = summary[summary[between].astype(str) == str(a)].drop(columns=between)
    right = summary[summary[between].astype(str) == str(b)].drop(columns=between)
    both = left.merge(right, on="principle", how="outer", suffixes=("_a", "_b"))
    n_a, n_b = both["n_a"].fillna(0).to_numpy(float), both["n_b"].fillna(0).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(((n_a - 1) * both["sd_a"] ** 2 + (n_b - 1) * both["sd_b"] ** 2) / (n_a + n_b - 2))
    small = (n_a < method.min_n) | (n_b < method.min_n)
    out = pd.DataFrame({"principle": both["principle"], "side_a": str(a), "side_b": str(b)})
    out["n_a"] = pd.array(np.where(small, np.nan, n_a), "Float64").astype("Int64")
    out["n_b"] = pd.array(np.where(small, np.nan, n_b), "Float64").astype("Int64")
    out["sd"] = np.where(small, np.nan, pooled)
    detectable = min_detectable_difference(out["sd"], n_a, n_b, alpha=method.significance, power=method.power)
    out["detectable"] = np.where(small, np.nan, detectable)
    out["hidden"] = pd.array([too_few_text(method.min_n) if s else None for s in small], dtype="str")
    return out[DETECTABLE_COLUMNS].sort_values("principle", kind="stable").reset_index(drop=True)
