"""Which free-text comments may be shown: only those of large enough groups (pure function)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..exceptions import PartnerDataError
from ..settings import METHOD, Method
from .aggregate import as_list


@dataclass
class ShownComments:
    """The comments a report may show, and what was withheld.

    Attributes
    ----------
    comments : DataFrame
        The rows of ``Survey.comments`` from large enough groups, without the
        ``respondent`` column (text is still raw: escape it where rendered).
    hidden : list of str
        The groups whose comments were withheld (``"Contoso · Manager"``).
    threshold : int
        The group size from which comments are shown.
    """

    comments: pd.DataFrame
    hidden: list[str] = field(default_factory=list)
    threshold: int = METHOD.comments_threshold


def comments_to_show(
    comments: pd.DataFrame, respondents: pd.DataFrame, *, by="partner", method: Method = METHOD
) -> ShownComments:
    """Keep the comments of groups with at least ``method.comments_threshold`` respondents.

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
    method : Method
        Comments need ``method.comments_threshold`` = ``max(min_n, comments_min_n)`` respondents (10 by
        default), because words identify people more easily than averages.

    Returns
    -------
    ShownComments
    """
    by = as_list(by)
    threshold = method.comments_threshold
    missing = [c for c in by if c not in comments.columns or c not in respondents.columns]
    if missing:
        raise PartnerDataError(
            f"cannot group comments by {missing}: column missing from the comments or respondents table"
        )
    if by:
        sizes = respondents.groupby(by, observed=True).size()
        big = {tuple(map(str, k if isinstance(k, tuple) else (k,))) for k, v in sizes.items() if v >= threshold}
        keys = list(zip(*[comments[c].astype(str) for c in by]))
        keep = pd.Series([k in big for k in keys], index=comments.index, dtype=bool)
        hidden = sorted({" · ".join(k) for k in keys if k not in big})
    else:
        keep = pd.Series(len(respondents) >= threshold, index=comments.index, dtype=bool)
        hidden = [] if len(respondents) >= threshold else ["all respondents"]
    shown = comments.loc[keep].drop(columns=["respondent"], errors="ignore").reset_index(drop=True)
    return ShownComments(shown, hidden, threshold)
