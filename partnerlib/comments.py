"""Which respondents' comments may be shown (pure functions).

Free text is the most identifying thing a respondent gives, so comments are
shown only for groups of at least ``max(min_n, COMMENTS_MIN_N)`` respondents
(10 by default), grouped by organisation within a period.  The text itself
is left as written; whatever renders it must escape it.
"""

from __future__ import annotations

import pandas as pd

from .config import COMMENTS_MIN_N, DEFAULT_MIN_N


def visible_comments(comments: pd.DataFrame, respondents: pd.DataFrame, *, by=("period", "partner"),
                     min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """The comments of groups large enough to show them.

    Parameters
    ----------
    comments : DataFrame
        ``Survey.comments`` (``respondent, partner, role, period, question, text``).
    respondents : DataFrame
        ``Survey.respondents``: group sizes are counted there (kept respondents,
        whether or not they commented).
    by : sequence of str
        The grouping within which the threshold applies.
    min_n : int
        Anonymity minimum; the threshold is ``max(min_n, 10)``.

    Returns
    -------
    DataFrame
        The rows of ``comments`` whose group has at least the threshold of
        respondents, with ``group_size`` added; column ``respondent`` is dropped.
    """
    threshold = max(min_n, COMMENTS_MIN_N)
    by = list(by)
    sizes = respondents.groupby(by, observed=True).size().rename("group_size").reset_index()
    for col in by:
        sizes[col] = sizes[col].astype("str")
    keyed = comments.assign(**{c: comments[c].astype("str") for c in by})
    merged = keyed.merge(sizes, on=by, how="left")
    merged["group_size"] = merged["group_size"].fillna(0).astype("int64")
    shown = merged[merged["group_size"] >= threshold].drop(columns=["respondent"])
    return shown.reset_index(drop=True)


def hidden_comment_groups(comments: pd.DataFrame, respondents: pd.DataFrame, *, by=("period", "partner"),
                          min_n: int = DEFAULT_MIN_N) -> list[str]:
    """Names of the groups whose comments are withheld because the group is too small."""
    threshold = max(min_n, COMMENTS_MIN_N)
    by = list(by)
    sizes = respondents.groupby(by, observed=True).size()
    small = sizes[sizes < threshold]
    with_comments = set(map(tuple, comments[by].astype("str").itertuples(index=False)))
    names = []
    for key in small.index:
        key = key if isinstance(key, tuple) else (key,)
        if tuple(map(str, key)) in with_comments:
            names.append(" / ".join(map(str, key)))
    return names
