"""Type stub of the package: its exports (imported lazily, see __init__.py)."""

from . import evidence, narrative, tables
from .display import axes, chart, comments, prose, setup, table, title
from .marks import CHART_TAG, HEADLINES_MIME, NO_CHART_MIME, record_headlines
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
