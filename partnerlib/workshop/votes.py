"""Dot voting in the workshop's Prioritise step (pure functions, no widgets).

Each participant spreads a fixed number of dots over the principles.  Votes
are kept as ``{participant: {principle: dots}}``; casting again for the same
participant replaces their earlier dots, so a slip can be corrected; names
are matched without case or surrounding spaces ("ann " is "Ann").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..analysis import priorities as proposed_priorities
from ..analysis.scores import gap_ranking
from ..exceptions import PartnerDataError

Votes = Mapping[str, Mapping[str, int]]


def cast_votes(
    votes: Votes, participant: str, allocation: Mapping[str, int], *, dots: int, principles
) -> dict[str, dict[str, int]]:
    """Return a copy of ``votes`` with ``participant``'s dots set to ``allocation``.

    Parameters
    ----------
    votes : mapping
        ``{participant: {principle: dots}}`` cast so far.
    participant : str
        Who votes (a name or a label such as "Table 3"); blanks around it are ignored.
    allocation : mapping
        ``{principle: dots}``; principles left out get none.
    dots : int
        The number of dots each participant has.
    principles : sequence of str
        The principles that can be voted for.

    Raises
    ------
    PartnerDataError
        For a blank participant, an unknown principle, a negative or
        non-whole number of dots, no dots at all, or more than ``dots`` in total
        (the message says how many were given and how many are allowed).
    """
    name = " ".join(str(participant or "").split())
    if not name:
        raise PartnerDataError("participant: enter a name or label for whoever is voting")
    known = [str(p) for p in principles]
    unknown = [p for p in allocation if str(p) not in known]
    if unknown:
        raise PartnerDataError(f"votes for unknown principles {unknown}; expected some of {known}")
    clean = {}
    for principle, n in allocation.items():
        if isinstance(n, bool) or not float(n).is_integer() or n < 0:
            raise PartnerDataError(f"principle '{principle}': dots must be a whole number from 0, got {n!r}")
        if n:
            clean[str(principle)] = int(n)
    total = sum(clean.values())
    if total == 0:
        raise PartnerDataError(f"participant '{name}': no dots placed; spread up to {dots} over the principles")
    if total > dots:
        raise PartnerDataError(f"participant '{name}': {total} dots placed but each participant has {dots}")
    out = {p: dict(a) for p, a in votes.items() if participant_key(p) != participant_key(name)}
    out[name] = clean
    return out


def participant_key(name: str) -> str:
    """How participant names are matched: spaces collapsed and trimmed, case ignored."""
    return " ".join(str(name).split()).casefold()


def dots_left(votes: Votes, dots: int) -> pd.DataFrame:
    """Who has voted and how many of their ``dots`` are left.

    Returns
    -------
    DataFrame
        ``participant``, ``placed`` (dots cast), ``left`` (``dots - placed``), in
        the order the participants first voted.
    """
    placed = [sum(int(n) for n in a.values()) for a in votes.values()]
    return pd.DataFrame(
        {"participant": list(votes), "placed": placed, "left": [dots - n for n in placed]},
        columns=["participant", "placed", "left"],
    ).astype({"participant": "str", "placed": "int64", "left": "int64"})


def undo_reset(votes: Votes, cleared: Votes) -> dict[str, dict[str, int]]:
    """The votes a *Reset* cleared, brought back; a participant who voted again since keeps the new dots."""
    out = {p: dict(a) for p, a in cleared.items()}
    for name, allocation in votes.items():
        out = {p: a for p, a in out.items() if participant_key(p) != participant_key(name)}
        out[name] = dict(allocation)
    return out


def tally(votes: Votes, principles) -> pd.DataFrame:
    """Dots per principle.

    Returns
    -------
    DataFrame
        One row per principle, in the given order: ``principle``, ``dots`` (sum
        over participants), ``voters`` (participants who gave it at least one
        dot) and ``share`` (``dots`` over all dots cast; 0 when none are cast).
    """
    names = [str(p) for p in principles]
    dots = {p: 0 for p in names}
    voters = {p: 0 for p in names}
    for allocation in votes.values():
        for principle, n in allocation.items():
            dots[principle] += int(n)
            voters[principle] += 1 if n else 0
    out = pd.DataFrame({"principle": names, "dots": [dots[p] for p in names], "voters": [voters[p] for p in names]})
    total = out["dots"].sum()
    out["share"] = out["dots"] / total if total else 0.0
    return out


def priorities(scores: pd.DataFrame, votes_tally: pd.DataFrame) -> pd.DataFrame:
    """The gap ranking and the report's proposal beside the dot tally.

    Parameters
    ----------
    scores : DataFrame
        :func:`partnerlib.principle_scores` of the review period (one group).
    votes_tally : DataFrame
        Output of :func:`tally`.

    Returns
    -------
    DataFrame
        One row per principle: ``gap_rank`` (1 = largest gap, as ranked by
        :func:`partnerlib.analysis.scores.gap_ranking`; missing for suppressed
        principles), ``proposed`` (the principle's rank among the report's
        proposed priorities, :func:`partnerlib.analysis.priorities` with the
        report's own rule and number of them: "concentrate here" principles,
        largest gap first; missing if not proposed),
        ``principle``, ``current``, ``importance``, ``gap``, ``dots``,
        ``voters``, ``share``, ordered by ``gap_rank`` with suppressed
        principles last.
    """
    gaps = gap_ranking(scores)[["rank", "principle", "current", "importance", "gap"]]
    gaps = gaps.rename(columns={"rank": "gap_rank"})
    gaps["principle"] = gaps["principle"].astype("str")
    proposal = proposed_priorities(scores)
    frame = votes_tally.assign(principle=votes_tally["principle"].astype("str"))
    out = frame.merge(gaps, on="principle", how="left")
    out["gap_rank"] = out["gap_rank"].astype("Int64")
    out["proposed"] = out["principle"].map(dict(zip(proposal["principle"], proposal["rank"]))).astype("Int64")
    out = out.sort_values("gap_rank", kind="stable", na_position="last").reset_index(drop=True)
    return out[["gap_rank", "proposed", "principle", "current", "importance", "gap", "dots", "voters", "share"]]
