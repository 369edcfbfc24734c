"""Which free-text comments may be shown: only those of large enough groups (pure function)."""

from __future__ import annotations

import pandas as pd

from .config import COMMENTS_MIN_N, DEFAULT_MIN_N
from .exceptions import PartnerDataError
from .scores import _as_list


def comments_to_show(comments: pd.DataFrame, respondents: pd.DataFrame, *, by="partner",
                     min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """Keep the comments of groups with at least ``max(min_n, 10)`` respondents.

    Parameters
    ----------
    comments : DataFrame
        ``Survey.comments`` (``respondent``, group columns, ``question``, ``text``).
    respondents : DataFrame
        ``Survey.respondents``: the group sizes are counted here (everyone who
        responded, not only those who commented).
    by : str or list of str, optional
        The groups comments are shown under (default ``partner``); ``None``:
        all respondents form one group.
    min_n : int
        Anonymity minimum of the figures; comments need ``max(min_n, 10)``,
        because words identify people more easily than averages.

    Returns
    -------
    DataFrame
        The rows of ``comments`` from large enough groups, without the
        ``respondent`` column (text is still raw: escape it where rendered,
        :func:`partnerlib.narrative.esc`).  ``attrs["hidden"]`` lists the
        groups whose comments were withheld, ``attrs["threshold"]`` the size needed.
    """
    by = _as_list(by)
    threshold = max(int(min_n), COMMENTS_MIN_N)
    missing = [c for c in by if c not in comments.columns or c not in respondents.columns]
    if missing:
        raise PartnerDataError(f"cannot group comments by {missing}: column missing from the comments or "
                               "respondents table")
    if by:
        sizes = respondents.groupby(by, observed=True).size()
        big = {tuple(map(str, k if isinstance(k, tuple) else (k,))) for k, v in sizes.items() if v >= threshold}
        keys = list(zip(*[comments[c].astype(str) for c in by]))
        keep = pd.Series([k in big for k in keys], index=comments.index, dtype=bool)
        hidden = sorted({" · ".join(k) for k in keys if k not in big})
    else:
        keep = pd.Series(len(respondents) >= threshold, index=comments.index, dtype=bool)
        hidden = [] if len(respondents) >= threshold else ["all respondents"]
    out = comments.loc[keep].drop(columns=["respondent"], errors="ignore").reset_index(drop=True)
    out.attrs["hidden"] = hidden
    out.attrs["threshold"] = threshold
    return out
