"""Display helpers for the report notebook: text and tables as rich output.

These turn strings and frames into IPython display objects; the numbers
come from the pure analysis functions and the sentences from
:mod:`partnerlib.report.narrative`.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from ..config import INLINE_BACKEND
from ..settings import ANONYMITY_FLOOR, METHOD, Method
from .marks import NO_CHART_MIME
from .narrative import comments_html
from .text import date_text, esc, pct

#: Column headings in words for tables shown as they come from the analysis (the explore notebook).
_LABELS = {
    "n": "Responses",
    "current": "Lived today",
    "ci_low": "Likely range from",
    "ci_high": "Likely range to",
    "importance": "Importance",
    "gap": "Gap (points)",
    "favourable": "Favourable",
    "band": "Band",
    "quadrant": "Reading",
    "principle": "Principle",
    "item": "Statement",
    "partner": "Organisation",
    "role": "Role",
    "period": "Period",
    "rank": "Rank",
    "items": "Statements",
    "alpha": "Cronbach's alpha",
    "note": "Note",
    "hidden": "Not shown because",
}
#: The class of every block of generated text: MathJax (JupyterLab, Voilà) never typesets inside it.
TEXT_CLASSES = "partnerlib-text tex2jax_ignore mathjax_ignore"


def setup() -> None:
    """Prepare the report's kernel: matplotlib's own defaults, the bundle's chart theme, charts embedded as SVG.

    - matplotlib's settings are reset to its defaults first, so a ``matplotlibrc`` or style of the machine
      (``MPLCONFIGDIR``, ``MATPLOTLIBRC``, one in the notebook's folder) changes nothing in the report;
    - in an IPython kernel the inline backend is switched on even where the kernel was started with another
      (``MPLBACKEND=Agg`` in the shell that started JupyterLab), so every chart becomes an output of its cell;
      the renderer starts its kernels in an environment of its own anyway
      (:mod:`partnerlib.render.environment`);
    - charts become inline SVG in the notebook and its HTML (text kept as text, see
      :data:`partnerlib.plots.CHART_RC`): sharp when printed to PDF or zoomed, a quarter of the size of the
      PNG, and quicker to render; their metadata carry no date, so the same review gives the same SVG;
    - pyplot's own after-cell hook is disconnected: in IPython it draws every new figure once more just before
      the inline backend draws it for display, which doubled the time of every chart.

    Outside an IPython kernel only the defaults and the theme are applied.
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from ..plots import set_theme

    mpl.rcdefaults()
    set_theme()
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython without matplotlib-inline
        return
    shell = get_ipython()
    if shell is not None:
        if mpl.get_backend() != INLINE_BACKEND:
            shell.enable_matplotlib("inline")
        set_matplotlib_formats("svg", metadata={"Date": None})
        plt.uninstall_repl_displayhook()


def title(client: str, period: str, *, date=None, method: Method = METHOD, kind: str = "Partnership review") -> HTML:
    """The report's cover block: "Partnership review <period>" (``kind``), the client, the date and "Confidential".

    ``date`` is the date of the review (any date-like value), written as ``1 December 2026``; none where missing.
    Where ``method`` shows groups smaller than the anonymity floor (``allow_small_groups``), the cover says so.
    """
    when = f'<p class="partnerlib-date">{date_text(date)}</p>' if date not in (None, "") else ""
    small = (
        f'<p class="partnerlib-warning">Groups of as few as {method.min_n} respondents are shown in this report: the '
        f"anonymity minimum was lowered below {ANONYMITY_FLOOR} at the client's request, so people in small groups "
        "may recognise one another's answers.</p>"
        if method.small_groups_allowed
        else ""
    )
    return HTML(
        f'<div class="partnerlib-cover {TEXT_CLASSES}"><p class="partnerlib-confidential">Confidential</p>'
        f'<h1>{esc(kind)} {esc(period)}</h1><p class="partnerlib-client">{esc(client)}</p>{when}{small}</div>'
    )


def prose(text: str) -> HTML:
    """Generated text (HTML from :mod:`partnerlib.report.narrative`, client text already escaped) as output."""
    return HTML(f'<div class="{TEXT_CLASSES}">{text}</div>')


def _cell(value, digits: int) -> str:
    """One table cell as text: numbers rounded, True/False as yes/blank, missing as an en dash."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(
    frame: pd.DataFrame | None,
    *,
    columns=None,
    digits: int = 1,
    percent=("favourable", "favourable_low", "favourable_high"),
    caption=None,
) -> HTML:
    """An HTML table of ``frame``: escaped cells, headings in words, numbers rounded, hidden groups explained.

    Frames of text from :mod:`partnerlib.report.tables` are shown as they are.  Frames straight from the analysis
    get headings in words, ``digits`` decimals, whole percentages for ``percent`` columns, "yes" for a true flag,
    no column that is empty throughout, and the reason of a hidden group (its ``hidden`` text) in place of its
    figures.  A wide table scrolls sideways inside its own box, which says so on narrow screens.
    """
    if frame is None:  # a section that is not shown (its text says nothing either)
        return HTML("")
    frame = frame if columns is None else frame[list(columns)]
    shown = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        if col in percent:
            shown[col] = [pct(v) for v in frame[col]]
        else:
            shown[col] = [_cell(v.item() if hasattr(v, "item") else v, digits) for v in frame[col]]
    if "suppressed" in frame:
        hidden = frame["suppressed"].astype(bool).to_numpy()
        reasons = frame["hidden"] if "hidden" in frame else pd.Series("hidden", index=frame.index)
        figures = [c for c in shown.columns if c in _FIGURES]
        if figures and hidden.any():
            shown.loc[hidden, figures[0]] = reasons[hidden].astype(str).to_numpy()
            shown.loc[hidden, figures[1:]] = ""
        shown = shown.drop(columns=[c for c in ("suppressed", "hidden") if c in shown])
    shown = shown[[c for c in shown.columns if not shown[c].isin(["", "–"]).all()]]
    shown.columns = [_LABELS.get(c, c) for c in shown.columns]
    body = html_table(shown)
    cap = f'<p class="partnerlib-caption"><em>{esc(caption)}</em></p>' if caption else ""
    return HTML(f'<div class="{TEXT_CLASSES}">{cap}<div class="partnerlib-scroll" tabindex="0">{body}</div></div>')


#: A cell that reads as a figure (a count, a score, a share, a range): right-aligned so that digits line up.
_NUMBER = re.compile(r"^[−+-]?\d[\d,.]*(%|–[−+-]?\d[\d,.]*)?( points)?$")


def html_table(frame: pd.DataFrame) -> str:
    """A frame of text as an HTML table, every cell escaped; columns of figures right-aligned, text left."""
    numeric = [bool(len(frame)) and all(_NUMBER.match(v) or v in ("", "–") for v in frame[c]) for c in frame.columns]
    head = "".join(f'<th class="{"num" if n else "text"}">{esc(c)}</th>' for c, n in zip(frame.columns, numeric))
    rows = "".join(
        "<tr>" + "".join(f'<td class="{"num" if n else "text"}">{esc(v)}</td>' for v, n in zip(row, numeric)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="partnerlib-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


#: Columns that hold a group's figures (hidden for a hidden group).
_FIGURES = ("n", "current", "ci_low", "ci_high", "importance", "gap", "favourable", "favourable_low",
            "favourable_high", "band", "quadrant", "answers")  # fmt: skip


def chart(plot, data, *args, size: tuple[float, float] = (8, 5), **kwargs) -> None:
    """Draw the chart ``plot(data, *args, ax=<new Axes of size inches>, **kwargs)``, or record that there is none.

    A cell tagged ``chart`` in the review notebook must show a figure: the renderer fails the review, naming the
    cell, when it shows none (:func:`partnerlib.render.checks.cells_without_chart`).  Where ``data`` is ``None``
    (no roster, no KPI workbook, no earlier period) there is deliberately no chart: nothing is drawn and an
    output of MIME type :data:`NO_CHART_MIME` tells the renderer so (it never appears in the report; the
    section's text says what is missing).

    Notes
    -----
    Returns nothing, so that a call ending a cell shows no ``Out[]`` value (the figure itself is shown by the
    inline backend when the cell ends).
    """
    if data is None:
        from IPython.display import display

        display({NO_CHART_MIME: {"plot": getattr(plot, "__name__", str(plot))}}, raw=True)
        return
    plot(data, *args, ax=axes(*size), **kwargs)


#: The widest a report's chart may be, in inches: printed on A4 or Letter (about 7 inches of text width) its
#: smallest text (:data:`partnerlib.plots.SMALL_TEXT`, 9 points) stays above 7 points.
MAX_CHART_WIDTH = 8.5


def axes(width: float = 8, height: float = 5):
    """A new figure of ``width`` x ``height`` inches and its Axes, for the next chart.

    The figure is laid out by matplotlib's constrained layout, so that its labels, legends and colour bars fit
    inside ``width`` x ``height``: the chart shown is never wider than asked (at most :data:`MAX_CHART_WIDTH`).
    """
    import matplotlib.pyplot as plt

    if width > MAX_CHART_WIDTH:
        raise ValueError(f"a report chart is at most {MAX_CHART_WIDTH:g} inches wide, got {width:g}")
    return plt.subplots(figsize=(width, height), layout="constrained")[1]


def comments(results) -> HTML:
    """Respondents' comments of a review, escaped, for groups large enough to show them."""
    return prose(comments_html(results.comments))
