"""What a review says: its tables composed once, its sentences, and the report notebook's display helpers.

- :mod:`.review`: :func:`analyse_review` reads a review's inputs and computes every table;
- :mod:`.narrative`: sentences from the numbers; :mod:`.evidence`: sentences on key drivers and what the
  survey can detect; :mod:`.text`: escaping and number formats;
- :mod:`.tables`: the report's tables as a client reads them;
- :mod:`.display`: the report notebook's helpers (cover, text, tables, charts, comments);
- :mod:`.marks`: what the notebook leaves for the render machinery (the headline figures for the portfolio
  page, the chart cells' tag).

The notebook helpers are re-exported here, so a notebook writes ``report.table(...)``.
"""

import lazy_loader

# What this package exports is written once, in __init__.pyi (read by type checkers too); each name is imported
# on first use, so ``import partnerlib`` and the command line load only what they touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
