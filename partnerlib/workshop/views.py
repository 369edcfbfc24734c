"""The workshop's Explore views: which analysis and which chart each shows.

A view is registered once in :data:`VIEWS` with the pure ``partnerlib``
function that computes its table and the ``partnerlib.plots`` function that
draws it; the widgets only pick a view and call :func:`explore`, so a figure
in the workshop is always computed exactly as in the report.  Every view
goes through the anonymity guard of :mod:`.filters` first and then passes
``min_n`` on to the analysis function, which suppresses its own small groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from .. import plots
from ..config import DEFAULT_MIN_N
from ..exceptions import PartnerDataError
from ..scores import principle_scores
from ..survey import Survey
from .filters import Disclosure, active, check_disclosure, select


@dataclass
class ReviewData:
    """A review's tables split by period once, so that every filter change is quick.

    Build it with :meth:`from_survey`.  ``responses``, ``respondents`` and
    ``not_applicable`` map each period to its rows (``attrs["scale"]`` kept).
    """

    periods: list[str]
    responses: dict[str, pd.DataFrame]
    respondents: dict[str, pd.DataFrame]
    not_applicable: dict[str, pd.DataFrame]
    principles: list[str]
    filter_columns: list[str]
    scale: tuple[float, float]

    @classmethod
    def from_survey(cls, survey: Survey) -> "ReviewData":
        """Split ``survey``'s tables by period; filters are organisation, role and each codebook attribute."""
        def split(frame):
            out = {}
            for period, part in frame.groupby(frame["period"].astype("str"), observed=True, sort=True):
                part = part.reset_index(drop=True)
                part.attrs = dict(survey.responses.attrs)
                out[str(period)] = part
            return out

        responses = split(survey.responses)
        respondents = split(survey.respondents)
        not_applicable = split(survey.not_applicable) if len(survey.not_applicable) else {}
        principles = [str(p) for p in survey.responses["principle"].cat.categories]
        columns = ["partner", "role", *survey.codebook.attributes]
        return cls(periods=sorted(respondents), responses=responses, respondents=respondents,
                   not_applicable=not_applicable, principles=principles, filter_columns=columns,
                   scale=tuple(survey.scale))

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
        Respondents in the selection (the period's, or the latest period's
        for the trend), only when shown.
    """

    view: str
    data: pd.DataFrame | None
    message: str = ""
    n: int | None = None
    title: str = ""

    @property
    def shown(self) -> bool:
        """True when a chart is shown."""
        return self.data is not None


@dataclass(frozen=True)
class View:
    """One entry of :data:`VIEWS`.

    ``compute(review, selection, period, principle, min_n) -> ViewResult`` and
    ``draw(data, ax, review) -> Axes``; ``needs_principle`` shows the principle
    chooser, ``uses_period`` the period chooser, ``ignores`` lists filters the
    view sets itself (the perception view compares the organisations, so it
    ignores the organisation filter).
    """

    label: str
    compute: Callable
    draw: Callable
    needs_principle: bool = False
    uses_period: bool = True
    ignores: tuple[str, ...] = field(default_factory=tuple)


def _guarded(review: ReviewData, selection, period: str, min_n: int, view: str,
             split: str | None = None) -> tuple[pd.DataFrame | None, Disclosure]:
    rows = review.period_rows(period)
    verdict = check_disclosure(review.respondents[period], selection, min_n=min_n, split=split)
    if not verdict.ok:
        return None, verdict
    return select(rows, selection), verdict


def _quadrant(review: ReviewData, selection, period, principle, min_n) -> ViewResult:
    rows, verdict = _guarded(review, selection, period, min_n, "quadrant")
    if rows is None:
        return ViewResult("quadrant", None, verdict.message)
    scores = principle_scores(rows, min_n=min_n)
    return ViewResult("quadrant", scores, n=verdict.n, title=f"Strengths and gaps, {period}")


def _draw_quadrant(data: pd.DataFrame, ax, review: ReviewData):
    return plots.strengths_gaps(data, ax=ax)


#: The Explore views, in the order the chooser lists them.
VIEWS: dict[str, View] = {
    "quadrant": View("Strengths and gaps", _quadrant, _draw_quadrant),
}


def explore(review: ReviewData, selection: Mapping[str, object] | None = None, *, view: str = "quadrant",
            period: str | None = None, principle: str | None = None,
            min_n: int = DEFAULT_MIN_N) -> ViewResult:
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
    min_n : int
        The anonymity minimum.

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
    return spec.compute(review, chosen, period, principle, min_n)
