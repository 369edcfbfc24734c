"""Charts of the bundle (seaborn/matplotlib), one module per kind of chart.

Every function has the shape ``func(data, *, ..., ax=None) -> Axes``: it
draws on ``ax`` (or the current axes), returns it, and never calls ``show``
or ``savefig``.  Titles are set with ``_theme.set_title``, which marks them
(:data:`TITLE_ID`) so that the report names each chart in its image's
alternative text.
"""

import lazy_loader

# What this package exports is written once, in __init__.pyi (read by type checkers too); each name is imported
# on first use, so ``import partnerlib`` and the command line load only what they touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
