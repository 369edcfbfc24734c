"""The workshop application: ipywidgets assembled around the pure functions.

Three tabs, one per step of a facilitated workshop:

- **Explore**: filters (organisation, role, each codebook attribute, period),
  a choice of view and, for the principle detail, a principle.  Every change
  recomputes the view with :func:`.views.explore` and redraws the chart as
  SVG in an ``Image`` widget as wide as the page, or shows the anonymity
  message instead.  *Present* hides the controls and shows the chart alone.
- **Prioritise**: dot voting beside the gap ranking (:mod:`.votes`), saved
  with the register (:mod:`.store`).
- **Act**: a form adding an action to the review's register with
  :func:`partnerlib.save_actions`, or editing or cancelling one of the
  period's actions; each invalid field gets its message.

Everything a callback shows comes from ``partnerlib`` functions; the widgets
hold no statistics of their own.  Text from the client's files (principle
names, owners, actions) is HTML-escaped before it reaches an HTML widget.
With ``watch`` set, a background thread looks at the votes file and the
register every ``watch`` seconds, so several pages open on one workshop see
each other's votes and actions without reloading.  With ``prepare`` set, a
second one draws ahead, while nobody is clicking, the selections a click away
from the one shown (every value of each filter, the other views, periods and
principles) and then every combination of the filters of the view shown, so
that the next click only sends a chart already drawn; a click stops it at once
(it finishes at most the one chart it is drawing) and it starts again around
the new selection.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import threading
from collections import OrderedDict
from pathlib import Path

import ipywidgets as w
import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator, ScalarFormatter
from matplotlib.transforms import Bbox

from .. import plots
from ..analysis import principle_scores
from ..exceptions import PartnerDataError, PartnerlibError
from ..io import Survey, read_actions, read_surveys, save_actions
from ..io.actions import register_lock
from ..plots.themes import OTHER_LABEL
from ..report.text import esc
from ..settings import METHOD
from ..vocabulary import OTHER_THEME
from .filters import ALL, filter_options
from .form import FIELDS, draft_action
from .store import VoteState, VoteStore, ensure_working_copy, votes_path, working_register
from .views import VIEWS, ReviewData, ViewResult, explore
from .votes import cast_votes, dots_left, priorities, tally, undo_reset

FILTER_LABELS = {"partner": "Organisation", "role": "Role"}
LABEL_STYLE = {"description_width": "initial"}
#: Chart size in inches: wide, as the chart fills the page's width (text stays at the bundle's sizes, so a chart
#: shown 1,800 px wide on a 1080p projector has its tick labels at about 20 px).
FIGSIZE = (12.0, 5.4)
DPI = 72
#: Charts are sent as SVG with text left as text: quicker to draw than a PNG and sharp when projected.
FIGURE_FORMAT = "svg+xml"
#: Matplotlib settings while drawing (the bundle's chart settings, held even if a notebook changed them).
RENDER_RC = plots.CHART_RC
#: How many drawn views are kept (about 20 KB of SVG each), so that flipping back to a selection already seen, or
#: to one drawn ahead (:meth:`Workshop.start_preparing`), is instant.
CACHE_SIZE = 256
#: Seconds without a change after which the app starts drawing ahead the selections a click away.
IDLE_SECONDS = 0.3
#: The most selections drawn ahead around one state of the Explore tab.
PREPARE_LIMIT = 160
ERROR_STYLE = "color:#B03A00"
#: The page's style: text readable from the back of a room (20 px at 1920 px wide, never under 15 px), the
#: chart as wide as the page, the row just saved highlighted, and the presentation mode.
STYLE = """<style>
.partnerlib-workshop { font-size: clamp(15px, 1.05vw, 24px); --jp-widgets-font-size: clamp(15px, 1.05vw, 24px);
  --jp-ui-font-size1: clamp(15px, 1.05vw, 24px); --jp-content-font-size1: clamp(15px, 1.05vw, 24px);
  --jp-widgets-inline-height: 1.9em; --jp-widgets-inline-width: auto; }
.partnerlib-workshop .widget-label, .partnerlib-workshop .widget-html-content, .partnerlib-workshop select,
.partnerlib-workshop input, .partnerlib-workshop textarea, .partnerlib-workshop button,
.partnerlib-workshop .lm-TabBar-tab, .partnerlib-workshop table { font-size: inherit !important; }
.partnerlib-workshop .widget-html-content { line-height: 1.4; }
.partnerlib-workshop .widget-dropdown, .partnerlib-workshop .widget-text { width: auto; }
.partnerlib-workshop .widget-dropdown > select { flex: 0 1 auto; width: auto; max-width: 60vw; padding-right: 1.8em; }
.partnerlib-workshop .lm-TabBar-tab { min-height: 2em; line-height: 2em; flex-basis: 10em; }
.partnerlib-workshop h2 { font-size: 1.4em; margin: 0.2em 0; }
.partnerlib-chart img { width: 100%; height: auto; max-height: calc(100vh - 15em); object-fit: contain;
  object-position: left top; }
.partnerlib-workshop .lm-TabBar-tabLabel { font-size: 1.1em; }
.partnerlib-workshop .partnerlib-chart p { margin: 0.2em 0; }
.partnerlib-workshop table.partnerlib-table { border-collapse: collapse; }
.partnerlib-workshop table.partnerlib-table td, .partnerlib-workshop table.partnerlib-table th {
  padding: 0.15em 0.6em; border-bottom: 1px solid #ddd; text-align: left; }
.partnerlib-workshop tr.partnerlib-new td { background: #FFF3C4; font-weight: bold; }
.partnerlib-workshop .partnerlib-how { color: #333; font-style: italic; }
.partnerlib-workshop .partnerlib-examples { columns: 2 28em; column-gap: 2em; }
.partnerlib-workshop .partnerlib-examples > div { break-inside: avoid; }
.partnerlib-workshop .partnerlib-examples ul { margin: 0.2em 0 0.6em; }
.partnerlib-present .lm-TabBar, .partnerlib-present .partnerlib-controls,
.partnerlib-present h2 { display: none !important; }
.partnerlib-present .partnerlib-chart img { height: calc(100vh - 8em); max-height: none; }
</style>"""


def _html_table(frame: pd.DataFrame, columns: dict[str, str], *, digits: int = 2, highlight=()) -> str:
    """An escaped HTML table of ``frame[columns]`` with readable headings; rows at positions ``highlight`` marked."""
    head = "".join(f"<th>{esc(label)}</th>" for label in columns.values())
    rows = []
    for i, (_, r) in enumerate(frame.iterrows()):
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
        mark = " class='partnerlib-new'" if i in highlight else ""
        rows.append(f"<tr{mark}>" + "".join(cells) + "</tr>")
    return f"<table class='partnerlib-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


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
    spec = ax.get_subplotspec()
    if spec is not None:  # where a new Axes starts, so the constrained layout starts from the same place
        ax._set_position(spec.get_position(ax.figure), which="both")  # public set_position leaves the layout


def new_axes(figsize=FIGSIZE):
    """An Axes on its own figure (constrained layout: tick labels, legends and notes always fit inside)."""
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def svg_bytes(ax) -> bytes:
    """The figure of ``ax`` as SVG bytes (no date, so the same chart gives the same bytes)."""
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def examples_html(result: ViewResult) -> str:
    """The lines below a chart: the view's note and its example comments per theme, every text escaped.

    Each distinct comment appears once, quoted, with how many people gave it when more than one.
    """
    parts = [f"<p class='partnerlib-note'>{esc(result.note)}</p>"] if result.note else []
    if result.examples is not None and not result.examples.empty:
        blocks = []
        for theme, said in result.examples.groupby("theme", observed=True, sort=True):
            name = OTHER_LABEL if theme == OTHER_THEME else str(theme)
            items = "".join(
                f"<li>“{esc(text)}”" + (f" <em>({int(people)} people)</em>" if people > 1 else "") + "</li>"
                for text, people in zip(said["text"], said["people"])
            )
            blocks.append(f"<div><strong>{esc(name)}</strong><ul>{items}</ul></div>")
        parts.append(f"<div class='partnerlib-examples'><p><strong>For example</strong></p>{''.join(blocks)}</div>")
    return "".join(parts)


def _error(text) -> str:
    return f"<p style='{ERROR_STYLE}'>{esc(text)}</p>"


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
        The actions register (CSV or XLSX) the Act tab saves to; created on
        the first save if it does not exist.  A register inside the committed
        demo folder is copied to ``data/processed/`` on the first save and the
        copy is saved to (:func:`.store.working_register`).  The votes are
        kept beside the register saved to; without a register the Act tab only
        explains how to add one and the votes last as long as the page.
    min_n : int
        Anonymity minimum: no group smaller is ever shown.
    dots : int
        Dots each participant spreads in Prioritise.
    title : str
        Heading shown above the tabs (escaped).
    today : date, optional
        The date due dates are checked against (default: today).
    review : str
        The review's name (names the votes file).
    watch : float, optional
        Seconds between looks at the votes file and the register for changes
        saved by other pages (default: none, for scripts and tests; the
        workshop notebook uses 0.5).
    prepare : bool
        Draw ahead, in a background thread while nobody clicks, the Explore
        selections a click away (:meth:`start_preparing`; default False, for
        scripts and tests; the workshop notebook sets it).

    Attributes
    ----------
    app : ipywidgets.Tab
        The three tabs (displaying the :class:`Workshop` displays them with the heading).
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
    prepared : threading.Event
        Set once every selection planned around the one shown is drawn (the
        page's widget then has the class ``partnerlib-prepared``); cleared by a change.
    votes : dict
        ``{participant: {principle: dots}}`` cast so far (as last read or saved).
    register : DataFrame or None
        The actions register as last read or saved.
    actions_path : Path or None
        The register the Act tab saves to; ``actions_source`` the committed register it was copied from, if any.
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
        review: str = "review",
        watch: float | None = None,
        prepare: bool = False,
    ):
        plots.set_theme()
        self.review = ReviewData.from_survey(survey)
        self.min_n = int(min_n)
        self.method = METHOD.with_(min_n=self.min_n)
        self.dots = int(dots)
        self.review_period = str(period) if period is not None else self.review.periods[-1]
        self.review.period_rows(self.review_period)  # raises for a period not in the data
        self.actions_path: Path | None = None
        self.actions_source: Path | None = None
        if actions:
            self.actions_path, self.actions_source = working_register(actions)
        self.vote_store = (
            VoteStore(votes_path(self.actions_path.parent, review, self.review_period)) if self.actions_path else None
        )
        self.today = today
        self.result: ViewResult | None = None
        self.votes: dict[str, dict[str, int]] = {}
        self.cleared: dict[str, dict[str, int]] = {}
        self.register: pd.DataFrame | None = None
        self.highlight: str | None = None  # id of the action just added or edited
        self.editing: str | None = None
        self.axes = None
        self._cache: OrderedDict = OrderedDict()
        self._axes: dict = {}  # view -> its Axes, reused for every drawing (see _axes_for)
        self._ahead_axes: dict = {}  # the same, for the charts drawn ahead
        self._cache_lock = threading.Lock()  # the drawn views, read by a click without waiting for a drawing
        self._draw_lock = threading.RLock()  # one drawing at a time (matplotlib's settings are global)
        self._generation = 0  # counts the changes of the Explore tab: drawing ahead stops when it moves
        self._wake = threading.Event()
        self.prepared = threading.Event()
        self._ui = threading.RLock()  # callbacks and the watcher thread update the widgets one at a time
        self._stamps: dict[str, int | None] = {}
        self._stop = threading.Event()
        self.heading = w.HTML(f"<h2>{esc(title)}</h2>" if title else "")
        self.present = w.ToggleButton(
            value=False,
            description="Present",
            tooltip="show the chart alone, full width",
            layout=w.Layout(width="auto"),
        )
        self.present.observe(self._on_present, names="value")
        explore_tab = self._build_explore()
        prioritise_tab = self._build_prioritise()
        act_tab = self._build_act()
        self.app = w.Tab(children=[explore_tab, prioritise_tab, act_tab])
        for i, name in enumerate(["Explore", "Prioritise", "Act"]):
            self.app.set_title(i, name)
        top = w.HBox([self.heading, self.present], layout=w.Layout(justify_content="space-between"))
        self.widget = w.VBox([w.HTML(STYLE), top, self.app])
        self.widget.add_class("partnerlib-workshop")
        self.redraw()
        if watch:
            self.start_watching(float(watch))
        if prepare:
            self.start_preparing()

    # -- display --------------------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_present(self, change=None) -> None:
        """Presentation mode: hide the heading, tabs and controls; the chart fills the screen."""
        if self.present.value:
            self.widget.add_class("partnerlib-present")
            self.present.description = "Leave presentation"
        else:
            self.widget.remove_class("partnerlib-present")
            self.present.description = "Present"

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
        self.figure = w.Image(format=FIGURE_FORMAT, layout=w.Layout(width="100%"))
        self.figure.add_class("partnerlib-explore-chart")
        self.message = w.HTML()
        self.how_to_read = w.HTML()
        self.examples = w.HTML()  # the themes' example comments, escaped
        for control in [*self.filters.values(), self.period, self.view, self.principle]:
            control.observe(self._on_change, names="value")
        controls = w.HBox(
            [self.view, self.principle, self.period, *self.filters.values()],
            layout=w.Layout(flex_flow="row wrap", grid_gap="0.3em 1.5em"),
        )
        controls.add_class("partnerlib-controls")
        chart = w.VBox([self.message, self.how_to_read, self.figure, self.examples], layout=w.Layout(width="100%"))
        chart.add_class("partnerlib-chart")
        return w.VBox([controls, chart])

    def selection(self) -> dict[str, str]:
        """The filters set now, ``{column: value}`` (filters at "All" left out)."""
        return {col: dd.value for col, dd in self.filters.items() if dd.value != ALL}

    def _on_change(self, change=None):
        try:
            self.redraw()
        except PartnerlibError as exc:
            self.figure.layout.display = "none"
            self.message.value = _error(exc)

    def redraw(self) -> ViewResult:
        """Recompute the Explore view for the current choices and show it (chart or message)."""
        spec = VIEWS[self.view.value]
        self.principle.layout.display = "" if spec.needs_principle else "none"
        self.period.layout.display = "" if spec.uses_period else "none"
        for col, dd in self.filters.items():
            dd.disabled = col in spec.ignores
        self._generation += 1
        self._wake.set()
        key = self._key(spec)
        found = self._cached(key)
        if found is None:
            with self._draw_lock:  # waits for at most the one chart being drawn ahead
                found = self._cached(key) or self._store(key, self._draw(key, self._axes, keep=True))
        result, image = found
        self.result = result
        self.examples.value = examples_html(result)
        if not result.shown:
            self.figure.value = b""
            self.figure.layout.display = "none"
            self.how_to_read.value = ""
            self.message.value = f"<p class='partnerlib-too-few'><strong>{esc(result.message)}</strong></p>"
            return result
        self.message.value = f"<p>{esc(result.title)} · {result.n} respondents in this selection</p>"
        self.how_to_read.value = f"<p class='partnerlib-how'>How to read it: {esc(spec.how_to_read)}</p>"
        self.figure.value = image
        self.figure.layout.display = ""
        return result

    def _key(self, spec, view=None, selection=None, period=None, principle=None) -> tuple:
        """What a view's figure depends on: the view, its filters, and its period and principle if it uses them.

        Each part not given is the Explore tab's current choice.
        """
        selection = self.selection() if selection is None else selection
        return (
            self.view.value if view is None else view,
            tuple(sorted((k, v) for k, v in selection.items() if k not in spec.ignores and v != ALL)),
            (self.period.value if period is None else period) if spec.uses_period else None,
            (self.principle.value if principle is None else principle) if spec.needs_principle else None,
        )

    def _cached(self, key):
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _store(self, key, drawn):
        with self._cache_lock:
            self._cache[key] = drawn
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return drawn

    def _draw(self, key, axes: dict, *, keep: bool = False) -> tuple[ViewResult, bytes]:
        """Compute and draw the view of ``key`` (see :meth:`_key`) on the view's Axes in ``axes``."""
        view, selection, period, principle = key
        result = explore(
            self.review, dict(selection), view=view, period=period, principle=principle, method=self.method
        )
        if not result.shown:
            return result, b""
        with mpl.rc_context(RENDER_RC):
            ax = self._axes_for(result.view, axes)
            VIEWS[result.view].draw(result.data, ax, self.review)
            image = svg_bytes(ax)
        if keep:
            self.axes = ax
        return result, image

    def clear_cache(self) -> None:
        """Forget the views drawn so far (the next change recomputes and redraws)."""
        with self._cache_lock:
            self._cache.clear()

    def render(self, result: ViewResult) -> bytes:
        """Draw ``result`` with its view's plot function and return the chart as SVG bytes.

        The drawn Axes stays available as ``self.axes`` until the next drawing.  Drawn views are
        kept (up to :data:`CACHE_SIZE`), so going back to a selection already seen redraws nothing.
        """
        with self._draw_lock, mpl.rc_context(RENDER_RC):
            ax = self._axes_for(result.view, self._axes)
            VIEWS[result.view].draw(result.data, ax, self.review)
            image = svg_bytes(ax)
        self.axes = ax
        return image

    @staticmethod
    def _axes_for(view: str, axes: dict):
        """The view's own Axes in ``axes``, emptied of its last drawing (made on first use).

        Each view keeps one figure for the life of the app (one for the
        charts shown, one for those drawn ahead).  Emptying it with
        :func:`empty_axes` rather than making a new Axes keeps its tick marks
        and grid lines, which matplotlib otherwise rebuilds for every drawing:
        that halves the time from a click to the redrawn chart.
        """
        if view not in axes:
            axes[view] = new_axes()
        else:
            empty_axes(axes[view])
        return axes[view]

    # -- drawing ahead --------------------------------------------------------------------------------------
    def plan(self) -> list[tuple]:
        """The selections to draw ahead around the one shown, most likely next click first (see :meth:`_key`).

        First those one click away: each other value of each filter the view
        uses, the other periods (or principles) of the view, and the current
        selection in each other view; then every combination of the view's
        filters; at most :data:`PREPARE_LIMIT`, each once.
        """
        view = self.view.value
        spec = VIEWS[view]
        here = self.selection()
        used = [c for c in self.filters if c not in spec.ignores]
        keys = []
        for col in used:
            keys += [self._key(spec, selection={**here, col: v}) for v in self.filters[col].options]
        if spec.uses_period:
            keys += [self._key(spec, period=p) for p in self.period.options]
        if spec.needs_principle:
            keys += [self._key(spec, principle=p) for p in self.principle.options]
        keys += [self._key(VIEWS[other], view=other) for other in VIEWS if other != view]
        for values in itertools.product(*(self.filters[c].options for c in used)):
            keys.append(self._key(spec, selection=dict(zip(used, values))))
            if len(keys) > 4 * PREPARE_LIMIT:
                break
        return list(dict.fromkeys(keys))[:PREPARE_LIMIT]

    def prepare(self, generation: int | None = None) -> bool:
        """Draw every selection of :meth:`plan` not yet drawn; stop early (False) when the Explore tab changes."""
        generation = self._generation if generation is None else generation
        for key in self.plan():
            if self._stop.is_set() or self._generation != generation:
                return False
            if self._cached(key) is not None:
                continue
            with self._draw_lock:
                if self._generation != generation:
                    return False
                try:
                    self._store(key, self._draw(key, self._ahead_axes))
                except PartnerlibError:  # shown as the page's message if the facilitator picks it
                    continue
        return self._generation == generation

    def start_preparing(self) -> threading.Thread:
        """Draw ahead (:meth:`prepare`) in a background thread once nobody has clicked for :data:`IDLE_SECONDS`."""

        def loop():
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                generation = -1
                while generation != self._generation:  # wait for a pause in the clicks
                    generation = self._generation
                    if self._stop.wait(IDLE_SECONDS):
                        return
                self.prepared.clear()
                self.widget.remove_class("partnerlib-prepared")
                if self.prepare(generation):
                    self.widget.add_class("partnerlib-prepared")
                    self.prepared.set()

        self._wake.set()
        thread = threading.Thread(target=loop, name="partnerlib-workshop-prepare", daemon=True)
        thread.start()
        return thread

    # -- Prioritise -----------------------------------------------------------------------------------------
    def _build_prioritise(self):
        self.scores = principle_scores(
            self.review.period_rows(self.review_period), scale=self.review.scale, method=self.method
        )
        self.participant = w.Text(description="Participant", placeholder="name or table", style=LABEL_STYLE)
        self.allocation = {
            p: w.BoundedIntText(value=0, min=0, max=self.dots, description=p, style={"description_width": "11em"})
            for p in self.review.principles
        }
        self.cast = w.Button(description="Cast dots", button_style="primary", layout=w.Layout(width="auto"))
        self.reset = w.Button(description="Reset all votes…", button_style="warning", layout=w.Layout(width="auto"))
        self.confirm_reset = w.Button(description="Yes, clear every vote", button_style="danger")
        self.keep_votes = w.Button(description="No, keep them")
        self.confirm_reset.layout.width = self.keep_votes.layout.width = "auto"
        self.confirm_text = w.HTML()
        self.confirm_box = w.HBox([self.confirm_text, self.confirm_reset, self.keep_votes])
        self.confirm_box.layout.display = "none"
        self.undo = w.Button(description="Undo the reset", layout=w.Layout(width="auto", display="none"))
        self.vote_feedback = w.HTML()
        self.voters = w.HTML()
        self.tally_figure = w.Image(format=FIGURE_FORMAT, layout=w.Layout(width="100%"))
        self.tally_table = w.HTML()
        self.cast.on_click(lambda _: self.cast_dots())
        self.reset.on_click(lambda _: self.ask_reset())
        self.confirm_reset.on_click(lambda _: self.reset_votes())
        self.keep_votes.on_click(lambda _: self._hide_confirm())
        self.undo.on_click(lambda _: self.undo_reset())
        where = (
            f"Votes are saved in <code>{esc(self.vote_store.path)}</code> and survive a reload."
            if self.vote_store
            else "This review has no actions register, so the votes last only as long as this page."
        )
        intro = w.HTML(
            f"<p>Each participant has <strong>{self.dots}</strong> dots to spread over the "
            "principles to work on first. Casting again under the same name (capitals and spaces "
            f"do not matter) replaces that participant's dots. {where}</p>"
        )
        left = w.VBox(
            [
                intro,
                self.participant,
                *self.allocation.values(),
                w.HBox([self.cast, self.reset, self.undo]),
                self.confirm_box,
                self.vote_feedback,
                self.voters,
            ],
            layout=w.Layout(width="38%", min_width="22em"),
        )
        left.add_class("partnerlib-controls")
        self._load_votes()
        right = w.VBox([self.tally_figure, self.tally_table], layout=w.Layout(flex="1 1 0%"))
        right.add_class("partnerlib-chart")
        return w.HBox([left, right], layout=w.Layout(flex_flow="row wrap"))

    def _load_votes(self) -> None:
        """Read the votes file (if any) and show the tally."""
        if self.vote_store is not None:
            self._stamps["votes"] = self.vote_store.stamp()
            try:
                state = self.vote_store.load()
            except PartnerDataError as exc:
                self.vote_feedback.value = _error(exc)
                state = VoteState()
            self.votes, self.cleared = state.votes, state.cleared
        self._show_tally()

    def _change_votes(self, change) -> VoteState:
        """Apply ``change(state) -> state`` to the saved votes (under their lock), or to the page's own."""
        if self.vote_store is None:
            state = change(VoteState(self.votes, self.cleared))
        else:
            state = self.vote_store.update(change)
            self._stamps["votes"] = self.vote_store.stamp()
        self.votes, self.cleared = state.votes, state.cleared
        return state

    def cast_dots(self) -> bool:
        """Record the participant's dots from the form; show the message of an invalid vote.

        A vote using fewer than all the dots is recorded with a note saying how many are left.
        """
        allocation = {p: box.value for p, box in self.allocation.items()}
        name = " ".join(str(self.participant.value).split())
        with self._ui:
            try:
                self._change_votes(
                    lambda st: VoteState(
                        cast_votes(st.votes, name, allocation, dots=self.dots, principles=self.review.principles),
                        st.cleared,
                    )
                )
            except PartnerDataError as exc:
                self.vote_feedback.value = _error(exc)
                return False
            placed = sum(allocation.values())
            note = (
                ""
                if placed == self.dots
                else f" Note: {placed} of {self.dots} dots placed, {self.dots - placed} left; cast again under "
                "the same name to place them all."
            )
            self.vote_feedback.value = f"<p>Dots recorded for {esc(name)}.{esc(note)}</p>"
            self.participant.value = ""
            for box in self.allocation.values():
                box.value = 0
            self._show_tally()
        return True

    def ask_reset(self) -> None:
        """Ask for confirmation before clearing the votes."""
        self.confirm_text.value = f"<p><strong>Clear the votes of all {len(self.votes)} participants?</strong></p>"
        self.confirm_box.layout.display = ""

    def _hide_confirm(self) -> None:
        self.confirm_box.layout.display = "none"

    def reset_votes(self) -> None:
        """Clear every vote cast (after :meth:`ask_reset`); *Undo the reset* brings them back."""
        with self._ui:
            self._change_votes(lambda st: VoteState({}, st.votes or st.cleared))
            self._hide_confirm()
            self.vote_feedback.value = "<p>All votes cleared. <em>Undo the reset</em> brings them back.</p>"
            self._show_tally()

    def undo_reset(self) -> None:
        """Bring back the votes the last reset cleared (votes cast since are kept)."""
        with self._ui:
            self._change_votes(lambda st: VoteState(undo_reset(st.votes, st.cleared), {}))
            self.vote_feedback.value = "<p>The votes are back.</p>"
            self._show_tally()

    def priorities(self) -> pd.DataFrame:
        """The gap ranking and the report's proposal beside the dot tally (see :func:`.votes.priorities`)."""
        return priorities(self.scores, tally(self.votes, self.review.principles))

    def _show_tally(self) -> None:
        table = self.priorities()
        self.undo.layout.display = "" if self.cleared else "none"
        who = dots_left(self.votes, self.dots)
        if who.empty:
            self.voters.value = "<p>Nobody has voted yet.</p>"
        else:
            items = "".join(
                f"<li>{esc(r.participant)}: {r.left} of {self.dots} dots left</li>" for r in who.itertuples()
            )
            self.voters.value = f"<p><strong>Voted ({len(who)})</strong></p><ul>{items}</ul>"
        with self._draw_lock, mpl.rc_context(RENDER_RC):
            ax = new_axes((7.0, 0.4 * len(table) + 1.4))
            plots.dot_bars(table, ax=ax)
            self.tally_figure.value = svg_bytes(ax)
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
            "principle": w.Dropdown(
                options=self.review.principles, value=None, description="Principle", style=LABEL_STYLE
            ),
            "action": w.Textarea(
                description="Action", placeholder="what will be done", layout=w.Layout(width="32em"), style=LABEL_STYLE
            ),
            "owner": w.Text(description="Owner", placeholder="person or team", style=LABEL_STYLE),
            "due": w.Text(description="Due date", placeholder="YYYY-MM-DD", style=LABEL_STYLE),
        }
        self.action_errors = {name: w.HTML() for name in FIELDS}
        self.edit = w.Dropdown(options=[("a new action", "")], value="", description="Editing", style=LABEL_STYLE)
        self.edit.observe(lambda _: self._on_edit(), names="value")
        self.submit = w.Button(description="Add action", button_style="primary", layout=w.Layout(width="auto"))
        self.cancel_action = w.Button(
            description="Cancel this action", button_style="warning", layout=w.Layout(width="auto", display="none")
        )
        self.act_feedback = w.HTML()
        self.register_table = w.HTML()
        self.where = w.HTML()
        self.submit.on_click(lambda _: self.submit_action())
        self.cancel_action.on_click(lambda _: self.cancel_edited())
        rows = [w.HBox([self.action_fields[n], self.action_errors[n]]) for n in FIELDS]
        if self.actions_path is None:
            self.submit.disabled = True
            self.edit.disabled = True
            self.act_feedback.value = (
                "<p>This review has no actions register: add <code>actions:</code> to its "
                "manifest entry (or pass <code>actions=</code>) to record actions.</p>"
            )
        else:
            self.where.value = self._where()
            self._show_register()
        return w.VBox([self.where, self.edit, *rows, w.HBox([self.submit, self.cancel_action]), self.act_feedback,
                       self.register_table])  # fmt: skip

    def _where(self) -> str:
        """The line saying which file the Act tab saves to."""
        text = f"Actions are saved to <code>{esc(self.actions_path)}</code>"
        if self.actions_source is not None:
            text += (
                f", a copy of the demo register <code>{esc(self.actions_source)}</code> made on the first save: "
                "the committed demo files are never changed"
            )
        return f"<p>{text}.</p>"

    def _register_file(self) -> Path | None:
        """The file the register is read from: the working register once it exists, else the committed one."""
        if self.actions_path is None:
            return None
        if self.actions_path.is_file() or self.actions_source is None:
            return self.actions_path
        return self.actions_source

    def _read_register(self) -> pd.DataFrame | None:
        path = self._register_file()
        if path is None or not path.is_file():
            return None
        return read_actions(path)

    def _register_stamp(self) -> int | None:
        path = self._register_file()
        try:
            return path.stat().st_mtime_ns if path is not None else None
        except FileNotFoundError:
            return None

    def _show_register(self) -> None:
        self._stamps["register"] = self._register_stamp()
        try:
            self.register = self._read_register()
        except PartnerDataError as exc:
            self.register = None
            self.register_table.value = _error(exc)
            return
        source = self._register_file()
        name = source.name if source is not None else ""
        mine = (
            []
            if self.register is None
            else [
                (f"{r.id} · {str(r.action)[:50]}", str(r.id))
                for r in self.register.itertuples()
                if str(r.period) == self.review_period
            ]
        )
        current = self.edit.value if self.edit.value in {v for _, v in mine} else ""
        self.edit.options = [("a new action", ""), *mine]
        self.edit.value = current
        if self.register is None or self.register.empty:
            self.register_table.value = f"<p>No actions yet in {esc(name)}.</p>"
            return
        highlight = [i for i, ident in enumerate(self.register["id"]) if ident == self.highlight]
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
                highlight=highlight,
            )
        )

    def _edited_row(self):
        if not self.editing or self.register is None:
            return None
        found = self.register[self.register["id"] == self.editing]
        return None if found.empty else found.iloc[0]

    def _on_edit(self) -> None:
        """Fill the form with the action chosen in *Editing* (or empty it for a new action)."""
        self.editing = self.edit.value or None
        row = self._edited_row()
        self.cancel_action.layout.display = "" if row is not None else "none"
        self.submit.description = "Save changes" if row is not None else "Add action"
        for box in self.action_errors.values():
            box.value = ""
        if row is None:
            for name in ("action", "owner", "due"):
                self.action_fields[name].value = ""
            return
        principle = row["principle"]
        self.action_fields["principle"].value = principle if principle in self.review.principles else None
        self.action_fields["action"].value = "" if pd.isna(row["action"]) else str(row["action"])
        self.action_fields["owner"].value = "" if pd.isna(row["owner"]) else str(row["owner"])
        self.action_fields["due"].value = "" if pd.isna(row["due"]) else row["due"].date().isoformat()

    def submit_action(self) -> bool:
        """Check the form; save a valid action (new, or the one being edited) and show it, else each field's message."""
        for box in self.action_errors.values():
            box.value = ""
        if self.actions_path is None:
            return False
        values = {name: field.value for name, field in self.action_fields.items()}
        with self._ui:
            ensure_working_copy(self.actions_path, self.actions_source)
            with register_lock(self.actions_path):
                try:
                    register = self._read_register()
                except PartnerDataError as exc:
                    self.act_feedback.value = _error(f"Not saved: {exc}")
                    return False
                self.register = register
                edited = self._edited_row()
                row, errors = draft_action(
                    **values,
                    period=self.review_period,
                    principles=self.review.principles,
                    register=register,
                    today=self.today,
                    action_id=None if edited is None else str(edited["id"]),
                    status="not started" if edited is None else str(edited["status"]),
                )
                if errors or row is None:
                    for name, text in errors.items():
                        self.action_errors[name].value = f"<span style='{ERROR_STYLE}'>{esc(text)}</span>"
                    self.act_feedback.value = "<p>Not saved: fix the fields marked.</p>"
                    return False
                if edited is not None:
                    row = row.drop(columns=["notes"])  # an edit keeps the action's notes
                try:
                    save_actions(row, self.actions_path)
                except (PartnerDataError, OSError) as exc:
                    self.act_feedback.value = _error(f"Not saved: {exc}")
                    return False
            ident = str(row["id"].iat[0])
            self.act_feedback.value = (
                f"<p>{'Saved changes to' if edited is not None else 'Saved'} action {esc(ident)}.</p>"
            )
            self.highlight = ident
            self.edit.value = ""
            for name in ("action", "owner", "due"):
                self.action_fields[name].value = ""
            self._show_register()
        return True

    def cancel_edited(self) -> bool:
        """Set the status of the action being edited to ``cancelled`` (it stays in the register)."""
        row = self._edited_row()
        if row is None or self.actions_path is None:
            return False
        change = pd.DataFrame(
            [{"id": row["id"], "period": row["period"], "action": row["action"], "status": "cancelled"}]
        )
        with self._ui:
            ensure_working_copy(self.actions_path, self.actions_source)
            try:
                save_actions(change, self.actions_path)
            except (PartnerDataError, OSError) as exc:
                self.act_feedback.value = _error(f"Not cancelled: {exc}")
                return False
            self.act_feedback.value = (
                f"<p>Action {esc(row['id'])} cancelled: it stays in the register with the status cancelled.</p>"
            )
            self.highlight = str(row["id"])
            self.edit.value = ""
            self._show_register()
        return True

    # -- several pages ----------------------------------------------------------------------------------------
    def refresh_shared(self) -> bool:
        """Show votes and actions other pages saved since this page last looked; True if anything changed."""
        changed = False
        with self._ui:
            if self.vote_store is not None and self.vote_store.stamp() != self._stamps.get("votes"):
                self._load_votes()
                changed = True
            if self.actions_path is not None and self._register_stamp() != self._stamps.get("register"):
                self._show_register()
                changed = True
        return changed

    def start_watching(self, interval: float = 0.5) -> threading.Thread:
        """Look for other pages' changes every ``interval`` seconds in a background thread (until :meth:`stop`)."""

        def loop():
            while not self._stop.wait(interval):
                try:
                    self.refresh_shared()
                except (PartnerlibError, OSError) as exc:  # a file being replaced: shown, and tried again
                    self.vote_feedback.value = _error(exc)

        thread = threading.Thread(target=loop, name="partnerlib-workshop-watch", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop looking for other pages' changes and drawing ahead."""
        self._stop.set()
        self._wake.set()


def open_workshop(surveys, codebook=None, *, show_errors: bool = False, **options):
    """The workshop application of one review.

    Parameters
    ----------
    surveys : Survey or mapping
        An already loaded :class:`partnerlib.Survey`, or ``{period: export path}``
        as in a manifest entry (then ``codebook`` is required).
    codebook : path, dict or Codebook, optional
        The codebook of the exports.
    show_errors : bool
        Return a page showing partnerlib's message instead of raising when
        the inputs cannot be used (the served workshop does, so that the
        room sees what to fix rather than a Voilà error).
    **options
        The keyword arguments of :class:`Workshop`: ``period``, ``actions``, ``min_n``, ``dots``,
        ``title``, ``today``, ``review``, ``watch``, ``prepare``.

    Returns
    -------
    Workshop or ipywidgets.HTML
        Display it (last line of a notebook cell) to show the application.
    """
    try:
        if isinstance(surveys, Survey):
            survey = surveys
        else:
            if codebook is None:
                raise PartnerDataError(
                    f"workshop: a codebook is needed to read the survey exports {dict(surveys)}; pass codebook=..."
                )
            survey = read_surveys(surveys, codebook)
        return Workshop(survey, **options)
    except PartnerlibError as exc:
        if not show_errors:
            raise
        return w.HTML(
            f"<div style='font-size:20px'><h2>The workshop cannot open</h2>{_error(exc)}"
            "<p>Fix the file named above and start the workshop again.</p></div>"
        )
