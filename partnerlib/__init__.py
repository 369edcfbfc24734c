"""partnerlib: partnership health reviews from survey exports and KPI spreadsheets.

The package follows the flow of a review, one subpackage per step (imports
point down it only)::

    settings, vocabulary, exceptions, schemas   the rules every step reads (numbers, words, errors, tables)
    io/        files in: the table layer, survey readers, codebook, client sheets, privacy, atomic writes
    analysis/  frames in, frames out: scores, comparisons, suppression, KPIs, follow-up ...
    plots/     frames in, Axes out, one module per kind of chart
    report/    a review composed once, its sentences, the report notebook's helpers
    render/    notebooks executed into reports, batches, the portfolio page
    workshop/  the facilitated workshop (ipywidgets, served with Voilà)
    cli        the ``partnerlib`` command

This module only re-exports the public API the notebooks use (``pl.*``).
"""

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("partnerlib")
except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
    __version__ = "0.0.0"

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
