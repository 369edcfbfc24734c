"""Rendering every review of a manifest into ``reports/<name>/<period>/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import NOTEBOOKS_DIR, REPORTS_DIR
from .manifest import Review, load_manifest
from .render import execute, to_html

REVIEW_NOTEBOOK = NOTEBOOKS_DIR / "02-review.ipynb"


@dataclass
class Outcome:
    """What happened to one review."""

    review: str
    period: str
    status: str  # "rendered" or "failed"
    html: Path | None = None
    error: str | None = None


def render_review(review: Review, out_dir=REPORTS_DIR, *, notebook=REVIEW_NOTEBOOK) -> Outcome:
    """Execute the review notebook for one review and write its notebook and HTML."""
    folder = Path(out_dir) / review.name / review.period
    executed = execute(notebook, folder / "review.ipynb", review.notebook_parameters())
    html = to_html(executed, folder / "review.html", title=f"{review.client} – review {review.period}")
    return Outcome(review.name, review.period, "rendered", html=html)


def render_manifest(manifest, out_dir=REPORTS_DIR, *, only: str | None = None) -> list[Outcome]:
    """Render the reviews of ``manifest`` (or only the one named ``only``)."""
    reviews = load_manifest(manifest)
    if only is not None:
        reviews = [r for r in reviews if r.name == only]
    return [render_review(r, out_dir) for r in reviews]
