"""Writing a rendered review into ``reports/<name>/<period>/`` (only the batch's own process writes there)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..exceptions import RenderError
from ..io.atomic import atomic_write_bytes, atomic_write_text
from .convert import to_pdf
from .jobs import JobResult
from .manifest import Review
from .portfolio import FAILURE_NAME, RECORD_NAME


@dataclass
class Outcome:
    """What happened to one review.

    ``status`` is ``"rendered"``, ``"skipped"`` (unchanged since its last
    successful render) or ``"failed"``; a failure names the ``cell`` (its
    first source line, or ``None`` when no cell was running) and the
    ``error`` (``"ExceptionName: message"``).
    """

    review: str
    period: str
    status: str
    html: Path | None = None
    error: str | None = None
    cell: str | None = None
    seconds: float = 0.0
    reason: str = ""

    def detail(self) -> str:
        """What happened, without the review's name: ``"failed in cell In [4] `...`: PartnerDataError: ..."``."""
        if self.status == "failed":
            where = f" in cell {self.cell}" if self.cell else ""
            return f"{self.status}{where}: {self.error}"
        extra = f" in {self.seconds:.1f} s" if self.status == "rendered" else f" ({self.reason})"
        return f"{self.status}{extra} -> {self.html}"

    def line(self) -> str:
        """One line for the terminal: ``"<review> <period>: <detail>"``."""
        return f"{self.review} {self.period}: {self.detail()}"


def report_folder(review: Review, out_dir) -> Path:
    """``<out_dir>/<name>/<period>``."""
    return Path(out_dir) / review.name / review.period


def _write_report(folder: Path, result: JobResult) -> Path:
    """Write a successful review's notebook and HTML; return the HTML's path."""
    if result.notebook is None or result.html is None:  # a worker's result that says ok carries both
        raise RenderError(f"review {result.key}: the worker sent no notebook or no HTML")
    atomic_write_bytes(folder / "review.ipynb", result.notebook)
    return atomic_write_text(folder / "review.html", result.html)


def _record_failure(review: Review, result: JobResult, folder: Path, now: str) -> Outcome:
    """Keep a failed review's partial notebook and write its ``failed.json``."""
    if result.notebook is not None:
        atomic_write_bytes(folder / "review.failed.ipynb", result.notebook)
    outcome = Outcome(
        review.name, review.period, "failed", error=result.error, cell=result.cell, seconds=result.seconds
    )
    record = {
        "name": review.name,
        "client": review.client,
        "period": review.period,
        "at": now,
        "cell": result.cell,
        "error": result.error,
        "summary": outcome.detail(),
    }
    atomic_write_text(folder / FAILURE_NAME, json.dumps(record, indent=2) + "\n")
    return outcome


def store_result(review: Review, fp: dict, result: JobResult, out_dir, *, pdf: bool, notebook: Path) -> Outcome:
    """Write a worker's result into the review's folder (the only writer of reports/)."""
    folder = report_folder(review, out_dir)
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    html = _write_report(folder, result) if result.ok else None
    if html is not None and pdf:
        try:
            to_pdf(html, folder / "review.pdf")
        except Exception as exc:  # a print that fails fails this review only
            result = JobResult(result.key, False, error=f"{type(exc).__name__}: {exc}", seconds=result.seconds)
    if not result.ok:
        return _record_failure(review, result, folder, now)
    (folder / "review.failed.ipynb").unlink(missing_ok=True)
    (folder / FAILURE_NAME).unlink(missing_ok=True)
    record = {
        "name": review.name,
        "client": review.client,
        "period": review.period,
        "rendered_at": now,
        "seconds": round(result.seconds, 2),
        "notebook": str(notebook),
        "fingerprint": fp,
        "headlines": result.headlines,
    }
    atomic_write_text(folder / RECORD_NAME, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return Outcome(review.name, review.period, "rendered", html=html, seconds=result.seconds)
