"""Rendering every review of a manifest into ``reports/<name>/<period>/``, in parallel.

:func:`render_manifest` is what ``partnerlib render`` runs:

1. load the manifest and check every review's parameters against the
   notebook (:func:`partnerlib.manifest.check_parameters`) before any kernel
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
   and the exception, and the others carry on;
5. rewrite ``reports/index.html`` (:mod:`partnerlib.portfolio`).

Workers send back the executed notebook and the HTML; only this process
writes into the reports folder, so Dask workers need to read the inputs
(the same paths, e.g. a shared drive) but never write there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import time
import traceback
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from .config import NOTEBOOKS_DIR, REPORTS_DIR
from .exceptions import ManifestError
from .io import atomic_write_bytes, atomic_write_text
from .manifest import Review, check_parameters, load_manifest
from .portfolio import FAILURE_NAME, RECORD_NAME, read_headlines, write_index
from .render import execute, find_chromium, to_html, to_pdf

REVIEW_NOTEBOOK = NOTEBOOKS_DIR / "02-review.ipynb"


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

    def line(self) -> str:
        """One line for the terminal."""
        head = f"{self.review} {self.period}: {self.status}"
        if self.status == "failed":
            where = f" in cell {self.cell}" if self.cell else ""
            return f"{head}{where}: {self.error}"
        extra = f" in {self.seconds:.1f} s" if self.status == "rendered" else f" ({self.reason})"
        return f"{head}{extra} -> {self.html}"


@dataclass
class Job:
    """What a worker needs to render one review (picklable; paths as text)."""

    key: str
    notebook: str  # the notebook's JSON text, so workers need not see the notebook file
    parameters: dict
    title: str
    cwd: str


@dataclass
class JobResult:
    """What a worker sends back: the executed (or partial) notebook, the HTML, or the error."""

    key: str
    ok: bool
    notebook: bytes | None = None
    html: str | None = None
    headlines: dict = field(default_factory=dict)
    error: str | None = None
    cell: str | None = None
    seconds: float = 0.0


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(review: Review, notebook) -> dict:
    """What a review's report depends on, as SHA-256 digests.

    Returns
    -------
    dict
        ``notebook`` (digest of the notebook file), ``inputs`` (file path ->
        digest of its contents, for every survey export and input file),
        ``parameters`` (digest of the notebook parameters as sorted JSON) and
        ``partnerlib`` (the package version).
    """
    params = json.dumps(review.notebook_parameters(), sort_keys=True, default=str)
    return {
        "notebook": _sha256(Path(notebook).read_bytes()),
        "inputs": {str(p): _sha256(Path(p).read_bytes()) for p in review.input_files()},
        "parameters": _sha256(params.encode()),
        "partnerlib": _version(),
    }


def _version() -> str:
    from . import __version__

    return __version__


def changes(old: dict | None, new: dict) -> list[str]:
    """What differs between two fingerprints, in words (empty when they are equal)."""
    if not old:
        return ["never rendered"]
    said = []
    if old.get("notebook") != new["notebook"]:
        said.append("notebook changed")
    old_inputs = old.get("inputs", {})
    changed = [Path(p).name for p, h in new["inputs"].items() if old_inputs.get(p) != h]
    changed += [Path(p).name for p in old_inputs if p not in new["inputs"]]
    if changed:
        said.append("inputs changed: " + ", ".join(sorted(set(changed))))
    if old.get("parameters") != new["parameters"]:
        said.append("parameters changed")
    if old.get("partnerlib") != new["partnerlib"]:
        said.append(f"partnerlib {old.get('partnerlib')} -> {new['partnerlib']}")
    return said


def report_folder(review: Review, out_dir) -> Path:
    """``<out_dir>/<name>/<period>``."""
    return Path(out_dir) / review.name / review.period


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failing_line(source: str, traceback_lines) -> str:
    """The line of a cell's ``source`` where it failed, from the kernel's traceback (``Cell In[4], line 3``).

    Falls back to the cell's first line of code; long lines are shortened to 70 characters.
    """
    lines = source.splitlines()
    found = re.search(r"Cell In\s*\[\d*\], line (\d+)", _ANSI.sub("", "\n".join(traceback_lines or [])))
    line = ""
    if found and 0 < int(found.group(1)) <= len(lines):
        line = lines[int(found.group(1)) - 1].strip()
    if not line:
        line = next((l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")), "")
    return line if len(line) <= 70 else line[:67] + "..."


def run_job(job: Job, sink=None) -> JobResult:
    """Execute one review in this process and return its notebook and HTML (a worker's task).

    Never raises for a failing review: the error comes back in the result.
    ``sink(event, *args)`` receives ``("start",)``, ``("cell", done, total)``.
    """
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    if sink is not None:
        sink("start")
    on_cell = (lambda done, total: sink("cell", done, total)) if sink is not None else None
    with tempfile.TemporaryDirectory(prefix="partnerlib-review-") as tmp:
        source = Path(tmp) / "review-source.ipynb"
        source.write_text(job.notebook, encoding="utf-8")
        executed = Path(tmp) / "review.ipynb"
        cwd = job.cwd if Path(job.cwd).is_dir() else tmp
        try:
            execute(source, executed, job.parameters, cwd=cwd, on_cell=on_cell)
            html_path = to_html(executed, Path(tmp) / "review.html", title=job.title)
            import nbformat

            headlines = read_headlines(nbformat.read(str(executed), as_version=4))
            return JobResult(job.key, True, notebook=executed.read_bytes(), html=html_path.read_text("utf-8"),
                             headlines=headlines, seconds=time.perf_counter() - start)
        except PapermillExecutionError as exc:
            failed = executed.with_suffix(".failed.ipynb")
            evalue = (exc.evalue or "").strip().splitlines()
            return JobResult(job.key, False, notebook=failed.read_bytes() if failed.exists() else None,
                             error=f"{exc.ename}: {evalue[0] if evalue else ''}".rstrip(": "),
                             cell=f"In [{exc.exec_count}] `{failing_line(exc.source, exc.traceback)}`",
                             seconds=time.perf_counter() - start)
        except Exception as exc:  # a kernel that never started, a conversion error: report, do not crash the pool
            failed = executed.with_suffix(".failed.ipynb")
            message = str(exc).strip().splitlines()
            detail = message[0] if message else "".join(traceback.format_exception_only(exc)).strip()
            return JobResult(job.key, False, notebook=failed.read_bytes() if failed.exists() else None,
                             error=f"{type(exc).__name__}: {detail}", seconds=time.perf_counter() - start)


class _QueueSink:
    """Sends a worker's progress events, tagged with the review's key, to a queue (picklable)."""

    def __init__(self, queue, key: str):
        self.queue, self.key = queue, key

    def __call__(self, event: str, *args):
        try:
            self.queue.put((self.key, event, args))
        except Exception:  # progress is best effort; never fail a review for it
            pass


class _DaskQueueSink(_QueueSink):
    """Like :class:`_QueueSink` for a ``distributed.Queue``, pickled by name and opened on the worker.

    Pickling the queue itself would make the scheduler open it while it
    deserialises the task, inside its own event loop (a deadlock).
    """

    def __init__(self, name: str, key: str):
        super().__init__(None, key)
        self.name = name

    def __getstate__(self):
        return {"name": self.name, "key": self.key}

    def __setstate__(self, state):
        self.name, self.key, self.queue = state["name"], state["key"], None

    def __call__(self, event: str, *args):
        if self.queue is None:
            try:
                from distributed import Queue

                self.queue = Queue(self.name)
            except Exception:
                return
        super().__call__(event, *args)


class ProgressBoard:
    """tqdm bars: an overall one (reviews finished) and one per running review (cells executed).

    Also keeps the cell counts it was told (``cells[key] = (done, total)``)
    and the reviews finished, in order (``finished``), so tests can check what
    the bars showed.
    """

    def __init__(self, labels: dict[str, str], *, enabled: bool = True, total: int | None = None):
        from tqdm.auto import tqdm

        self._tqdm = tqdm
        self.labels = labels
        self.enabled = enabled
        self.cells: dict[str, tuple[int, int]] = {}
        self.finished: list[str] = []
        self.bars: dict = {}
        self._slots: dict[str, int] = {}
        self.overall = tqdm(total=total if total is not None else len(labels), desc="reviews", unit="review",
                            position=0, disable=not enabled, dynamic_ncols=True)

    def event(self, key: str, event: str, args=()) -> None:
        """Apply one worker event."""
        if event == "start" and key not in self.bars:
            slot = min(set(range(1, len(self._slots) + 2)) - set(self._slots.values()))
            self._slots[key] = slot
            self.bars[key] = self._tqdm(total=None, desc=self.labels.get(key, key), unit="cell", position=slot,
                                        leave=False, disable=not self.enabled, dynamic_ncols=True)
        elif event == "cell":
            done, total = args
            self.cells[key] = (done, total)
            bar = self.bars.get(key)
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

    def drain(self, queue) -> None:
        """Apply every event waiting in ``queue`` (a multiprocessing or Dask queue)."""
        for key, event, args in _get_all(queue):
            self.event(key, event, args)

    def finish(self, key: str, line: str) -> None:
        """Close a review's bar, print its outcome line and advance the overall bar."""
        bar = self.bars.pop(key, None)
        self._slots.pop(key, None)
        if bar is not None:
            bar.close()
        self.finished.append(key)
        self.overall.update(1)
        if self.enabled:
            self.overall.write(line, file=sys.stderr)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.overall.close()


def _get_all(queue) -> list:
    items = []
    if hasattr(queue, "qsize") and not hasattr(queue, "client"):  # multiprocessing queue (proxy)
        import queue as _q

        while True:
            try:
                items.append(queue.get_nowait())
            except _q.Empty:
                return items
    try:  # distributed.Queue: everything waiting, without blocking
        return list(queue.get(batch=True))
    except Exception:
        return items


def _limit_threads() -> None:
    """Worker initialiser: one BLAS thread per kernel, since the reviews already fill the cores."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _store(review: Review, fp: dict, result: JobResult, out_dir, *, pdf: bool, notebook: Path) -> Outcome:
    """Write a worker's result into the review's folder (the only writer of reports/)."""
    folder = report_folder(review, out_dir)
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    if result.ok and pdf:
        atomic_write_bytes(folder / "review.ipynb", result.notebook)
        html = atomic_write_text(folder / "review.html", result.html)
        try:
            to_pdf(html, folder / "review.pdf")
        except Exception as exc:  # a print that fails fails this review only
            result = JobResult(result.key, False, error=f"{type(exc).__name__}: {exc}", seconds=result.seconds)
    if not result.ok:
        if result.notebook is not None:
            atomic_write_bytes(folder / "review.failed.ipynb", result.notebook)
        outcome = Outcome(review.name, review.period, "failed", error=result.error, cell=result.cell,
                          seconds=result.seconds)
        summary = outcome.line().split(": ", 1)[1]
        atomic_write_text(folder / FAILURE_NAME, json.dumps(
            {"name": review.name, "client": review.client, "period": review.period, "at": now,
             "cell": result.cell, "error": result.error, "summary": summary}, indent=2) + "\n")
        return outcome
    atomic_write_bytes(folder / "review.ipynb", result.notebook)
    html = atomic_write_text(folder / "review.html", result.html)
    (folder / "review.failed.ipynb").unlink(missing_ok=True)
    (folder / FAILURE_NAME).unlink(missing_ok=True)
    atomic_write_text(folder / RECORD_NAME, json.dumps(
        {"name": review.name, "client": review.client, "period": review.period, "rendered_at": now,
         "seconds": round(result.seconds, 2), "notebook": str(notebook), "fingerprint": fp,
         "headlines": result.headlines}, indent=2, sort_keys=True) + "\n")
    return Outcome(review.name, review.period, "rendered", html=html, seconds=result.seconds)


def select(reviews: list[Review], only: str | None) -> list[Review]:
    """The reviews named ``only`` (all if ``None``); an unknown name is a :class:`ManifestError`."""
    if only is None:
        return reviews
    chosen = [r for r in reviews if r.name == only]
    if not chosen:
        raise ManifestError(f"--only {only}: no review of that name; the manifest lists "
                            f"{sorted(r.name for r in reviews)}")
    return chosen


def render_manifest(manifest, out_dir=REPORTS_DIR, *, only: str | None = None, jobs: int | None = None,
                    force: bool = False, pdf: bool = False, scheduler: str | None = None,
                    progress: bool = False, notebook=REVIEW_NOTEBOOK, board: ProgressBoard | None = None,
                    ) -> list[Outcome]:
    """Render the reviews of ``manifest`` (or only the one named ``only``) into ``out_dir``.

    Parameters
    ----------
    manifest : path
        The reviews manifest (see :mod:`partnerlib.manifest`).
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
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run
        the reviews on instead of local processes.
    progress : bool
        Show tqdm progress bars (on stderr).
    notebook : path
        The parameterised notebook (a review's ``notebook`` key overrides it).

    Returns
    -------
    list of Outcome
        One per review, in manifest order.

    Raises
    ------
    ManifestError
        Before any kernel starts, for every problem of the manifest or the
        parameters (one line each).
    RenderError
        Before any kernel starts, if ``pdf`` and Chromium is not installed.
    """
    reviews = select(load_manifest(manifest), only)
    check_parameters(reviews, notebook)
    if pdf:
        find_chromium()
    outcomes: dict[str, Outcome] = {}
    todo: dict[str, tuple[Review, dict, Path]] = {}
    for review in reviews:
        key = f"{review.name}/{review.period}"
        nb_path = Path(review.notebook or notebook).resolve()
        fp = fingerprint(review, nb_path)
        folder = report_folder(review, out_dir)
        record = _read_json(folder / RECORD_NAME)
        said = changes(record and record.get("fingerprint"), fp)
        complete = all((folder / f).is_file() for f in ("review.ipynb", "review.html"))
        if force or said or not complete or (folder / FAILURE_NAME).exists():
            todo[key] = (review, fp, nb_path)
            continue
        if pdf and not (folder / "review.pdf").is_file():
            to_pdf(folder / "review.html", folder / "review.pdf")
        outcomes[key] = Outcome(review.name, review.period, "skipped", html=folder / "review.html",
                                reason=f"unchanged since {record.get('rendered_at')}; --force re-renders")
    labels = {key: f"{r.name} {r.period}" for key, (r, _, _) in todo.items()}
    own_board = board is None
    board = board or ProgressBoard(labels, enabled=progress)
    try:
        if todo:
            jobs_ = {key: Job(key, nb.read_text(encoding="utf-8"), r.notebook_parameters(),
                              f"{r.client} – review {r.period}", str(nb.parent))
                     for key, (r, _, nb) in todo.items()}

            def store(key, result):
                review, fp, nb = todo[key]
                outcome = _store(review, fp, result, out_dir, pdf=pdf, notebook=nb)
                outcomes[key] = outcome
                board.finish(key, outcome.line())

            if scheduler:
                _run_dask(jobs_, scheduler, board, store)
            else:
                _run_local(jobs_, jobs or default_jobs(), board, store)
    finally:
        if own_board:
            board.close()
        write_index(out_dir)
    return [outcomes[f"{r.name}/{r.period}"] for r in reviews if f"{r.name}/{r.period}" in outcomes]


def _failure(key: str, exc: BaseException) -> JobResult:
    return JobResult(key, False, error=f"{type(exc).__name__}: {exc}".rstrip(": "))


def _run_local(jobs_: dict[str, Job], n: int, board: ProgressBoard, store) -> None:
    """Run the jobs in ``n`` fresh worker processes (spawned: no state inherited from this one)."""
    ctx = get_context("spawn")
    n = max(1, min(n, len(jobs_)))
    with ctx.Manager() as manager, ProcessPoolExecutor(n, mp_context=ctx, initializer=_limit_threads) as pool:
        queue = manager.Queue()
        pending = {pool.submit(run_job, job, _QueueSink(queue, key)): key for key, job in jobs_.items()}
        _collect(pending, board, queue, store)


def _run_dask(jobs_: dict[str, Job], address: str, board: ProgressBoard, store) -> None:
    """Submit the jobs to the Dask scheduler at ``address`` (each job one task)."""
    from distributed import Client, Queue

    run = uuid.uuid4().hex[:8]
    with Client(address, timeout="30s") as client:
        name = f"partnerlib-progress-{run}"
        queue = Queue(name, client=client)
        pending = {client.submit(run_job, job, _DaskQueueSink(name, key), key=f"partnerlib-{key}-{run}", pure=False):
                   key for key, job in jobs_.items()}
        _collect(pending, board, queue, store)


def _collect(pending: dict, board: ProgressBoard, queue, store) -> None:
    """Poll the futures and the progress queue until every job is stored."""
    while pending:
        board.drain(queue)
        done = [f for f in pending if f.done()]
        for future in done:
            key = pending.pop(future)
            board.drain(queue)
            try:
                result = future.result()
            except Exception as exc:  # a worker that died: that review fails, the others go on
                result = _failure(key, exc)
            store(key, result)
        if not done:
            time.sleep(0.1)


def summary(outcomes: list[Outcome]) -> str:
    """The end-of-run summary: counts, then one line per failed review (review, cell, exception)."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    lines = [", ".join(f"{n} {s}" for s, n in counts.items())]
    for o in outcomes:
        if o.status == "failed":
            where = f"cell {o.cell}: " if o.cell else ""
            lines.append(f"FAILED {o.review} {o.period}: {where}{o.error}")
    return "\n".join(lines)
