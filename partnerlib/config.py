"""The one place that defines project paths and package-wide defaults."""

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

#: Smallest group whose figures may be shown (as on the major survey platforms).
DEFAULT_MIN_N = 5
#: Smallest group whose free-text comments may be shown is ``max(min_n, COMMENTS_MIN_N)``.
COMMENTS_MIN_N = 10

#: The two measures every statement is rated on.
MEASURES = ("current", "importance")
