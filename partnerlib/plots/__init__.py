"""Charts of the bundle (seaborn/matplotlib).  Every function has the shape
``func(data, *, ..., ax=None) -> Axes``: it draws on ``ax`` (or the current
axes), returns it, and never calls ``show`` or ``savefig``.
"""

from ._theme import BAND_COLOURS, PALETTE, SUPPRESSED_TEXT, set_theme
from .survey import strengths_gaps
from .cycle import action_followup, kpi_scorecard, objectives_alignment

__all__ = ["BAND_COLOURS", "PALETTE", "SUPPRESSED_TEXT", "set_theme", "strengths_gaps",
           "action_followup", "kpi_scorecard", "objectives_alignment"]
