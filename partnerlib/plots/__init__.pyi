"""Type stub of the package: its exports (imported lazily, see __init__.py)."""

from ._theme import BAND_COLOURS, CHART_RC, INLINE_BACKEND, PALETTE, SMALL_TEXT, TITLE_ID, set_theme
from .arrows import followup_arrows
from .dumbbell import perception_dumbbell
from .heatmap import score_heatmap
from .importance import importance_grid_plot
from .kpi import kpi_bars
from .likert import likert_bars
from .matrix import alignment_matrix
from .norms import norm_bars
from .pulse import pulse_changes
from .quadrant import quadrant_scatter
from .rates import engagement_bars
from .themes import theme_bars
from .trend import trend_lines
from .votes import dot_bars

__all__ = [
    "BAND_COLOURS",
    "CHART_RC",
    "INLINE_BACKEND",
    "PALETTE",
    "SMALL_TEXT",
    "TITLE_ID",
    "alignment_matrix",
    "dot_bars",
    "engagement_bars",
    "followup_arrows",
    "importance_grid_plot",
    "kpi_bars",
    "likert_bars",
    "norm_bars",
    "perception_dumbbell",
    "pulse_changes",
    "quadrant_scatter",
    "score_heatmap",
    "set_theme",
    "theme_bars",
    "trend_lines",
]
