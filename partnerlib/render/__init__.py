"""Running review notebooks into reports: execute with papermill, convert to HTML/PDF, batch a manifest.

- :mod:`.manifest`: the reviews manifest, checked before any kernel starts;
- :mod:`.execute`: one notebook executed in a kernel of its own; :mod:`.convert`: HTML and PDF;
- :mod:`.batch`: :func:`render_manifest`, with :mod:`.cache` (skip what is unchanged), :mod:`.jobs`
  (one review in a worker), :mod:`.runners` (local processes or Dask), :mod:`.progress` (bars) and
  :mod:`.store` (the review's files written);
- :mod:`.portfolio`: ``reports/index.html``.
"""

import sys

# nbformat validates notebooks with jsonschema, which imports the optional ``rfc3987_syntax`` wherever it is
# installed (jupyter_events asks for it): building that package's grammar costs 1.3 s in every process that
# renders (the command, each worker), and it serves only the "iri" formats, which no notebook schema uses.  This
# keeps it out of the processes that import the render machinery; other format checks are unchanged.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "import it" raises ImportError

from .batch import render_manifest, summary  # noqa: E402
from .manifest import Review, load_manifest  # noqa: E402

__all__ = ["Review", "load_manifest", "render_manifest", "summary"]
