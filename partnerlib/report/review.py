"""One partnership review: every input read and every table computed, once.

:func:`analyse_review` is what the review notebook (and anything else that
needs a whole review: the workshop, the portfolio index) calls.  It reads
the inputs at the edge (:mod:`partnerlib.io`), composes the pure analysis
functions (:mod:`partnerlib.analysis`) with one :class:`~partnerlib.settings.Method`,
and keeps that method in its results so that the report's text states the
values applied.  It draws nothing and writes nothing.  Optional inputs given
as ``""`` or ``None`` are skipped, and the matching tables are ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import analysis
from ..analysis import CommentThemes, ShownComments
from ..analysis.norms import percentile_ranks
from ..exceptions import PartnerDataError
from ..io import (
    Survey,
    load_codebook,
    read_actions,
    read_kpis,
    read_objectives,
    read_roster,
    read_surveys,
    select_period,
)
from ..io.norms import read_norm_records
from ..settings import METHOD, Method
from ..vocabulary import ALL_ROLES


@dataclass
class ReviewResults:
    """Every table of one review.  Tables whose input was not given are ``None``.

    Attributes
    ----------
    client, period : str
    previous : str or None
        The period before ``period`` among the surveys, if any.
    method : Method
        The thresholds and cut-offs applied throughout (``method.min_n`` the anonymity minimum).
    survey : Survey
        All periods read.
    responses, respondents : DataFrame
        The tidy table and respondents of ``period`` only.
    scores : DataFrame
        :func:`partnerlib.principle_scores` of ``period``.
    ranking : DataFrame
        :func:`partnerlib.strengths_and_gaps` of ``scores``.
    scores_by_partner, scores_by_role, scores_by_period : DataFrame
        Scores by ``partner``; by ``partner`` and ``role``; by ``period`` (all periods).
    perception : DataFrame
        :func:`partnerlib.perception_differences` between the organisations in ``period``.
    change : DataFrame or None
        :func:`partnerlib.period_change` up to ``period``; ``None`` with one period only.
    reliability : DataFrame
        :func:`partnerlib.reliability` of ``period``.
    likert : DataFrame
        :func:`partnerlib.likert_counts` per statement of ``period`` (not-applicable apart): the answers as
        given, reverse-worded statements included; with the statement's ``principle`` and its text in
        ``statement`` (marked "(reverse-scored)" where its score is reversed).
    engagement : DataFrame or None
        :func:`partnerlib.engagement` against the roster.
    scorecard, kpis : DataFrame or None
        :func:`partnerlib.kpi_scorecard` for ``period``, and all KPI rows (for trends).
    alignment : DataFrame or None
        :func:`partnerlib.objectives_alignment`; ``alignment_index`` its share aligned.
    followup : DataFrame or None
        :func:`partnerlib.action_followup` of the actions register.
    comments : ShownComments
        Comments of ``period`` that may be shown, and the groups withheld.
    themes : CommentThemes
        :func:`partnerlib.comment_themes` of the shown comments: what they are about, per organisation.
    norms : DataFrame or None
        :func:`partnerlib.analysis.norms.percentile_ranks` against the portfolio's norms, where given.
    priorities : DataFrame
        :func:`partnerlib.analysis.priorities` for the action workshop.
    date : datetime.date
        The date of the review: ``review_date`` where given, else the day the review was analysed.
    drivers : DataFrame or None
        :func:`partnerlib.key_drivers` of ``period`` (everyone); ``None`` where the codebook has no outcome.
    grid : DataFrame or None
        :func:`partnerlib.importance_grid` of ``scores`` and ``drivers``.
    detectable, detectable_change : DataFrame or None
        :func:`partnerlib.analysis.power.detectable_differences` between the two organisations, and between
        ``previous`` and ``period``; ``None`` where there are not two organisations, or no previous period.
    """

    client: str
    period: str
    previous: str | None
    method: Method
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
    alignment_index: float | None
    followup: pd.DataFrame | None
    comments: ShownComments
    priorities: pd.DataFrame
    themes: CommentThemes
    norms: pd.DataFrame | None = None
    date: dt.date | None = None
    drivers: pd.DataFrame | None = None
    grid: pd.DataFrame | None = None
    detectable: pd.DataFrame | None = None
    detectable_change: pd.DataFrame | None = None

    @property
    def drivers_shown(self) -> bool:
        """Whether the review has key drivers to show: an outcome in the codebook and a group large enough."""
        return self.drivers is not None and not self.drivers["suppressed"].all()

    @property
    def shown_grid(self) -> pd.DataFrame | None:
        """The importance grid where key drivers are shown (what the report's grid chart and table draw), else
        ``None``."""
        return self.grid if self.drivers_shown and self.grid is not None and len(self.grid) else None

    @property
    def scale(self) -> tuple[float, float]:
        """Scale bounds of the codebook."""
        return self.survey.scale

    @property
    def min_n(self) -> int:
        """The anonymity minimum applied."""
        return self.method.min_n

    @property
    def trend(self) -> pd.DataFrame | None:
        """``scores_by_period`` where there is an earlier period to compare with (what the trend chart draws)."""
        return self.scores_by_period if self.change is not None else None


def _given(path) -> bool:
    return path is not None and str(path).strip() != ""


def review_method(method: Method | Mapping | None = None, *, min_n: int | None = None) -> Method:
    """The :class:`Method` of a review: ``method`` (a Method or a mapping of overrides), with ``min_n`` on top."""
    base = method if isinstance(method, Method) else METHOD
    overrides = dict(method) if isinstance(method, Mapping) else {}
    if min_n is not None:
        overrides["min_n"] = min_n
    try:
        return Method(**{**base.model_dump(), **overrides}) if overrides else base
    except Exception as exc:  # pydantic's ValidationError: say it as a data error
        raise PartnerDataError(f"method settings {overrides}: {exc}") from None


def _check_not_empty(survey: Survey) -> None:
    """Refuse an export that keeps no response: its period would vanish, and the review would silently compare
    with the period before it (or lose the period under review)."""
    for source in survey.sources.to_dict("records"):
        rows = int(source["rows"])
        if int(source["kept"]) == 0:
            dropped = f", {rows} left out as previews, incomplete or blank" if rows else ""
            raise PartnerDataError(
                f"the survey export of period {str(source['period'])!r} holds no response to use ({rows} rows read"
                f"{dropped}); expected the export with its responses, or the period left out of 'surveys' (an "
                "empty export would silently compare the review with an earlier period)",
                path=str(source["path"]),
            )


def _invited(roster: pd.DataFrame | None, by, period: str) -> pd.DataFrame | None:
    return None if roster is None else analysis.invited_counts(roster, by, period=period)


def _statistics(survey: Survey, period: str, previous: str | None, tables: dict, m: Method) -> dict:
    """What the data can detect, and the key drivers where the codebook names an outcome."""
    responses = tables["responses"]
    sides = sorted(responses["partner"].astype(str).unique().tolist())
    detectable = (
        analysis.detectable_differences(responses, between="partner", a=sides[0], b=sides[1], method=m)
        if len(sides) == 2
        else None
    )
    detectable_change = None
    if previous is not None:
        both = survey.responses[survey.responses["period"].astype(str).isin([previous, period])]
        detectable_change = analysis.detectable_differences(both, between="period", a=previous, b=period, method=m)
    drivers = grid = None
    if survey.codebook.outcome is not None:
        drivers = analysis.key_drivers(responses, tables["respondents"], method=m)
        grid = analysis.importance_grid(tables["scores"], drivers)
    return {"drivers": drivers, "grid": grid, "detectable": detectable, "detectable_change": detectable_change}


def _score_tables(survey: Survey, period: str, m: Method, roster: pd.DataFrame | None = None) -> dict:
    """The survey tables of ``period``: scores, rankings, comparisons, distributions, comments.

    With a ``roster``, intervals and tests apply the finite-population correction to the numbers invited.
    """
    responses = select_period(survey.responses, period)
    respondents = select_period(survey.respondents, period)
    # One pattern of hidden groups for every score table of the review (overall, by organisation, by
    # organisation and role), so that no table can be subtracted from another to reveal a small group.
    pattern = analysis.score_pattern(responses, ["partner", "role"], method=m)
    scores = analysis.principle_scores(
        responses, scale=survey.scale, method=m, pattern=pattern, population=_invited(roster, None, period)
    )
    upto = survey.responses[survey.responses["period"].astype(str) <= period]
    earlier = [p for p in survey.periods if p < period]
    na = survey.not_applicable[survey.not_applicable["period"].astype(str) == period]
    likert = analysis.likert_counts(
        responses,
        level="item",
        not_applicable=na,
        reversed_items=survey.codebook.reversed_items(),
        scale=survey.scale,
        method=m,
    )
    likert.insert(1, "statement", [survey.codebook.statement_label(i) for i in likert["item"]])
    likert.insert(0, "principle", [survey.codebook.principle_of(i) for i in likert["item"]])
    period_comments = survey.comments[survey.comments["period"].astype(str) == period]
    shown = analysis.comments_to_show(period_comments, respondents, by="partner", method=m)
    return {
        "previous": earlier[-1] if earlier else None,
        "responses": responses,
        "respondents": respondents,
        "scores": scores,
        "ranking": analysis.strengths_and_gaps(scores, method=m),
        "scores_by_partner": analysis.principle_scores(
            responses,
            by="partner",
            scale=survey.scale,
            method=m,
            pattern=pattern,
            population=_invited(roster, "partner", period),
        ),
        "scores_by_role": analysis.principle_scores(
            responses,
            by=["partner", "role"],
            scale=survey.scale,
            method=m,
            pattern=pattern,
            population=_invited(roster, ["partner", "role"], period),
        ),
        "scores_by_period": analysis.principle_scores(
            survey.responses, by="period", scale=survey.scale, method=m, margins=False
        ),
        "perception": analysis.perception_differences(
            responses, method=m, pattern=pattern, population=_invited(roster, "partner", period)
        ),
        "change": analysis.period_change(upto, method=m) if earlier else None,
        "reliability": analysis.reliability(responses, method=m),
        "likert": likert,
        "comments": shown,
        "themes": analysis.comment_themes(shown, survey.codebook),
    }


def _engagement(respondents: pd.DataFrame, roster: pd.DataFrame, path, m: Method) -> pd.DataFrame:
    """Response rates against the roster (read from ``path``); a mismatch with the survey names the roster file."""
    try:
        return analysis.engagement(respondents, roster, method=m)
    except PartnerDataError as exc:
        raise exc.located(path=path) from None


def _cycle_tables(
    tables: dict,
    period: str,
    m: Method,
    *,
    roster,
    roster_path=None,
    kpis,
    objectives,
    actions,
    review_date,
    principles,
) -> dict:
    """The tables of the review cycle's other inputs: engagement, KPIs, objectives, actions follow-up (each action
    naming one of the codebook's ``principles``)."""
    kpi_rows = read_kpis(kpis) if _given(kpis) else None
    alignment = analysis.objectives_alignment(read_objectives(objectives), method=m) if _given(objectives) else None
    as_of = review_date if _given(review_date) else None
    followup = (
        analysis.action_followup(
            read_actions(actions, principles=principles),
            tables["scores_by_period"],
            period=period,
            as_of=as_of,
            method=m,
        )
        if _given(actions)
        else None
    )
    return {
        "engagement": _engagement(tables["respondents"], roster, roster_path, m) if roster is not None else None,
        "kpis": kpi_rows,
        "scorecard": analysis.kpi_scorecard(kpi_rows, period, method=m) if kpi_rows is not None else None,
        "alignment": alignment,
        "alignment_index": analysis.alignment_index(alignment) if alignment is not None else None,
        "followup": followup,
        "priorities": analysis.priorities(tables["scores"], tables["perception"], followup, method=m),
    }


def analyse_review(
    *,
    surveys: Mapping[str, str],
    codebook,
    period: str,
    client: str = "",
    roster=None,
    kpis=None,
    objectives=None,
    actions=None,
    norms=None,
    min_n: int | None = None,
    review_date=None,
    method: Method | Mapping | None = None,
) -> ReviewResults:
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
    norms : path, optional
        The portfolio's ``norms.csv`` (``partnerlib norms``): each principle is then ranked among the other
        clients' partnerships (:func:`partnerlib.analysis.norms.percentile_ranks`).
    min_n : int, optional
        Anonymity minimum (default ``method.min_n``, 5).
    review_date : date-like, optional
        The date of the review, at which actions are judged overdue; default
        (``None`` or ``""``) the first day of ``period`` (see :func:`partnerlib.action_followup`).
    method : Method or mapping, optional
        The method's numbers (:class:`partnerlib.settings.Method`), or a mapping of overrides.

    Raises
    ------
    PartnerDataError
        If ``period`` has no survey, or any input is invalid (see the readers).
    """
    period = str(period)
    surveys = {str(k): v for k, v in surveys.items()}
    if period not in surveys:
        raise PartnerDataError(f"period {period!r} has no survey export; surveys are given for {sorted(surveys)}")
    m = review_method(method, min_n=min_n)
    survey = read_surveys(surveys, load_codebook(codebook))
    _check_not_empty(survey)
    roster_rows = read_roster(roster) if _given(roster) else None
    tables = _score_tables(survey, period, m, roster_rows)
    tables.update(_statistics(survey, period, tables["previous"], tables, m))
    tables.update(
        _cycle_tables(
            tables,
            period,
            m,
            roster=roster_rows,
            roster_path=roster,
            kpis=kpis,
            objectives=objectives,
            actions=actions,
            review_date=review_date,
            principles=survey.codebook.principle_order,
        )
    )
    tables["norms"] = (
        percentile_ranks(
            tables["scores"],
            read_norm_records(norms),
            client=client,
            scale=survey.scale,
            method=m,
            pooled=survey.codebook.norm,
        )
        if _given(norms)
        else None
    )
    date = pd.Timestamp(review_date).date() if _given(review_date) else dt.date.today()
    return ReviewResults(client=client, period=period, method=m, survey=survey, date=date, **tables)


def headlines(results: ReviewResults) -> dict:
    """The headline figures of a review, for the portfolio page (:func:`partnerlib.report.record_headlines`).

    ``respondents`` kept in the period; ``response_rate`` = respondents / invited
    (with a roster); the strengths and priority gaps by name; the biggest
    flagged disagreement; KPI status counts; each shown principle's overall current score and the scale (what
    the portfolio norms are built from, :mod:`partnerlib.io.norms`).
    """
    r = results
    rate = None
    if r.engagement is not None:
        totals = r.engagement[r.engagement["role"].astype(str) == ALL_ROLES]
        if totals["invited"].sum():
            rate = float(totals["responded"].sum() / totals["invited"].sum())
    flagged = r.perception[r.perception["flag"].astype(bool)] if len(r.perception) else r.perception
    disagreement = None
    if len(flagged):
        biggest = int(np.argmax(flagged["difference"].abs().to_numpy()))
        disagreement = str(flagged["principle"].iloc[biggest])
    kpi_status = None
    if r.scorecard is not None:
        kpi_status = {str(k): int(v) for k, v in r.scorecard["status"].astype(str).value_counts().items()}
    return {
        "respondents": len(r.respondents),
        "response_rate": rate,
        "strengths": r.ranking.loc[r.ranking["kind"] == "strength", "principle"].astype(str).tolist(),
        "gaps": r.priorities["principle"].astype(str).tolist(),
        "disagreement": disagreement,
        "kpi_status": kpi_status,
        "scores": {
            str(p): float(c)
            for p, c, hidden in zip(r.scores["principle"], r.scores["current"], r.scores["suppressed"])
            if not hidden and pd.notna(c)
        },
        "scale": list(r.scale),
        "norm": {
            str(p): name for p, name in r.survey.codebook.norm.items() if p in set(r.scores["principle"].astype(str))
        },
    }
