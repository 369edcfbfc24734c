"""One partnership review: every input read and every table computed, once.

:func:`analyse_review` is what the review notebook (and anything else that
needs a whole review: the workshop, the portfolio index) calls.  It reads
the inputs at the edge and composes the pure analysis functions; it draws
nothing and writes nothing.  Optional inputs given as ``""`` or ``None`` are
skipped, and the matching tables are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import textwrap

import numpy as np
import pandas as pd

from .actions import action_followup, read_actions
from .codebook import load_codebook
from .comments import comments_to_show
from .compare import perception_gaps, period_change
from .config import DEFAULT_MIN_N
from .engagement import engagement, read_roster
from .exceptions import PartnerDataError
from .kpis import kpi_scorecard, read_kpis
from .likert import likert_counts
from .objectives import objectives_alignment, read_objectives
from .reliability import reliability
from .scores import principle_scores, strengths_and_gaps
from .survey import Survey, read_surveys, select_period


@dataclass
class ReviewResults:
    """Every table of one review.  Tables whose input was not given are ``None``.

    Attributes
    ----------
    client, period : str
    previous : str or None
        The period before ``period`` among the surveys, if any.
    min_n : int
        Anonymity minimum used throughout.
    survey : Survey
        All periods read.
    responses, respondents : DataFrame
        The tidy table and respondents of ``period`` only.
    scores : DataFrame
        :func:`principle_scores` of ``period``.
    ranking : DataFrame
        :func:`strengths_and_gaps` of ``scores`` (top 3 each).
    scores_by_partner, scores_by_role, scores_by_period : DataFrame
        :func:`principle_scores` by ``partner``; by ``partner`` and ``role``; by ``period`` (all periods).
    perception : DataFrame
        :func:`perception_gaps` between the organisations in ``period``.
    change : DataFrame or None
        :func:`period_change` over all periods; ``None`` with one period only.
    reliability : DataFrame
        :func:`reliability` of ``period``.
    likert : DataFrame
        :func:`likert_counts` per statement of ``period`` (not-applicable apart).
    engagement : DataFrame or None
        :func:`engagement` against the roster.
    scorecard, kpis : DataFrame or None
        :func:`kpi_scorecard` for ``period``, and all KPI rows (for trends).
    alignment : DataFrame or None
        :func:`objectives_alignment` (``attrs["alignment_index"]``).
    followup : DataFrame or None
        :func:`action_followup` of the actions register.
    comments : DataFrame
        Comments of ``period`` that may be shown (groups of 10+), and
        ``hidden_comment_groups`` the groups withheld.
    priorities : DataFrame
        :func:`priorities` for the action workshop.
    """

    client: str
    period: str
    previous: str | None
    min_n: int
    survey: Survey
    responses: pd.DataFrame
    respondents: pd.DataFrame
    scores: pd.DataFrame
    ranking: pd.DataFrame
    scores_by_partner: pd.DataFrame
    scores_by_role: pd.DataFrame
    scores_by_period: pd.DataFrame
    perception: pd.DataFrame
    change: pd.DataFrame | None
    reliability: pd.DataFrame
    likert: pd.DataFrame
    engagement: pd.DataFrame | None
    scorecard: pd.DataFrame | None
    kpis: pd.DataFrame | None
    alignment: pd.DataFrame | None
    followup: pd.DataFrame | None
    comments: pd.DataFrame
    hidden_comment_groups: list
    priorities: pd.DataFrame

    @property
    def scale(self) -> tuple[float, float]:
        """Scale bounds of the codebook."""
        return self.survey.scale


def _given(path) -> bool:
    return path is not None and str(path).strip() != ""


def statement_labels(codebook, items, *, width: int = 60) -> list[str]:
    """Each item's statement text from the codebook (wrapped at ``width``), or the item name where it has none."""
    texts = {st.item: st.text for st in load_codebook(codebook).statements}
    return [textwrap.fill(texts.get(str(i)) or str(i), width) for i in items]


def scale_point_labels(codebook, measure: str = "current") -> list[str] | None:
    """The answer label of each whole scale point, lowest first, for chart legends.

    Taken from the codebook's ``scale.labels`` (the first label given for each
    point; the importance labels, listed after, are used for
    ``measure="importance"`` where a second label exists); ``None`` where a
    point has no label.
    """
    cb = load_codebook(codebook)
    by_point: dict[float, list[str]] = {}
    for label, value in cb.labels.items():
        by_point.setdefault(value, []).append(label)
    points = np.arange(cb.scale_min, cb.scale_max + 1)
    pick = 0 if measure == "current" else -1
    if not all(p in by_point for p in points):
        return None
    return [by_point[p][pick][:1].upper() + by_point[p][pick][1:] for p in points]


def priorities(scores: pd.DataFrame, perception: pd.DataFrame | None = None, followup: pd.DataFrame | None = None,
               *, top: int = 3) -> pd.DataFrame:
    """The principles proposed for the action workshop.

    Parameters
    ----------
    scores : DataFrame
        :func:`principle_scores` of the period (one group).
    perception : DataFrame, optional
        :func:`perception_gaps`; flagged disagreements are noted.
    followup : DataFrame, optional
        :func:`action_followup`; the outcome of earlier actions on the principle is noted.
    top : int
        How many principles to propose.

    Returns
    -------
    DataFrame
        ``rank, principle, gap, current, importance, quadrant, disagreement``
        (the flagged difference between the organisations, else missing) and
        ``earlier_actions`` (e.g. ``"2 (1 closed, 1 narrowed)"``, or ``"none"``).
        The principles are the ``top`` largest gaps among the shown
        principles, ``concentrate here`` first (high importance, low current),
        then by gap.
    """
    shown = scores[~scores["suppressed"].astype(bool)].dropna(subset=["gap"]).copy()
    shown["_focus"] = (shown["quadrant"].astype("object") == "concentrate here").astype(int)
    shown = shown.sort_values(["_focus", "gap"], ascending=[False, False], kind="stable").head(top)
    out = shown[["principle", "gap", "current", "importance", "quadrant"]].reset_index(drop=True)
    out["principle"] = out["principle"].astype("str")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    diff = pd.Series(np.nan, index=out.index)
    if perception is not None and len(perception):
        flagged = perception[perception["flag"].astype(bool)]
        lookup = dict(zip(flagged["principle"].astype(str), flagged["difference"].abs()))
        diff = out["principle"].map(lookup).astype(float)
    out["disagreement"] = diff
    notes = []
    for p in out["principle"]:
        if followup is None or followup.empty:
            notes.append("none")
            continue
        rows = followup[followup["principle"].astype(str) == p]
        if rows.empty:
            notes.append("none")
            continue
        counts = rows["outcome"].astype(str).value_counts()
        notes.append(f"{len(rows)} (" + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")")
    out["earlier_actions"] = notes
    return out


def analyse_review(*, surveys: Mapping[str, str], codebook, period: str, client: str = "", roster=None,
                   kpis=None, objectives=None, actions=None, min_n: int = DEFAULT_MIN_N,
                   review_date=None) -> ReviewResults:
    """Read a review's inputs and compute every table of the report.

    Parameters
    ----------
    surveys : mapping
        ``{period: export path}``; must contain ``period``.
    codebook : path, dict or Codebook
    period : str
        The period under review.
    client : str
    roster, kpis, objectives, actions : path, optional
        Skipped where ``None`` or ``""``.
    min_n : int
        Anonymity minimum.
    review_date : date-like, optional
        The date of the review, at which actions are judged overdue; default
        (``None`` or ``""``) the first day of ``period`` (see :func:`action_followup`).

    Raises
    ------
    PartnerDataError
        If ``period`` has no survey, or any input is invalid (see the readers).
    """
    period = str(period)
    surveys = {str(k): v for k, v in surveys.items()}
    if period not in surveys:
        raise PartnerDataError(f"period {period!r} has no survey export; surveys are given for {sorted(surveys)}")
    cb = load_codebook(codebook)
    survey = read_surveys(surveys, cb)
    periods = survey.periods
    earlier = [p for p in periods if p < period]
    responses = select_period(survey.responses, period)
    respondents = select_period(survey.respondents, period)
    scores = principle_scores(responses, min_n=min_n)
    perception = perception_gaps(responses, min_n=min_n)
    scores_by_period = principle_scores(survey.responses, by="period", min_n=min_n)
    upto = survey.responses[survey.responses["period"].astype(str) <= period]
    upto.attrs = dict(survey.responses.attrs)
    change = period_change(upto, min_n=min_n) if earlier else None
    na = survey.not_applicable[survey.not_applicable["period"].astype(str) == period]
    likert = likert_counts(responses, level="item", not_applicable=na, min_n=min_n)
    likert.insert(1, "statement", statement_labels(cb, likert["item"]))

    engagement_table = engagement(respondents, read_roster(roster)) if _given(roster) else None
    kpi_rows = read_kpis(kpis) if _given(kpis) else None
    scorecard = kpi_scorecard(kpi_rows, period) if kpi_rows is not None else None
    alignment = objectives_alignment(read_objectives(objectives)) if _given(objectives) else None
    as_of = review_date if _given(review_date) else None
    followup = (action_followup(read_actions(actions), scores_by_period, period=period, as_of=as_of)
                if _given(actions) else None)
    period_comments = survey.comments[survey.comments["period"].astype(str) == period]
    shown_comments = comments_to_show(period_comments, respondents, by="partner", min_n=min_n)
    return ReviewResults(
        client=client, period=period, previous=earlier[-1] if earlier else None, min_n=min_n, survey=survey,
        responses=responses, respondents=respondents, scores=scores,
        ranking=strengths_and_gaps(scores, top=3),
        scores_by_partner=principle_scores(responses, by="partner", min_n=min_n),
        scores_by_role=principle_scores(responses, by=["partner", "role"], min_n=min_n),
        scores_by_period=scores_by_period, perception=perception, change=change,
        reliability=reliability(responses), likert=likert, engagement=engagement_table,
        scorecard=scorecard, kpis=kpi_rows, alignment=alignment, followup=followup,
        comments=shown_comments, hidden_comment_groups=list(shown_comments.attrs["hidden"]),
        priorities=priorities(scores, perception, followup),
    )


def headlines(results: ReviewResults) -> dict:
    """The headline figures of a review, for :func:`partnerlib.portfolio.record_headlines`.

    ``respondents`` kept in the period; ``response_rate`` = respondents / invited
    (with a roster); the strengths and priority gaps by name; the biggest
    flagged disagreement; KPI status counts.
    """
    r = results
    rate = None
    if r.engagement is not None:
        totals = r.engagement[r.engagement["role"].astype(str) == "All roles"]
        if totals["invited"].sum():
            rate = float(totals["responded"].sum() / totals["invited"].sum())
    flagged = r.perception[r.perception["flag"].astype(bool)] if len(r.perception) else r.perception
    disagreement = None
    if len(flagged):
        disagreement = str(flagged.loc[flagged["difference"].abs().idxmax(), "principle"])
    kpi_status = None
    if r.scorecard is not None:
        kpi_status = {str(k): int(v) for k, v in r.scorecard["status"].astype(str).value_counts().items()}
    return {
        "respondents": int(len(r.respondents)),
        "response_rate": rate,
        "strengths": r.ranking.loc[r.ranking["kind"] == "strength", "principle"].astype(str).tolist(),
        "gaps": r.priorities["principle"].astype(str).tolist(),
        "disagreement": disagreement,
        "kpi_status": kpi_status,
    }
