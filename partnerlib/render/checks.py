"""Checks of an executed review notebook before it becomes a report: a report that should hold charts holds them.

A chart cell (tagged :data:`partnerlib.report.CHART_TAG` in the review
notebook) must show its figure, or say through
:data:`partnerlib.report.NO_CHART_MIME` that it deliberately has none.  A
cell that shows neither, because matplotlib drew into a backend that shows
nothing or a plot function drew no figure, fails the review instead of
giving a report with a hole and an exit status of 0.
"""

from __future__ import annotations

from ..report.marks import CHART_TAG, NO_CHART_MIME

#: What the batch summary says about a chart cell that shows nothing.
MISSING_CHART_ERROR = (
    "MissingChartError: the cell is tagged 'chart' but shows no figure (its plot drew nothing, or the kernel's "
    "matplotlib backend displays nothing); a chart cell without data calls report.chart, which records that"
)
#: Output MIME types that are a chart.
FIGURE_MIMES = ("image/svg+xml", "image/png", "image/jpeg")


def _shows(cell, mimes) -> bool:
    return any(m in output.get("data", {}) for output in cell.get("outputs", []) for m in mimes)


def cells_without_chart(nb) -> list:
    """The code cells of ``nb`` tagged ``chart`` that show no figure and no "no chart" record, in notebook order."""
    return [
        cell
        for cell in nb.cells
        if cell.cell_type == "code"
        and CHART_TAG in cell.get("metadata", {}).get("tags", [])
        and not _shows(cell, (*FIGURE_MIMES, NO_CHART_MIME))
    ]
