"""Running the jobs of a batch: in local worker processes, or on a Dask cluster.

A batch that is stopped leaves nothing running.  Ctrl-C or ``SIGTERM`` (the
command turns it into ``KeyboardInterrupt``) ends every worker process, and
each review kernel ends with its worker (ipykernel exits when its parent
does).  Should the batch process itself be killed outright (``kill -9``),
each worker notices that its parent is gone within half a second and ends
too: no orphan keeps a kernel, and a client's data, in memory.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from .jobs import Job, JobResult, run_job
from .progress import ProgressBoard, _DaskQueueSink, _WorkerQueueSink, set_worker_queue

#: How often a worker checks that the process that started it is still there, in seconds.
PARENT_CHECK_SECONDS = 0.5


def _limit_threads() -> None:
    """One BLAS thread per kernel, since the reviews already fill the cores."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def watch_parent(parent: int, interval: float = PARENT_CHECK_SECONDS) -> threading.Thread:
    """End this process (exit status 70) as soon as ``parent`` is no longer its parent (it was killed)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(70)

    thread = threading.Thread(target=watch, name="partnerlib-parent-watch", daemon=True)
    thread.start()
    return thread


def _worker_start(queue, parent: int) -> None:
    """Worker initialiser: one BLAS thread, the progress queue, an end when the batch process is gone, and the
    template its review kernels are forked from."""
    _limit_threads()
    set_worker_queue(queue)
    watch_parent(parent)
    _start_template()


def _start_template() -> None:
    """Start this worker's kernel template now, so that its imports overlap the worker's own
    (:mod:`partnerlib.render.fork`; nothing where kernels are not forked)."""
    from .fork import fork_available, worker_template

    if fork_available():
        worker_template()


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _failure(key: str, exc: BaseException) -> JobResult:
    return JobResult(key, False, error=f"{type(exc).__name__}: {exc}".rstrip(": "))


def run_local(jobs_: dict[str, Job], n: int, board: ProgressBoard, store) -> None:
    """Run the jobs in ``n`` fresh worker processes (spawned: no state inherited from this one).

    Interrupted (``KeyboardInterrupt``, ``SystemExit``), it ends every worker before it re-raises.
    """
    ctx = get_context("spawn")
    n = max(1, min(n, len(jobs_)))
    queue = ctx.Queue()
    pool = ProcessPoolExecutor(n, mp_context=ctx, initializer=_worker_start, initargs=(queue, os.getpid()))
    try:
        pending = {pool.submit(run_job, job, _WorkerQueueSink(key)): key for key, job in jobs_.items()}
        _collect(pending, board, queue, store)
    except BaseException:
        _end_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        queue.close()


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes (their kernels end with them) and wait for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def run_dask(jobs_: dict[str, Job], address: str, board: ProgressBoard, store) -> None:
    """Submit the jobs to the Dask scheduler at ``address`` (each job one task)."""
    from distributed import Client, Queue

    run = uuid.uuid4().hex[:8]
    with Client(address, timeout="30s") as client:
        name = f"partnerlib-progress-{run}"
        queue = Queue(name, client=client)
        pending = {
            client.submit(run_job, job, _DaskQueueSink(name, key), key=f"partnerlib-{key}-{run}", pure=False): key
            for key, job in jobs_.items()
        }
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
