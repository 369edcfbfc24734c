"""Running the jobs of a batch: in local worker processes, or on a Dask cluster."""

from __future__ import annotations

import os
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from .jobs import Job, JobResult, run_job
from .progress import ProgressBoard, _DaskQueueSink, _QueueSink


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


def _failure(key: str, exc: BaseException) -> JobResult:
    return JobResult(key, False, error=f"{type(exc).__name__}: {exc}".rstrip(": "))


def run_local(jobs_: dict[str, Job], n: int, board: ProgressBoard, store) -> None:
    """Run the jobs in ``n`` fresh worker processes (spawned: no state inherited from this one)."""
    ctx = get_context("spawn")
    n = max(1, min(n, len(jobs_)))
    with ctx.Manager() as manager, ProcessPoolExecutor(n, mp_context=ctx, initializer=_limit_threads) as pool:
        queue = manager.Queue()
        pending = {pool.submit(run_job, job, _QueueSink(queue, key)): key for key, job in jobs_.items()}
        _collect(pending, board, queue, store)


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
