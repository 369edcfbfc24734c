"""Running review notebooks into reports: execute with papermill, convert to HTML/PDF, batch a manifest.

- :mod:`.manifest`: the reviews manifest, checked before any kernel starts;
- :mod:`.execute`: one notebook executed in a kernel of its own; :mod:`.convert`: HTML and PDF;
- :mod:`.batch`: :func:`render_manifest`, with :mod:`.cache` (skip what is unchanged), :mod:`.jobs`
  (one review in a worker), :mod:`.runners` (local processes or Dask), :mod:`.progress` (bars) and
  :mod:`.store` (the review's files written);
- :mod:`.portfolio`: ``reports/index.html``.
"""

from .batch import render_manifest, summary
from .manifest import Review, load_manifest

__all__ = ["Review", "load_manifest", "render_manifest", "summary"]
