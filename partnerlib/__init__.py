"""partnerlib: partnership health reviews from survey exports and KPI spreadsheets.

This module only re-exports the public API; each concern lives in its own module.
"""

from .codebook import Codebook, load_codebook
from .exceptions import CodebookError, ExportFormatError, ManifestError, PartnerDataError, RenderError
from .survey import Survey, combine, drop_summary, read_survey, read_surveys, respondent_counts, select_period
from . import narrative
from .scores import principle_scores, strengths_and_gaps
from .compare import perception_gaps, period_change
from .likert import likert_counts
from .engagement import engagement, read_roster
from .reliability import reliability
from .actions import action_followup, read_actions, save_actions
from .kpis import kpi_scorecard, read_kpis
from .objectives import objectives_alignment, read_objectives
from .comments import comments_to_show
from . import plots
from . import portfolio
# The package partnerlib.workshop holds the widgets; the name is re-bound here to its application function.
from .workshop import workshop

__version__ = "0.1.0"

__all__ = [
    "Codebook", "CodebookError", "ExportFormatError", "ManifestError", "PartnerDataError", "Survey",
    "combine", "load_codebook", "plots", "principle_scores", "read_survey", "read_surveys", "respondent_counts",
    "select_period", "strengths_and_gaps", "narrative",
    "engagement", "likert_counts", "perception_gaps", "period_change", "read_roster", "reliability",
    "action_followup", "read_actions", "save_actions", "kpi_scorecard", "read_kpis", "objectives_alignment",
    "read_objectives", "comments_to_show", "RenderError", "portfolio", "drop_summary", "workshop",
]
