"""The workshop's filters and its anonymity guard: the selection helpers and the disclosure rules it uses.

Selections are applied with :mod:`partnerlib.analysis.selection`; whether one
may be shown is decided by the rules of :mod:`partnerlib.analysis.suppression`
(minimum group size, no differencing between views).  The rules bound what
two views reveal together; the minimum itself stays the first line of defence.
"""

from ..analysis.selection import ALL, active, filter_options, select
from ..analysis.suppression import Disclosure, check_disclosure, differencing_message, too_few_message

__all__ = [
    "ALL",
    "Disclosure",
    "active",
    "check_disclosure",
    "differencing_message",
    "filter_options",
    "select",
    "too_few_message",
]
