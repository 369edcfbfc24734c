"""Progress of a batch: tqdm bars fed by events the workers send through a queue."""

from __future__ import annotations

import contextlib
import sys


class _QueueSink:
    """Sends a worker's progress events, tagged with the review's key, to a queue (picklable)."""

    def __init__(self, queue, key: str):
        self.queue, self.key = queue, key

    def __call__(self, event: str, *args):
        with contextlib.suppress(Exception):  # progress is best effort; never fail a review for it
            self.queue.put((self.key, event, args))


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


#: The progress queue of this worker process, set when a local worker starts (:func:`set_worker_queue`).
_WORKER_QUEUE = None


def set_worker_queue(queue) -> None:
    """Give this (worker) process the queue its :class:`_WorkerQueueSink` objects send to."""
    global _WORKER_QUEUE
    _WORKER_QUEUE = queue


class _WorkerQueueSink(_QueueSink):
    """Like :class:`_QueueSink` for a local worker: pickled by key only, it sends to the queue the worker was given
    when it started (a ``multiprocessing`` queue is shared only by inheritance, never inside a task)."""

    def __init__(self, key: str):
        super().__init__(None, key)

    def __getstate__(self):
        return {"key": self.key}

    def __setstate__(self, state):
        self.key, self.queue = state["key"], None

    def __call__(self, event: str, *args):
        self.queue = self.queue or _WORKER_QUEUE
        if self.queue is not None:
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
        self.overall = tqdm(
            total=total if total is not None else len(labels),
            desc="reviews",
            unit="review",
            position=0,
            disable=not enabled,
            dynamic_ncols=True,
        )

    def event(self, key: str, event: str, args=()) -> None:
        """Apply one worker event."""
        if event == "start" and key not in self.bars:
            slot = min(set(range(1, len(self._slots) + 2)) - set(self._slots.values()))
            self._slots[key] = slot
            self.bars[key] = self._tqdm(
                total=None,
                desc=self.labels.get(key, key),
                unit="cell",
                position=slot,
                leave=False,
                disable=not self.enabled,
                dynamic_ncols=True,
            )
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
