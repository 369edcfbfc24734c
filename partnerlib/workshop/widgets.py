"""The workshop application: ipywidgets assembled around the pure functions.

Three tabs, one per step of a facilitated workshop:

- **Explore**: filters (organisation, role, each codebook attribute, period),
  a choice of view and, for the principle detail, a principle.  Every change
  recomputes the view with :func:`.views.explore` and redraws the chart as
  SVG in an ``Image`` widget, or shows the anonymity message instead.
- **Prioritise**: dot voting beside the gap ranking (:mod:`.votes`).
- **Act**: a form appending an action to the review's register with
  :func:`partnerlib.save_actions`; each invalid field gets its message.

Everything a callback shows comes from ``partnerlib`` functions; the widgets
hold no statistics of their own.  Text from the client's files (principle
names, owners, actions) is HTML-escaped before it reaches an HTML widget.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as w
import matplotlib as mpl
import pandas as pd
from filelock import FileLock
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator, ScalarFormatter
from matplotlib.transforms import Bbox

from .. import plots
from ..analysis import principle_scores
from ..exceptions import PartnerDataError
from ..io import Survey, read_actions, read_surveys, save_actions
from ..report.text import esc
from ..settings import METHOD
from .filters import ALL, filter_options
from .form import FIELDS, draft_action
from .views import VIEWS, ReviewData, ViewResult, explore
from .votes import cast_votes, priorities, tally

FILTER_LABELS = {"partner": "Organisation", "role": "Role"}
LABEL_STYLE = {"description_width": "90px"}
FIGSIZE = (8.0, 5.0)
DPI = 72
#: Charts are sent as SVG with text left as text: quicker to draw than a PNG and sharp when projected.
FIGURE_FORMAT = "svg+xml"
#: Matplotlib settings while drawing (the bundle's chart settings, held even if a notebook changed them).
RENDER_RC = plots.CHART_RC
#: How many drawn views are kept, so that flipping back to a selection already seen is instant.
CACHE_SIZE = 64


def _html_table(frame: pd.DataFrame, columns: dict[str, str], *, digits: int = 2) -> str:
    """An escaped HTML table of ``frame[columns]`` with readable headings."""
    head = "".join(f"<th>{esc(label)}</th>" for label in columns.values())
    rows = []
    for _, r in frame.iterrows():
        cells = []
        for col in columns:
            v = r[col]
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                text = "–"
            elif isinstance(v, float):
                text = f"{v:.{digits}f}"
            elif isinstance(v, (pd.Timestamp, dt.date)):
                text = pd.Timestamp(v).date().isoformat()
            else:
                text = str(v)
            cells.append(f"<td>{esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='partnerlib-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


@contextmanager
def register_lock(path) -> Iterator[None]:
    """Hold an exclusive lock on one actions register while it is read and saved.

    Two workshop pages (each Voilà page has its own kernel) adding actions to
    the same register at the same moment would otherwise both take the next
    free id, and the second save would update the first's row.  The lock is a
    file beside the register (``.<name>.lock``, the ``filelock`` package), so it
    holds on every platform and for every machine that sees the same folder.
    """
    path = Path(path)
    with FileLock(str(path.with_name(f".{path.name}.lock"))):
        yield


def empty_axes(ax) -> None:
    """Return ``ax`` to the state of a new Axes, keeping its tick and grid objects.

    Removes everything drawn (lines, collections, patches, texts, legend),
    forgets the data limits, switches autoscaling back on, restores the
    automatic tick locators and formatters and the colour cycle, and blanks
    the title and axis labels: a plot function then draws exactly what it
    draws on a new Axes (``tests/test_workshop.py`` compares the SVG of both).
    """
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.tables, *ax.artists]:
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    ax.containers.clear()
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
    ax.dataLim.set_points(Bbox.null().get_points())
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_autoscale_on(True)
    ax.set_prop_cycle(None)
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")


class Workshop:
    """One review's workshop application.  Build it with :func:`open_workshop` (or directly from a Survey).

    Parameters
    ----------
    survey : Survey
        The review's surveys, every period.
    period : str, optional
        The period under review (default: the latest): the period shown first,
        ranked in Prioritise and given to new actions.
    actions : path, optional
        The actions register (CSV or XLSX) the Act tab appends to; created on
        the first save if it does not exist.  Without it the Act tab only
        explains how to add one.
    min_n : int
        Anonymity minimum: no group smaller is ever shown.
    dots : int
        Dots each participant spreads in Prioritise.
    title : str
        Heading shown above the tabs (escaped).
    today : date, optional
        The date due dates are checked against (default: today).

    Attributes
    ----------
    app : ipywidgets.Tab
        The whole application (displaying the :class:`Workshop` displays it).
    filters : dict of str to Dropdown
        One per filter column; values are category names or ``"All"``.
    period, view, principle : Dropdown
        The Explore choices.
    figure : ipywidgets.Image
        The chart as SVG (empty and hidden when the guard refuses a selection).
    message : ipywidgets.HTML
        The anonymity message, or the respondent count of the selection.
    result : ViewResult
        What Explore shows now, with the table behind the chart.
    votes : dict
        ``{participant: {principle: dots}}`` cast so far.
    register : DataFrame or None
        The actions register as last read or saved.
    """

    def __init__(
        self,
        survey: Survey,
        *,
        period: str | None = None,
        actions=None,
        min_n: int = METHOD.min_n,
        dots: int = 3,
        title: str = "",
        today: dt.date | None = None,
    ):
        plots.set_theme()
        self.review = ReviewData.from_survey(survey)
        self.min_n = int(min_n)
        self.method = METHOD.with_(min_n=self.min_n)
        self.dots = int(dots)
        self.review_period = str(period) if period is not None else self.review.periods[-1]
        self.review.period_rows(self.review_period)  # raises for a period not in the data
        self.actions_path = Path(actions) if actions else None
        self.today = today
        self.result: ViewResult | None = None
        self.votes: dict[str, dict[str, int]] = {}
        self.register: pd.DataFrame | None = None
        self.axes = None
        self._cache: OrderedDict = OrderedDict()
        self._axes: dict = {}  # view -> its Axes, reused for every drawing (see _axes_for)
        self.heading = w.HTML(f"<h2>{esc(title)}</h2>" if title else "")
        explore_tab = self._build_explore()
        prioritise_tab = self._build_prioritise()
        act_tab = self._build_act()
        self.app = w.Tab(children=[explore_tab, prioritise_tab, act_tab])
        for i, name in enumerate(["Explore", "Prioritise", "Act"]):
            self.app.set_title(i, name)
        self.widget = w.VBox([self.heading, self.app])
        self.redraw()

    # -- display --------------------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # -- Explore --------------------------------------------------------------------------------------------
    def _build_explore(self):
        options = filter_options(
            pd.concat(list(self.review.respondents.values()), ignore_index=True), self.review.filter_columns
        )
        self.filters = {
            col: w.Dropdown(options=opts, value=ALL, description=FILTER_LABELS.get(col, col), style=LABEL_STYLE)
            for col, opts in options.items()
        }
        self.period = w.Dropdown(
            options=self.review.periods, value=self.review_period, description="Period", style=LABEL_STYLE
        )
        self.view = w.Dropdown(
            options=[(v.label, k) for k, v in VIEWS.items()],
            value=next(iter(VIEWS)),
            description="View",
            style=LABEL_STYLE,
        )
        self.principle = w.Dropdown(
            options=self.review.principles, value=self.review.principles[0], description="Principle", style=LABEL_STYLE
        )
        self.figure = w.Image(format=FIGURE_FORMAT, layout=w.Layout(width="800px", max_width="100%"))
        self.message = w.HTML()
        for control in [*self.filters.values(), self.period, self.view, self.principle]:
            control.observe(self._on_change, names="value")
        controls = w.VBox(
            [self.view, self.principle, self.period, *self.filters.values()], layout=w.Layout(min_width="300px")
        )
        return w.HBox([controls, w.VBox([self.message, self.figure])])

    def selection(self) -> dict[str, str]:
        """The filters set now, ``{column: value}`` (filters at "All" left out)."""
        return {col: dd.value for col, dd in self.filters.items() if dd.value != ALL}

    def _on_change(self, change=None):
        self.redraw()

    def redraw(self) -> ViewResult:
        """Recompute the Explore view for the current choices and show it (chart or message)."""
        spec = VIEWS[self.view.value]
        self.principle.layout.display = "" if spec.needs_principle else "none"
        self.period.layout.display = "" if spec.uses_period else "none"
        for col, dd in self.filters.items():
            dd.disabled = col in spec.ignores
        key = self._key(spec)
        if key in self._cache:
            self._cache.move_to_end(key)
            result, image = self._cache[key]
        else:
            result = explore(
                self.review,
                self.selection(),
                view=self.view.value,
                period=self.period.value,
                principle=self.principle.value,
                method=self.method,
            )
            image = self.render(result) if result.shown else b""
            self._cache[key] = (result, image)
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        self.result = result
        if not result.shown:
            self.figure.value = b""
            self.figure.layout.display = "none"
            self.message.value = f"<p class='partnerlib-too-few'><strong>{esc(result.message)}</strong></p>"
            return result
        self.message.value = f"<p>{esc(result.title)} · {result.n} respondents in this selection</p>"
        self.figure.value = image
        self.figure.layout.display = ""
        return result

    def _key(self, spec) -> tuple:
        """What a view's figure depends on: the view, its filters, and its period and principle if it uses them."""
        selection = tuple(sorted((k, v) for k, v in self.selection().items() if k not in spec.ignores))
        return (
            self.view.value,
            selection,
            self.period.value if spec.uses_period else None,
            self.principle.value if spec.needs_principle else None,
        )

    def clear_cache(self) -> None:
        """Forget the views drawn so far (the next change recomputes and redraws)."""
        self._cache.clear()

    def render(self, result: ViewResult) -> bytes:
        """Draw ``result`` with its view's plot function and return the chart as SVG bytes.

        The drawn Axes stays available as ``self.axes`` until the next drawing.  Drawn views are
        kept (up to :data:`CACHE_SIZE`), so going back to a selection already seen redraws nothing.
        """
        buf = io.BytesIO()
        with mpl.rc_context(RENDER_RC):
            ax = self._axes_for(result.view)
            VIEWS[result.view].draw(result.data, ax, self.review)
            ax.figure.savefig(buf, format="svg", metadata={"Date": None})
        self.axes = ax
        return buf.getvalue()

    def _axes_for(self, view: str):
        """The view's own Axes, emptied of its last drawing (made on first use).

        Each view keeps one figure for the life of the app.  Emptying it with
        :func:`empty_axes` rather than making a new Axes keeps its tick marks
        and grid lines, which matplotlib otherwise rebuilds for every drawing:
        that halves the time from a click to the redrawn chart.
        """
        if view not in self._axes:
            fig = Figure(figsize=FIGSIZE, dpi=DPI)
            FigureCanvasAgg(fig)
            fig.subplots_adjust(**VIEWS[view].margins)
            self._axes[view] = fig.add_subplot()
        else:
            empty_axes(self._axes[view])
        return self._axes[view]

    # -- Prioritise -----------------------------------------------------------------------------------------
    def _build_prioritise(self):
        self.scores = principle_scores(
            self.review.period_rows(self.review_period), scale=self.review.scale, method=self.method
        )
        self.participant = w.Text(description="Participant", placeholder="name or table")
        self.allocation = {
            p: w.BoundedIntText(value=0, min=0, max=self.dots, description=p, style={"description_width": "160px"})
            for p in self.review.principles
        }
        self.cast = w.Button(description="Cast dots", button_style="primary")
        self.reset = w.Button(description="Reset all votes", button_style="warning")
        self.vote_feedback = w.HTML()
        self.tally_table = w.HTML()
        self.cast.on_click(lambda _: self.cast_dots())
        self.reset.on_click(lambda _: self.reset_votes())
        intro = w.HTML(
            f"<p>Each participant has <strong>{self.dots}</strong> dots to spread over the "
            "principles to work on first. Casting again under the same name replaces that "
            "participant's dots.</p>"
        )
        left = w.VBox(
            [intro, self.participant, *self.allocation.values(), w.HBox([self.cast, self.reset]), self.vote_feedback]
        )
        self._show_tally()
        return w.HBox([left, self.tally_table])

    def cast_dots(self) -> bool:
        """Record the participant's dots from the form; show the message of an invalid vote."""
        allocation = {p: box.value for p, box in self.allocation.items()}
        try:
            self.votes = cast_votes(
                self.votes, self.participant.value, allocation, dots=self.dots, principles=self.review.principles
            )
        except PartnerDataError as exc:
            self.vote_feedback.value = f"<p style='color:#D55E00'>{esc(exc)}</p>"
            return False
        self.vote_feedback.value = f"<p>Dots recorded for {esc(' '.join(self.participant.value.split()))}.</p>"
        self.participant.value = ""
        for box in self.allocation.values():
            box.value = 0
        self._show_tally()
        return True

    def reset_votes(self) -> None:
        """Forget every vote cast."""
        self.votes = {}
        self.vote_feedback.value = "<p>All votes cleared.</p>"
        self._show_tally()

    def priorities(self) -> pd.DataFrame:
        """The gap ranking and the report's proposal beside the dot tally (see :func:`.votes.priorities`)."""
        return priorities(self.scores, tally(self.votes, self.review.principles))

    def _show_tally(self) -> None:
        table = self.priorities()
        self.tally_table.value = (
            f"<p><strong>Gap ranking ({esc(self.review_period)}) and dots</strong> · {len(self.votes)} "
            "participants voted · <em>Proposed</em>: the report's proposed priorities</p>"
            + _html_table(
                table,
                {
                    "gap_rank": "Gap rank",
                    "proposed": "Proposed",
                    "principle": "Principle",
                    "importance": "Importance",
                    "current": "Current",
                    "gap": "Gap",
                    "dots": "Dots",
                    "voters": "Voters",
                },
            )
        )

    # -- Act ------------------------------------------------------------------------------------------------
    def _build_act(self):
        self.action_fields = {
            "principle": w.Dropdown(options=self.review.principles, value=None, description="Principle"),
            "action": w.Textarea(description="Action", placeholder="what will be done", layout=w.Layout(width="420px")),
            "owner": w.Text(description="Owner", placeholder="person or team"),
            "due": w.Text(description="Due date", placeholder="YYYY-MM-DD"),
        }
        self.action_errors = {name: w.HTML() for name in FIELDS}
        self.submit = w.Button(description="Add action", button_style="primary")
        self.act_feedback = w.HTML()
        self.register_table = w.HTML()
        self.submit.on_click(lambda _: self.submit_action())
        rows = [w.HBox([self.action_fields[n], self.action_errors[n]]) for n in FIELDS]
        if self.actions_path is None:
            self.submit.disabled = True
            self.act_feedback.value = (
                "<p>This review has no actions register: add <code>actions:</code> to its "
                "manifest entry (or pass <code>actions=</code>) to record actions.</p>"
            )
        else:
            self._show_register()
        return w.VBox([*rows, self.submit, self.act_feedback, self.register_table])

    def _read_register(self) -> pd.DataFrame | None:
        if self.actions_path is None or not self.actions_path.is_file():
            return None
        return read_actions(self.actions_path)

    def _show_register(self) -> None:
        try:
            self.register = self._read_register()
        except PartnerDataError as exc:
            self.register = None
            self.register_table.value = f"<p style='color:#D55E00'>{esc(exc)}</p>"
            return
        name = self.actions_path.name if self.actions_path is not None else ""
        if self.register is None or self.register.empty:
            self.register_table.value = f"<p>No actions yet in {esc(name)}.</p>"
            return
        self.register_table.value = (
            f"<p><strong>Actions register</strong> ({esc(name)}, {len(self.register)} actions)"
            "</p>"
            + _html_table(
                self.register,
                {
                    "id": "Id",
                    "period": "Period",
                    "principle": "Principle",
                    "action": "Action",
                    "owner": "Owner",
                    "due": "Due",
                    "status": "Status",
                },
            )
        )

    def submit_action(self) -> bool:
        """Check the form; save a valid action to the register and show it, else show each field's message."""
        for box in self.action_errors.values():
            box.value = ""
        if self.actions_path is None:
            return False
        values = {name: field.value for name, field in self.action_fields.items()}
        with register_lock(self.actions_path):
            try:
                register = self._read_register()
            except PartnerDataError as exc:
                self.act_feedback.value = f"<p style='color:#D55E00'>Not saved: {esc(exc)}</p>"
                return False
            row, errors = draft_action(
                **values,
                period=self.review_period,
                principles=self.review.principles,
                register=register,
                today=self.today,
            )
            if errors or row is None:
                for name, text in errors.items():
                    self.action_errors[name].value = f"<span style='color:#D55E00'>{esc(text)}</span>"
                self.act_feedback.value = "<p>Not saved: fix the fields marked.</p>"
                return False
            try:
                save_actions(row, self.actions_path)
            except (PartnerDataError, OSError) as exc:
                self.act_feedback.value = f"<p style='color:#D55E00'>Not saved: {esc(exc)}</p>"
                return False
        self.act_feedback.value = f"<p>Saved action {esc(row['id'].iat[0])}.</p>"
        for name in ("action", "owner", "due"):
            self.action_fields[name].value = ""
        self._show_register()
        return True


def open_workshop(surveys, codebook=None, **options) -> Workshop:
    """The workshop application of one review.

    Parameters
    ----------
    surveys : Survey or mapping
        An already loaded :class:`partnerlib.Survey`, or ``{period: export path}``
        as in a manifest entry (then ``codebook`` is required).
    codebook : path, dict or Codebook, optional
        The codebook of the exports.
    **options
        The keyword arguments of :class:`Workshop`: ``period``, ``actions``, ``min_n``, ``dots``,
        ``title``, ``today``.

    Returns
    -------
    Workshop
        Display it (last line of a notebook cell) to show the application.
    """
    if isinstance(surveys, Survey):
        survey = surveys
    else:
        if codebook is None:
            raise PartnerDataError(
                f"workshop: a codebook is needed to read the survey exports {dict(surveys)}; pass codebook=..."
            )
        survey = read_surveys(surveys, codebook)
    return Workshop(survey, **options)
