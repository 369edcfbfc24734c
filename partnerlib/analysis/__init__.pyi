"""Type stub of the package: its exports (imported lazily, see __init__.py)."""

from .aggregate import period_order
from .comments import ShownComments, comments_to_show
from .compare import perception_differences, period_change
from .drivers import importance_grid, key_drivers
from .engagement import engagement
from .followup import action_followup
from .kpis import kpi_scorecard, kpi_status
from .likert import likert_counts
from .objectives import alignment_index, alignment_partners, objectives_alignment
from .population import invited_counts
from .power import detectable_differences
from .priorities import priorities
from .reliability import reliability
from .scores import band, principle_scores, score_pattern, strengths_and_gaps
from .themes import CommentThemes, classify_comments, comment_themes, theme_lexicon

__all__ = [
    "CommentThemes",
    "ShownComments",
    "action_followup",
    "alignment_index",
    "alignment_partners",
    "band",
    "classify_comments",
    "comment_themes",
    "comments_to_show",
    "detectable_differences",
    "engagement",
    "importance_grid",
    "invited_counts",
    "key_drivers",
    "kpi_scorecard",
    "kpi_status",
    "likert_counts",
    "objectives_alignment",
    "perception_differences",
    "period_change",
    "period_order",
    "principle_scores",
    "priorities",
    "reliability",
    "score_pattern",
    "strengths_and_gaps",
    "theme_lexicon",
]
