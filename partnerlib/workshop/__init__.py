"""The facilitated workshop: an ipywidgets application over the review's pure functions.

Modules: :mod:`.filters` (selections and the anonymity guard), :mod:`.views`
(the Explore views), :mod:`.votes` (dot voting), :mod:`.form` (checking a new
action), :mod:`.widgets` (the application) and :mod:`.serve` (serving the
workshop notebook with Voilà).  This module only re-exports; open a
workshop with :func:`open_workshop`.
"""

from .filters import ALL, Disclosure, check_disclosure, filter_options, select, too_few_message
from .form import draft_action, next_action_id
from .views import VIEWS, ReviewData, ViewResult, explore
from .votes import cast_votes, priorities, tally
from .widgets import Workshop, open_workshop

__all__ = [
    "ALL",
    "VIEWS",
    "Disclosure",
    "ReviewData",
    "ViewResult",
    "Workshop",
    "cast_votes",
    "check_disclosure",
    "draft_action",
    "explore",
    "filter_options",
    "next_action_id",
    "open_workshop",
    "priorities",
    "select",
    "tally",
    "too_few_message",
]
