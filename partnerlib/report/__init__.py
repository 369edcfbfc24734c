"""What a review says: its tables composed once, its sentences, and the report notebook's display helpers.

- :mod:`.review`: :func:`analyse_review` reads a review's inputs and computes every table;
- :mod:`.narrative`: sentences from the numbers; :mod:`.evidence`: sentences on key drivers and what the
  survey can detect; :mod:`.text`: escaping and number formats;
- :mod:`.tables`: the report's tables as a client reads them;
- :mod:`.display`: the report notebook's helpers (cover, text, tables, charts, comments);
- :mod:`.headlines`: the headline figures the notebook records for the portfolio page.

The notebook helpers are re-exported here, so a notebook writes ``report.table(...)``.
"""

from . import evidence, narrative, tables
from .display import CHART_TAG, NO_CHART_MIME, axes, chart, comments, prose, setup, table, title
from .headlines import HEADLINES_MIME, record_headlines
from .review import ReviewResults, analyse_review, headlines

__all__ = [
    "CHART_TAG",
    "HEADLINES_MIME",
    "NO_CHART_MIME",
    "ReviewResults",
    "analyse_review",
    "axes",
    "chart",
    "comments",
    "evidence",
    "headlines",
    "narrative",
    "prose",
    "record_headlines",
    "setup",
    "table",
    "tables",
    "title",
]
