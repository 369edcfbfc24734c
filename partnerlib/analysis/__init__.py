"""The middle of the flow: pure functions that turn tidy tables into result tables.

Nothing here reads or writes a file, draws, or imports :mod:`partnerlib.io`:
each function takes frames (and the method's numbers, defaulting to
:data:`partnerlib.settings.METHOD`) and returns frames.  Estimators
(:mod:`.estimators`) depend on nothing above NumPy and SciPy; every
anonymity rule is in :mod:`.suppression`.
"""

import lazy_loader

# What this package exports is written once, in __init__.pyi (read by type checkers too); each name is imported
# on first use, so ``import partnerlib`` and the command line load only what they touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
