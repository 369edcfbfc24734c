"""Type stub of the package: its exports (imported lazily, see __init__.py)."""

from . import plots, report
from .analysis import (
    action_followup,
    comment_themes,
    comments_to_show,
    engagement,
    importance_grid,
    key_drivers,
    kpi_scorecard,
    likert_counts,
    objectives_alignment,
    perception_differences,
    period_change,
    principle_scores,
    reliability,
    strengths_and_gaps,
)
from .exceptions import (
    CodebookError,
    ExportFormatError,
    FileFormatError,
    LimitExceededError,
    ManifestError,
    PartnerDataError,
    PartnerDataWarning,
    PartnerlibError,
    PartnerlibWarning,
    RenderError,
)
from .io import (
    Codebook,
    Survey,
    combine,
    drop_summary,
    load_codebook,
    quality_summary,
    read_actions,
    read_kpis,
    read_objectives,
    read_roster,
    read_survey,
    read_surveys,
    respondent_counts,
    save_actions,
    select_period,
)
from .report import analyse_review, narrative
from .settings import LIMITS, METHOD, Limits, Method
from .workshop import open_workshop

__version__: str

__all__ = [
    "LIMITS", "METHOD", "Codebook", "CodebookError", "ExportFormatError", "FileFormatError", "LimitExceededError",
    "Limits", "ManifestError", "Method", "PartnerDataError", "PartnerDataWarning", "PartnerlibError",
    "PartnerlibWarning", "RenderError", "Survey", "__version__", "action_followup", "analyse_review", "combine",
    "comment_themes", "comments_to_show", "drop_summary", "engagement", "importance_grid", "key_drivers",
    "kpi_scorecard", "likert_counts", "load_codebook",
    "narrative", "objectives_alignment", "open_workshop", "perception_differences", "period_change", "plots",
    "principle_scores", "quality_summary", "read_actions", "read_kpis", "read_objectives", "read_roster", "read_survey",
    "read_surveys", "reliability", "report", "respondent_counts", "save_actions", "select_period",
    "strengths_and_gaps",
]  # fmt: skip
