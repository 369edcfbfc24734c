"""The one place that defines project paths and the kernels' matplotlib backend (the method's numbers are in
:mod:`partnerlib.settings`)."""

from __future__ import annotations

from pathlib import Path

#: The root of the bundle (the folder holding ``notebooks/``, ``data/`` and ``partnerlib/``).
PROJ_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"  # client exports: only ever read
PROCESSED_DATA_DIR = DATA_DIR / "processed"  # anything derived from raw data
SAMPLE_DATA_DIR = DATA_DIR / "sample"  # the committed demo partnership
REPORTS_DIR = PROJ_ROOT / "reports"  # rendered reviews (git-ignored)
SCHEMAS_DIR = PROJ_ROOT / "schemas"  # JSON Schemas of the codebook and the manifest, for editors

#: The matplotlib backend of every report and workshop kernel: each chart becomes a rich output of its cell.
#: Defined here, not with the charts' theme, so that the render machinery can name it without importing matplotlib.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
