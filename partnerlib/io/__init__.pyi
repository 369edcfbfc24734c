"""Type stub of the package: its exports (imported lazily, see __init__.py)."""

from .actions import read_actions, save_actions
from .codebook import Codebook, load_codebook
from .kpis import read_kpis
from .objectives import read_objectives
from .roster import read_roster
from .survey import (
    Survey,
    combine,
    drop_summary,
    quality_summary,
    read_survey,
    read_surveys,
    respondent_counts,
    select_period,
)

__all__ = ["Codebook", "Survey", "combine", "drop_summary", "load_codebook", "quality_summary", "read_actions",
           "read_kpis", "read_objectives", "read_roster", "read_survey", "read_surveys", "respondent_counts",
           "save_actions", "select_period"]  # fmt: skip
