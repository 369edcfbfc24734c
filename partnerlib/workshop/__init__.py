"""The facilitated workshop: an ipywidgets application over the review's pure functions.

Modules: :mod:`.filters` (selections and the anonymity guard), :mod:`.views`
(the Explore views), :mod:`.votes` (dot voting), :mod:`.form` (checking a new
action), :mod:`.app` (the widgets) and :mod:`.serve` (serving the workshop
notebook with Voilà).  This module only re-exports.

``partnerlib/__init__.py`` re-binds the name ``partnerlib.workshop`` to the
application function :func:`workshop`, so import the modules by their full
path: ``from partnerlib.workshop.filters import check_disclosure``.
"""

from .app import Workshop, workshop
from .filters import ALL, Disclosure, check_disclosure, filter_options, select, too_few_message
from .form import draft_action, next_action_id
from .views import VIEWS, ReviewData, ViewResult, explore
from .votes import cast_votes, priorities, tally

__all__ = ["ALL", "Disclosure", "ReviewData", "VIEWS", "ViewResult", "Workshop", "cast_votes", "check_disclosure",
           "draft_action", "explore", "filter_options", "next_action_id", "priorities", "select", "tally",
           "too_few_message", "workshop"]
