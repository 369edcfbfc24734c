"""Rendering every review of a manifest into ``reports/<name>/<period>/``, in parallel.

:func:`render_manifest` is what ``partnerlib render`` runs:

1. load the manifest and check every review's parameters against the
   notebook (:func:`partnerlib.render.manifest.check_parameters`) before any kernel
   starts;
2. skip the reviews whose fingerprint (input file contents, parameters,
   notebook, partnerlib version) equals the one stored in their
   ``render.json`` by the last successful render, unless ``force``;
3. execute the others in separate worker processes (``jobs`` at a time, or
   on a Dask cluster given by ``scheduler``), each in its own kernel, with a
   progress bar per review and an overall one;
4. write each review's ``review.ipynb``, ``review.html`` (and ``review.pdf``),
   then its ``render.json``, atomically; a failed review keeps its partial
   notebook as ``review.failed.ipynb`` and a ``failed.json`` naming the cell
   and the exception, and the others carry on (so does a review whose files
   cannot be written, a full disk say: it is reported failed);
5. rewrite ``reports/index.html`` (:mod:`partnerlib.render.portfolio`), and with ``norms`` the portfolio's
   ``reports/norms.csv`` (:func:`partnerlib.io.norms.refresh_norms`, as ``partnerlib norms`` does).

A review's pulse check-ins (the manifest's ``pulse:``) are jobs of the same batch, each a
:class:`partnerlib.render.manifest.Pulse` rendered with :data:`PULSE_NOTEBOOK` into ``reports/<name>/<label>/``.

Workers send back the executed notebook and the HTML; only this process
writes into the reports folder, so Dask workers need to read the inputs
(the same paths, e.g. a shared drive) but never write there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config import NOTEBOOKS_DIR, REPORTS_DIR
from ..exceptions import ManifestError, RenderError
from ..io.norms import NORMS_FILE, refresh_norms
from ..report.text import moment_text
from .cache import changes, fingerprint
from .convert import PAPER_SIZES, find_chromium, to_pdf
from .jobs import Job
from .manifest import Review, check_parameters, load_manifest
from .portfolio import FAILURE_NAME, RECORD_NAME, read_json, write_index
from .progress import ProgressBoard
from .runners import default_jobs, run_dask, run_local
from .store import Outcome, report_folder, store_result

REVIEW_NOTEBOOK = NOTEBOOKS_DIR / "02-review.ipynb"
#: The notebook of a review's pulse check-ins (the manifest's ``pulse:``), rendered as one more job each.
PULSE_NOTEBOOK = NOTEBOOKS_DIR / "04-pulse.ipynb"


def select(reviews: list[Review], only: str | None) -> list[Review]:
    """The reviews named ``only`` (all if ``None``); an unknown name is a :class:`ManifestError`."""
    if only is None:
        return reviews
    chosen = [r for r in reviews if r.name == only]
    if not chosen:
        raise ManifestError(
            f"--only {only}: no review of that name; the manifest lists {sorted(r.name for r in reviews)}"
        )
    return chosen


def render_manifest(
    manifest,
    out_dir=REPORTS_DIR,
    *,
    only: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = False,
    paper: str = "A4",
    scheduler: str | None = None,
    progress: bool = False,
    notebook=REVIEW_NOTEBOOK,
    board: ProgressBoard | None = None,
    norms: bool = False,
) -> list[Outcome]:
    """Render the reviews of ``manifest`` (or only the one named ``only``) into ``out_dir``.

    Parameters
    ----------
    manifest : path
        The reviews manifest (see :mod:`partnerlib.render.manifest`).
    out_dir : path
        The reports folder; each review goes to ``<out_dir>/<name>/<period>/``.
    only : str, optional
        Render only the review with this name.
    jobs : int, optional
        Reviews rendered at once, each in its own process and kernel
        (default: the number of cores).  Ignored with ``scheduler``.
    force : bool
        Re-render reviews whose fingerprint is unchanged.
    pdf : bool
        Also print ``review.pdf`` with headless Chromium.
    paper : {"A4", "letter"}
        The page size the report is printed on (its HTML's print rules and the PDF).
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run
        the reviews on instead of local processes.
    progress : bool
        Show tqdm progress bars (on stderr).
    notebook : path
        The parameterised notebook (a review's ``notebook`` key overrides it).
    norms : bool
        After the batch, rebuild the portfolio's norms from every review rendered under ``out_dir``
        (``<out_dir>/norms.csv``, as ``partnerlib norms`` writes it).

    Returns
    -------
    list of Outcome
        One per review, in manifest order, each review followed by its pulse check-ins.

    Raises
    ------
    ManifestError
        Before any kernel starts, for every problem of the manifest or the
        parameters (one line each).
    RenderError
        Before any kernel starts, if ``pdf`` and Chromium is not installed.
    """
    reviews = [job for r in select(load_manifest(manifest), only) for job in (r, *r.pulse_checkins(PULSE_NOTEBOOK))]
    check_parameters(reviews, notebook)
    if pdf:
        find_chromium()
    if paper not in PAPER_SIZES:
        raise RenderError(f"--paper {paper!r}: expected one of {list(PAPER_SIZES)}")
    outcomes, todo = _plan(reviews, out_dir, notebook=notebook, force=force, pdf=pdf, paper=paper)
    own_board = board is None
    board = board or ProgressBoard({key: f"{r.name} {r.period}" for key, (r, _, _) in todo.items()}, enabled=progress)
    try:
        if todo:
            jobs_ = {
                key: Job(
                    key,
                    nb.read_text(encoding="utf-8"),
                    r.notebook_parameters(),
                    f"{r.client} – {r.kind} {r.period}",
                    str(nb.parent),
                    header=f"{r.client} · {r.heading}",
                    paper=paper,
                    timeout=r.timeout,
                )
                for key, (r, _, nb) in todo.items()
            }

            def store(key, result):
                review, fp, nb = todo[key]
                try:
                    outcome = store_result(review, fp, result, out_dir, pdf=pdf, notebook=nb)
                except OSError as exc:  # a full disk, a folder made read-only: this review fails, the batch goes on
                    outcome = Outcome(
                        review.name,
                        review.period,
                        "failed",
                        error=f"{type(exc).__name__}: could not write into {report_folder(review, out_dir)}: "
                        f"{exc.strerror or exc}",
                        seconds=result.seconds,
                    )
                outcomes[key] = outcome
                board.finish(key, outcome.line())

            if scheduler:
                run_dask(jobs_, scheduler, board, store)
            else:
                run_local(jobs_, jobs or default_jobs(), board, store)
    finally:
        if own_board:
            board.close()
        write_index(out_dir)
    if norms:
        refresh_norms([out_dir], Path(out_dir) / NORMS_FILE, built=dt.date.today().isoformat())
    return [outcomes[_key(r)] for r in reviews if _key(r) in outcomes]


def _key(review: Review) -> str:
    return f"{review.name}/{review.period}"


def _plan(reviews: list[Review], out_dir, *, notebook, force: bool, pdf: bool, paper: str = "A4"):
    """Which reviews to render (with their fingerprint and notebook), and the outcomes of those skipped."""
    outcomes: dict[str, Outcome] = {}
    todo: dict[str, tuple[Review, dict, Path]] = {}
    for review in reviews:
        nb_path = Path(review.notebook or notebook).resolve()
        fp = fingerprint(review, nb_path, paper=paper)
        folder = report_folder(review, out_dir)
        record = read_json(folder / RECORD_NAME)
        said = changes(record and record.get("fingerprint"), fp)
        complete = all((folder / f).is_file() for f in ("review.ipynb", "review.html"))
        if force or said or not complete or (folder / FAILURE_NAME).exists() or record is None:
            todo[_key(review)] = (review, fp, nb_path)
            continue
        if pdf and not (folder / "review.pdf").is_file():
            to_pdf(folder / "review.html", folder / "review.pdf")
        outcomes[_key(review)] = Outcome(
            review.name,
            review.period,
            "skipped",
            html=folder / "review.html",
            reason=f"unchanged since {moment_text(record.get('rendered_at'))}; --force re-renders",
        )
    return outcomes, todo


def summary(outcomes: list[Outcome]) -> str:
    """The end-of-run summary: counts, then one line per failed review (review, cell, exception)."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    lines = [", ".join(f"{n} {s}" for s, n in counts.items())]
    for o in outcomes:
        if o.status == "failed":
            where = f"cell {o.cell}: " if o.cell else ""
            lines.append(f"FAILED {o.review} {o.period}: {where}{o.error}")
    return "\n".join(lines)
