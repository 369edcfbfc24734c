"""The workshop's Explore views: which analysis and which chart each shows.

A view is registered once in :data:`VIEWS` with the pure ``partnerlib``
function that computes its table and the ``partnerlib.plots`` function that
draws it; the widgets only pick a view and call :func:`explore`, so a figure
in the workshop is always computed exactly as in the report.  Every view
goes through the anonymity guard of :mod:`.filters` first and then passes
the review's :class:`~partnerlib.settings.Method` on to the analysis function, which suppresses its own small
groups.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from .. import plots
from ..analysis import (
    comment_themes,
    comments_to_show,
    importance_grid,
    key_drivers,
    likert_counts,
    perception_differences,
    principle_scores,
)
from ..exceptions import PartnerDataError
from ..io import Codebook, Survey
from ..settings import METHOD, Method
from .filters import Disclosure, active, check_disclosure, room_message, select, too_few_message


@dataclass
class ReviewData:
    """A review's tables split by period once, so that every filter change is quick.

    Build it with :meth:`from_survey`.  ``responses``, ``respondents``,
    ``not_applicable`` and ``comments`` map each period to its rows.
    """

    periods: list[str]
    responses: dict[str, pd.DataFrame]
    respondents: dict[str, pd.DataFrame]
    not_applicable: dict[str, pd.DataFrame]
    principles: list[str]
    filter_columns: list[str]
    scale: tuple[float, float]
    codebook: Codebook | None = None  # for statement texts and answer labels
    comments: dict[str, pd.DataFrame] = field(default_factory=dict)  # free-text answers (raw: escape when shown)

    @classmethod
    def from_survey(cls, survey: Survey) -> ReviewData:
        """Split ``survey``'s tables by period; filters are organisation, role and each codebook attribute."""

        def split(frame):
            out = {}
            for period, part in frame.groupby(frame["period"].astype("str"), observed=True, sort=True):
                part = part.reset_index(drop=True)
                out[str(period)] = part
            return out

        responses = split(survey.responses)
        respondents = split(survey.respondents)
        not_applicable = split(survey.not_applicable) if len(survey.not_applicable) else {}
        comments = split(survey.comments) if len(survey.comments) else {}
        principles = [str(p) for p in survey.responses["principle"].cat.categories]
        columns = ["partner", "role", *survey.codebook.attributes]
        return cls(
            sorted(respondents),
            responses,
            respondents,
            not_applicable,
            principles,
            columns,
            survey.scale,
            survey.codebook,
            comments,
        )  # fields in their order: periods ... codebook, comments

    def period_rows(self, period: str) -> pd.DataFrame:
        """The responses of ``period``.

        Raises
        ------
        PartnerDataError
            If the period is not in the review, naming the periods that are.
        """
        if period not in self.responses:
            raise PartnerDataError(f"period {period!r} is not in the review; periods present: {self.periods}")
        return self.responses[period]


@dataclass
class ViewResult:
    """What one Explore view shows for one selection.

    Attributes
    ----------
    view : str
        The key of the view in :data:`VIEWS`.
    data : DataFrame or None
        The table behind the chart (output of the view's analysis function);
        ``None`` when the guard refused the selection.
    message : str
        Empty, or the text shown *instead of* the chart.
    n : int or None
        Respondents in the selection (the period's, or the latest shown
        period's for the trend), only when shown.
    title : str
        One line saying what is shown (and, for the trend, which periods are left out).
    examples : DataFrame or None
        Text shown below the chart, for the themes: ``theme``, ``text``, ``people`` (a few distinct comments per
        theme, raw: escaped where shown).
    note : str
        One more line below the chart (for the themes: whose comments are not shown, and why).
    """

    view: str
    data: pd.DataFrame | None
    message: str = ""
    n: int | None = None
    title: str = ""
    examples: pd.DataFrame | None = None
    note: str = ""

    @property
    def shown(self) -> bool:
        """True when a chart is shown."""
        return self.data is not None


@dataclass(frozen=True)
class View:
    """One entry of :data:`VIEWS`.

    ``compute(review, selection, period, principle, method) -> ViewResult`` and
    ``draw(data, ax, review) -> Axes``; ``needs_principle`` shows the principle
    chooser, ``uses_period`` the period chooser, ``ignores`` lists filters the
    view sets itself (the perception view compares the organisations, so it
    ignores the organisation filter); ``how_to_read`` is the one line shown
    above the chart saying how to read it.
    """

    label: str
    compute: Callable
    draw: Callable
    how_to_read: str = ""
    needs_principle: bool = False
    uses_period: bool = True
    ignores: tuple[str, ...] = field(default_factory=tuple)


def _guarded(
    review: ReviewData,
    selection,
    period: str,
    min_n: int,
    split: str | None = None,
    within: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame | None, Disclosure]:
    """The period's rows of the selection, or ``None`` where the anonymity guard refuses it.

    ``within`` narrows the rows further (e.g. to one principle) without being part of
    the selection the guard judges: it selects statements, not respondents.
    """
    rows = review.period_rows(period)
    verdict = check_disclosure(review.respondents[period], selection, min_n=min_n, split=split)
    if not verdict.ok:
        words = room_message(review.respondents[period], selection, verdict, min_n=min_n, period=period, split=split)
        return None, Disclosure(False, None, words)
    return select(rows, {**active(selection), **(within or {})}), verdict


def _quadrant(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    rows, verdict = _guarded(review, selection, period, method.min_n)
    if rows is None:
        return ViewResult("quadrant", None, verdict.message)
    scores = principle_scores(rows, scale=review.scale, method=method)
    return ViewResult("quadrant", scores, n=verdict.n, title=f"Strengths and gaps, {period}")


def _draw_quadrant(data: pd.DataFrame, ax, review: ReviewData):
    return plots.quadrant_scatter(data, scale=review.scale, ax=ax)


def _perception(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    rows, verdict = _guarded(review, selection, period, method.min_n, split="partner")
    if rows is None:
        return ViewResult("perception", None, verdict.message)
    if rows["partner"].nunique() < 2:
        return ViewResult(
            "perception", None, "Only one organisation answered in this selection: there is nothing to compare."
        )
    gaps = perception_differences(rows, between="partner", method=method)
    first = gaps[["side_a", "side_b"]].iloc[0]
    gaps = gaps[(gaps["side_a"] == first["side_a"]) & (gaps["side_b"] == first["side_b"])].reset_index(drop=True)
    return ViewResult("perception", gaps, n=verdict.n, title=f"Differences between the organisations, {period}")


def _draw_perception(data: pd.DataFrame, ax, review: ReviewData):
    return plots.perception_dumbbell(data, scale=review.scale, ax=ax)


def _detail(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    rows, verdict = _guarded(review, selection, period, method.min_n, within={"principle": principle})
    if rows is None:
        return ViewResult("detail", None, verdict.message)
    na = review.not_applicable.get(period)
    if na is not None:
        na = select(na, selection)
        na = na[na["principle"].astype("str") == principle]
    reversed_items = review.codebook.reversed_items() if review.codebook is not None else ()
    counts = likert_counts(
        rows, level="item", not_applicable=na, reversed_items=reversed_items, scale=review.scale, method=method
    )  # the answers as given, a reverse-worded statement marked as such
    if review.codebook is not None:
        counts.insert(1, "statement", [textwrap.fill(review.codebook.statement_label(i), 45) for i in counts["item"]])
    return ViewResult("detail", counts, n=verdict.n, title=f"{principle}: how people answered, {period}")


def _draw_detail(data: pd.DataFrame, ax, review: ReviewData):
    if review.codebook is None:
        return plots.likert_bars(data, ax=ax)
    return plots.likert_bars(data, label="statement", point_labels=review.codebook.point_labels(), ax=ax)


def _trend(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    parts, hidden, n = [], [], None
    for p in review.periods:
        rows, verdict = _guarded(review, selection, p, method.min_n)
        if rows is None:
            hidden.append(p)
            continue
        parts.append(rows)
        n = verdict.n
    if not parts:
        return ViewResult("trend", None, too_few_message(method.min_n))
    rows = pd.concat(parts, ignore_index=True)
    scores = principle_scores(rows, by="period", scale=review.scale, method=method)
    title = "Change over time" + (f" ({', '.join(hidden)} not shown: too few responses)" if hidden else "")
    return ViewResult("trend", scores, n=n, title=title)


def _draw_trend(data: pd.DataFrame, ax, review: ReviewData):
    return plots.trend_lines(data, ax=ax)


def _drivers(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    if review.codebook is None or review.codebook.outcome is None:
        return ViewResult("drivers", None, "The codebook names no overall outcome statement, so there are no key "
                          "drivers to show (see 'outcome:' in the codebook).")  # fmt: skip
    rows, verdict = _guarded(review, selection, period, method.min_n)
    if rows is None:
        return ViewResult("drivers", None, verdict.message)
    people = select(review.respondents[period], active(selection))
    drivers = key_drivers(rows, people, method=method)
    if drivers["suppressed"].all():
        return ViewResult("drivers", None, f"Key drivers need at least {method.drivers_min_n} people who rated the "
                          "overall outcome and every principle; this selection has fewer.")  # fmt: skip
    grid = importance_grid(principle_scores(rows, scale=review.scale, method=method), drivers)
    return ViewResult("drivers", grid, n=verdict.n, title=f"What drives the overall view, {period}")


def _draw_drivers(data: pd.DataFrame, ax, review: ReviewData):
    return plots.importance_grid_plot(data, scale=review.scale, ax=ax)


#: Distinct comments shown per theme below the themes chart.
THEME_EXAMPLES = 3


def _themes(review: ReviewData, selection, period, principle, method: Method) -> ViewResult:
    """The report's comment themes for the selection: only organisations with enough respondents in it (the
    comments threshold) count, identical comments are one example with a count."""
    rows, verdict = _guarded(review, selection, period, method.min_n)
    if rows is None:
        return ViewResult("themes", None, verdict.message)
    people = select(review.respondents[period], active(selection))
    comments = review.comments.get(period)
    if comments is None or comments.empty or review.codebook is None:
        return ViewResult("themes", None, f"Nobody left a comment in {period}.")
    comments = comments[comments["respondent"].isin(people["respondent"])]
    shown = comments_to_show(comments, people, by="partner", method=method)
    note = (
        f"Comments of {' and '.join(shown.hidden)} are not shown: an organisation's comments are shown only when "
        f"at least {shown.threshold} of its people are in the selection, as words identify people more easily "
        "than scores."
        if shown.hidden
        else ""
    )
    if shown.comments.empty:
        text = note or "Nobody in this selection left a comment."
        return ViewResult("themes", None, text)
    themes = comment_themes(shown, review.codebook, examples=THEME_EXAMPLES)
    return ViewResult(
        "themes",
        themes.counts,
        n=verdict.n,
        title=f"What the comments are about, {period} ({len(shown.comments)} comments)",
        examples=themes.examples,
        note=note,
    )


def _draw_themes(data: pd.DataFrame, ax, review: ReviewData):
    return plots.theme_bars(data, ax=ax)


#: The Explore views, in the order the chooser lists them.
VIEWS: dict[str, View] = {
    "quadrant": View(
        "Strengths and gaps",
        _quadrant,
        _draw_quadrant,
        how_to_read="Each dot is a principle: higher matters more, further right is lived better today; "
        "the top left holds the gaps to work on.",
    ),
    "perception": View(
        "Differences between the organisations",
        _perception,
        _draw_perception,
        ignores=("partner",),
        how_to_read="Each line joins the two organisations' scores for one principle: "
        "the longer the line, the more differently they see it.",
    ),
    "detail": View(
        "Principle detail (answers per statement)",
        _detail,
        _draw_detail,
        needs_principle=True,
        how_to_read="Each bar is one statement: disagreeing answers to the left of 0, agreeing answers "
        "to the right, the longer the bar the more people.",
    ),
    "trend": View(
        "Trend over the periods",
        _trend,
        _draw_trend,
        uses_period=False,
        how_to_read="Each line is one principle's score period after period: a rising line is improving.",
    ),
    "drivers": View(
        "What drives the overall view (key drivers)",
        _drivers,
        _draw_drivers,
        how_to_read="Each dot is a principle: further right people call it more important, higher it moves the "
        "overall view more; top left are the hidden drivers.",
    ),
    "themes": View(
        "What the comments are about (themes)",
        _themes,
        _draw_themes,
        how_to_read="Each bar counts one organisation's comments on a principle (the one whose words the comment "
        "shares most); examples below, each distinct comment once, as written.",
    ),
}


def explore(
    review: ReviewData,
    selection: Mapping[str, object] | None = None,
    *,
    view: str = "quadrant",
    period: str | None = None,
    principle: str | None = None,
    method: Method = METHOD,
) -> ViewResult:
    """Compute one Explore view for one selection (no drawing).

    Parameters
    ----------
    review : ReviewData
    selection : mapping
        Active filters ``{column: value}`` (see :func:`.filters.select`).
    view : str
        A key of :data:`VIEWS`.
    period : str, optional
        The period shown (default: the latest).
    principle : str, optional
        The principle of views that show one (default: the first).
    method : Method
        The method's numbers; ``method.min_n`` is the anonymity minimum.

    Returns
    -------
    ViewResult

    Raises
    ------
    PartnerDataError
        For an unknown view, period or principle.
    """
    if view not in VIEWS:
        raise PartnerDataError(f"unknown workshop view {view!r}; expected one of {list(VIEWS)}")
    spec = VIEWS[view]
    period = str(period) if period is not None else review.periods[-1]
    if principle is not None and str(principle) not in review.principles:
        raise PartnerDataError(f"unknown principle {principle!r}; expected one of {review.principles}")
    principle = str(principle) if principle is not None else review.principles[0]
    chosen = {k: v for k, v in active(selection).items() if k not in spec.ignores}
    return spec.compute(review, chosen, period, principle, method)
