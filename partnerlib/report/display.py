"""Display helpers for the report notebook: text and tables as rich output.

These turn strings and frames into IPython display objects; the numbers
come from the pure analysis functions and the sentences from
:mod:`partnerlib.report.narrative`.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown

from ..plots import INLINE_BACKEND
from .narrative import comments_html
from .text import esc

#: The output of a cell tagged ``chart`` that deliberately has no chart (no data), see :func:`chart`; never shown.
NO_CHART_MIME = "application/vnd.partnerlib.no-chart+json"
#: The tag of the review notebook's chart cells: each must show a figure or :data:`NO_CHART_MIME`.
CHART_TAG = "chart"

_LABELS = {
    "n": "n",
    "current": "Current",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "importance": "Importance",
    "gap": "Gap",
    "favourable": "Favourable",
    "band": "Band",
    "quadrant": "Quadrant",
    "principle": "Principle",
    "partner": "Organisation",
    "role": "Role",
    "period": "Period",
    "kind": "Kind",
    "rank": "Rank",
    "disagreement": "Disagreement",
    "earlier_actions": "Earlier actions",
    "items": "Statements",
    "alpha": "Cronbach's alpha",
    "flag": "Below 0.7",
    "note": "Note",
}


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


def title(client: str, period: str, review: str | None = None) -> Markdown:
    """The report's title block."""
    sub = f" · review `{esc(review)}`" if review else ""
    return Markdown(f"# Partnership review {esc(period)}\n\n**{esc(client)}**{sub}")


def markdown(text: str) -> Markdown:
    """Generated text (already escaped by :mod:`partnerlib.narrative`) as Markdown output."""
    return Markdown(text)


def table(
    frame: pd.DataFrame, *, columns=None, digits: int = 2, percent=("favourable",), caption: str | None = None
) -> HTML:
    """An HTML table of ``frame`` with escaped cells, readable headings and rounded numbers.

    Suppressed rows show "too few responses" instead of their figures.
    """
    frame = frame if columns is None else frame[list(columns)]
    shown = frame.copy()
    suppressed = frame["suppressed"].astype(bool) if "suppressed" in frame else pd.Series(False, index=frame.index)
    for col in shown.columns:
        values = frame[col]
        if col in percent:
            shown[col] = [("–" if pd.isna(v) else f"{v:.0%}") for v in values]
        elif pd.api.types.is_float_dtype(values):
            shown[col] = [("–" if pd.isna(v) else f"{v:.{digits}f}") for v in values]
        else:
            shown[col] = ["–" if (not isinstance(v, str) and pd.isna(v)) else esc(v) for v in values]
    if "suppressed" in shown:
        shown = shown.drop(columns="suppressed")
        first_figure = next(
            (
                c
                for c in shown.columns
                if c in _LABELS and c not in {"principle", "partner", "role", "period", "kind", "rank"}
            ),
            None,
        )
        if first_figure is not None:
            shown[first_figure] = shown[first_figure].astype(object)
            shown.loc[suppressed.to_numpy(), first_figure] = "too few responses"
    shown.columns = [esc(_LABELS.get(c, c)) for c in shown.columns]
    body = shown.to_html(index=False, escape=False, border=0, classes="partnerlib-table", na_rep="–")
    cap = f"<p><em>{esc(caption)}</em></p>" if caption else ""
    return HTML(cap + body)


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


def axes(width: float = 8, height: float = 5):
    """A new figure of ``width`` x ``height`` inches and its Axes, for the next chart."""
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))[1]


def comments(results) -> HTML:
    """Respondents' comments of a review, escaped, for groups large enough to show them."""
    return HTML(comments_html(results.comments))
