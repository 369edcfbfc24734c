"""The edge where files come in: every reader turns a file into tidy tables, and registers are written back.

- :mod:`.tables`: the one table-reading layer (encodings, delimiters, XLSX extent, row numbers, limits);
- :mod:`.readers`: one module per survey platform, chosen through a registry;
- :mod:`.codebook`, :mod:`.survey`: the codebook and :func:`read_survey`;
- :mod:`.sheets`, :mod:`.kpis`, :mod:`.objectives`, :mod:`.actions`, :mod:`.roster`: client spreadsheets;
- :mod:`.privacy`: personal data dropped at read time, pseudonyms;
- :mod:`.atomic`, :mod:`.writing`: atomic, safe writes; :mod:`.yamlfile`: configuration files read safely.
"""

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
