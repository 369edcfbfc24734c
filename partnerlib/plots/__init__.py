"""Charts of the bundle (seaborn/matplotlib).  Every function has the shape
``func(data, *, ..., ax=None) -> Axes``: it draws on ``ax`` (or the current
axes), returns it, and never calls ``show`` or ``savefig``.  Titles are set
with ``_theme.set_title``, which marks them (:data:`TITLE_ID`) so that the
report names each chart in its image's alternative text.
"""

from ._theme import BAND_COLOURS, CHART_RC, PALETTE, SUPPRESSED_TEXT, TITLE_ID, set_theme
from .cycle import action_followup, kpi_scorecard, objectives_alignment
from .survey import engagement_bars, likert_bars, perception_dumbbell, score_heatmap, strengths_gaps, trend_lines

__all__ = ["BAND_COLOURS", "CHART_RC", "PALETTE", "SUPPRESSED_TEXT", "TITLE_ID", "set_theme", "strengths_gaps",
           "engagement_bars", "likert_bars", "perception_dumbbell", "score_heatmap", "trend_lines",
           "action_followup", "kpi_scorecard", "objectives_alignment"]
