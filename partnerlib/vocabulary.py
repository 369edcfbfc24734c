"""The words that label results, each defined once.

The analysis writes these labels into its tables, the charts colour by them
and the text names them, so all three always agree.  The numbers behind
them (cut-offs, thresholds) are in :mod:`partnerlib.settings`.
"""

from __future__ import annotations

import re

import pandas as pd

from .exceptions import PartnerDataError

#: The two measures every statement is rated on.
MEASURES = ("current", "importance")

#: A principle's band, from its current score (cut-offs in :class:`partnerlib.settings.Method`).
BANDS = ("strength", "borderline", "concern")
#: Importance-performance quadrants: crosshairs at the strength cut-off of current and the mean importance
#: (:func:`partnerlib.analysis.scores.quadrant_lines`); in this order: important and not a strength, important
#: and a strength, less important and a strength, less important and not a strength.
QUADRANTS = ("concentrate here", "keep up the good work", "possible overkill", "low priority")
#: What :func:`partnerlib.strengths_and_gaps` names a principle: a strength to keep, or a priority gap to close.
RANKING_KINDS = ("strength", "priority")
#: Label of a principle the organisations score clearly differently (a "difference"; a "gap" is importance - current).
CLEAR_DIFFERENCE = "clear difference"
#: How a principle's score moved between two periods.
CHANGE_DIRECTIONS = ("improved", "declined", "no clear change")
#: The tests of a pulse's change since the annual baseline (:func:`partnerlib.analysis.pulse.pulse_change`):
#: on the respondents who answered both, or on the two surveys' respondents as independent samples.
PULSE_TESTS = ("paired", "independent")

#: The four readings of the importance grid (stated importance against derived importance, each split at the
#: mean of the shown principles; :func:`partnerlib.analysis.drivers.importance_grid`), in this order: high
#: stated and high derived, low stated and high derived, high stated and low derived, low stated and low derived.
IMPORTANCE_READINGS = ("key driver", "hidden driver", "stated, not driving", "low impact")
#: How a key-driver weight was computed: exact general dominance, or Johnson's relative weights (many principles).
DRIVER_METHODS = ("general dominance", "relative weights")


def too_few_for_drivers_text(min_n: int) -> str:
    """Why a group has no key drivers: fewer than ``min_n`` respondents rated the outcome and every principle."""
    return f"fewer than {min_n} respondents rated the outcome and every principle"


#: What a group's figures say when they are hidden only so that a smaller group cannot be computed from them.
PROTECTS_SMALLER_GROUP = "hidden to protect a smaller group"


def too_few_text(min_n: int) -> str:
    """What a group's figures say when the group has fewer respondents than the anonymity minimum ``min_n``."""
    return f"fewer than {min_n} responses"


#: The mark of a reverse-worded statement wherever its text is shown beside its answers.
REVERSE_SCORED = "reverse-scored"

#: Group label of respondents whose role (or attribute) was left blank.
NOT_STATED = "Not stated"
#: Name of the count of "don't know" / not-applicable answers.
NOT_APPLICABLE = "not applicable"
#: Row label of an organisation's totals in the engagement table.
ALL_ROLES = "All roles"

#: Why a response was excluded when an export was read, in the order the rules apply.
DROP_REASONS = ("preview", "test", "incomplete", "duplicate", "empty")
#: Data-quality warnings about kept responses (they are never dropped for these): see docs/formats.md.
QUALITY_WARNINGS = ("identical answers", "straight-lining")

#: Kinds of KPI: the partners' goal, or the partnership itself.
KPI_KINDS = ("goal", "partnership")
#: Which way a KPI is better.
KPI_DIRECTIONS = ("higher", "lower")
#: A KPI's status against its target.
KPI_STATUSES = ("on track", "watch", "off track", "no target", "no data")
#: The same statuses, most serious first: the order in which reports and the portfolio page count them.
KPI_SEVERITY = ("off track", "watch", "on track", "no target", "no data")

#: An objective's status between the partners.
ALIGNMENT_STATUSES = ("aligned", "divergent", "unsupported")

#: The statuses an action can have, in the order of its life.
ACTION_STATUSES = ("not started", "in progress", "on hold", "done", "cancelled")
#: Statuses after which an action can no longer be overdue.
ACTION_FINISHED = ("done", "cancelled")
#: What became of the gap an action addressed.
FOLLOWUP_OUTCOMES = ("closed", "narrowed", "unchanged", "widened", "not yet measured", "not measured")


def normalise_status(value) -> str:
    """An action status cell as one of :data:`ACTION_STATUSES`.

    Case, ``_``/``-`` between words and extra spaces are ignored (``"In_Progress"``
    is ``in progress``); a blank status means ``not started``.

    Raises
    ------
    PartnerDataError
        Any other value, saying which statuses are allowed.
    """
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    if not text:
        return "not started"
    key = " ".join(re.sub(r"[_-]", " ", text).casefold().split())
    if key not in ACTION_STATUSES:
        raise PartnerDataError(
            f"unknown action status {text!r}; expected one of {list(ACTION_STATUSES)} (check spelling and extra words)"
        )
    return key


#: The theme of a comment that speaks of none of the agreed principles (:mod:`partnerlib.analysis.themes`).
OTHER_THEME = "other"

#: The columns of a portfolio norms record: one principle's position (0-1) on its scale in one review
#: (:mod:`partnerlib.io.norms`, :mod:`partnerlib.analysis.norms`).
NORM_RECORD_COLUMNS = ("client", "review", "period", "principle", "position")
