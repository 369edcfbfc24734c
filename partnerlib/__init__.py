"""partnerlib: partnership health reviews from survey exports and KPI spreadsheets.

The package follows the flow of a review, one subpackage per step (imports
point down it only)::

    settings, vocabulary, exceptions, schemas   the rules every step reads (numbers, words, errors, tables)
    io/        files in: the table layer, survey readers, codebook, client sheets, privacy, atomic writes
    analysis/  frames in, frames out: scores, comparisons, suppression, KPIs, follow-up ...
    plots/     frames in, Axes out, one module per kind of chart
    report/    a review composed once, its sentences, the report notebook's helpers
    render/    notebooks executed into reports, batches, the portfolio page
    workshop/  the facilitated workshop (ipywidgets, served with Voilà)
    cli        the ``partnerlib`` command

This module only re-exports the public API the notebooks use (``pl.*``).
"""

from importlib.metadata import PackageNotFoundError, version

import lazy_loader

# What this package exports is written once, in __init__.pyi (read by type checkers too); each name is imported
# on first use, so ``import partnerlib`` and the command line load only what they touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
__all__ = [*__all__, "__version__"]

try:
    __version__ = version("partnerlib")
except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
    __version__ = "0.0.0"
