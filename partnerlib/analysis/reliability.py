"""Internal consistency of each principle's statements: Cronbach's alpha (pure function)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from .estimators import cronbach_alpha, feldt_interval

RELIABILITY_COLUMNS = ["principle", "items", "n", "alpha", "ci_low", "ci_high", "flag", "note"]


def reliability(responses: pd.DataFrame, *, method: Method = METHOD) -> pd.DataFrame:
    """Cronbach's alpha of each principle's current statements, with Feldt's interval.

    Parameters
    ----------
    responses : DataFrame
        The tidy table of :func:`partnerlib.read_survey` (reverse-keyed
        statements already reversed there, as alpha requires).  Use one
        period: alpha over several periods mixes different surveys.
    method : Method
        ``alpha_threshold``: alpha below which a principle is flagged (0.7); ``confidence``: the level of
        Feldt's interval (0.95).

    Returns
    -------
    DataFrame
        One row per principle:

        - ``items``: statements of the principle with at least one current answer;
        - ``n``: respondents who answered every one of them (others are left out,
          listwise);
        - ``alpha``: ``k/(k-1) * (1 - sum of statement variances / variance of
          the respondents' totals)`` on those respondents;
        - ``ci_low``, ``ci_high``: Feldt's interval, from the F
          distribution with ``n-1`` and ``(n-1)(k-1)`` degrees of freedom;
        - ``flag``: True where ``alpha < method.alpha_threshold`` (the statements may not
          measure one principle; read the principle's score with care);
        - ``note``: why alpha is missing, where it is (a single statement,
          fewer than two complete respondents, or no variation), else empty.

    Notes
    -----
    Alpha is a property of the whole sample, not of a group, and reveals no
    respondent's answers, so no anonymity minimum applies; ``n`` says how
    much it rests on.
    """
    missing = [c for c in ("respondent", "principle", "item", "measure", "score") if c not in responses.columns]
    if missing:
        raise PartnerDataError(f"responses table lacks columns {missing}; expected the tidy table of read_survey")
    current = responses[responses["measure"] == "current"]
    rows = []
    for principle, block in current.groupby("principle", observed=True, sort=True):
        wide = block.groupby(["respondent", "item"], observed=True)["score"].mean().unstack("item")
        k = wide.shape[1]
        complete = wide.dropna()
        n = len(complete)
        alpha = cronbach_alpha(complete.to_numpy()) if k >= 2 else np.nan
        if k < 2:
            note = "one statement: alpha needs at least two statements and is undefined"
        elif n < 2:
            note = f"{n} respondent(s) answered every statement: alpha needs at least two"
        elif np.isnan(alpha):
            note = "the respondents' totals do not vary: alpha is undefined"
        else:
            note = ""
        rows.append({"principle": principle, "items": k, "n": n, "alpha": alpha, "note": note})
    out = pd.DataFrame(rows, columns=["principle", "items", "n", "alpha", "note"])
    low, high = feldt_interval(
        out["alpha"].to_numpy(float), out["n"].to_numpy(float), out["items"].to_numpy(float), level=method.confidence
    )
    out["ci_low"], out["ci_high"] = low, high
    out["flag"] = (out["alpha"] < method.alpha_threshold).to_numpy(bool)
    if isinstance(responses["principle"].dtype, pd.CategoricalDtype):
        out["principle"] = pd.Categorical(
            out["principle"].astype(str), categories=responses["principle"].cat.categories
        )
    out["items"], out["n"] = out["items"].astype("int64"), out["n"].astype("int64")
    return out[RELIABILITY_COLUMNS]
