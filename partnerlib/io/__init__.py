"""The edge where files come in: every reader turns a file into tidy tables, and registers are written back.

- :mod:`.tables`: the one table-reading layer (encodings, delimiters, XLSX extent, row numbers, limits);
- :mod:`.readers`: one module per survey platform, chosen through a registry;
- :mod:`.codebook`, :mod:`.survey`: the codebook and :func:`read_survey`;
- :mod:`.sheets`, :mod:`.kpis`, :mod:`.objectives`, :mod:`.actions`, :mod:`.roster`: client spreadsheets;
- :mod:`.privacy`: personal data dropped at read time, pseudonyms;
- :mod:`.atomic`, :mod:`.writing`: atomic, safe writes; :mod:`.yamlfile`: configuration files read safely.
"""

import lazy_loader

# What this package exports is written once, in __init__.pyi (read by type checkers too); each name is imported
# on first use, so ``import partnerlib`` and the command line load only what they touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
