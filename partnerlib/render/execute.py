"""Executing a parameterised notebook with papermill, each in a kernel of its own.

The executed notebook is written atomically: it is executed into a temporary
file beside the destination and moved into place only when it succeeded; a
failed run keeps its partial notebook as ``<name>.failed.ipynb``.

Kernel start-up races
---------------------
Kernels started at the same moment by different processes can collide over
TCP: ``jupyter_client`` picks free ports, releases them and the kernel binds
them a moment later, so two kernels may pick the same port and one dies with
``ZMQError: Address already in use`` or "Kernel died before replying to
kernel_info" (papermill issue #511).  On POSIX systems :func:`execute`
therefore connects to its kernel over Unix domain sockets ("ipc" transport)
with a name unique to the kernel, so there is no port to race for and kernels
start in parallel.  Where that is not available (Windows) it starts one kernel
at a time per machine over TCP (an advisory file lock held from kernel start
to the kernel's first cell; the cells themselves run in parallel).  Either
way a kernel that failed before its first cell ran is retried.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from filelock import FileLock

from ..config import NOTEBOOKS_DIR
from ..io.atomic import atomic_path
from .environment import kernel_environment

#: Kernel start attempts before a review is reported as failed.
KERNEL_START_ATTEMPTS = 3
#: Seconds one cell of a review may run by default (a manifest entry's ``timeout`` changes it).
CELL_TIMEOUT_SECONDS = 600
_LOCK_FILE = Path(tempfile.gettempdir()) / "partnerlib-kernel-start.lock"


@contextmanager
def kernel_start_lock(path: Path = _LOCK_FILE) -> Iterator[Callable[[], None]]:
    """Hold an exclusive lock on ``path`` (every process of this machine shares it; the ``filelock`` package).

    Yields a function that releases the lock early (idempotent).
    """
    lock = FileLock(str(path))
    lock.acquire()
    released = False

    def release():
        nonlocal released
        if not released:
            released = True
            lock.release()

    try:
        yield release
    finally:
        release()


def review_kernel_manager(*, ipc: bool, fork: bool = False):
    """The ``jupyter_client`` kernel manager of every review: the bundle's environment, and Unix sockets on POSIX.

    - The kernel starts with :func:`partnerlib.render.environment.kernel_environment`, not the caller's
      environment, so a shell's ``MPLBACKEND=Agg``, locale or time zone changes nothing in the report.
    - With ``ipc`` the kernel is reached over Unix domain sockets named
      ``<temp dir>/partnerlib-kernel-<random>-<n>``: unique to the kernel, so kernels started at the same moment
      never collide (see the module docstring), and removed when the kernel shuts down.
    - Unlike jupyter_client's own manager it does not interrupt the kernel just before shutting it down (see the
      comment in ``_async_interrupt_kernel``).
    - With ``fork`` a Python kernel is forked from this process's template, which has already imported what a
      review imports (:mod:`partnerlib.render.fork`), instead of started as a new Python process.
    """
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class ReviewKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = kernel_environment(kw.get("env"))
            if fork and self.provisioner is None and _is_this_python(self.kernel_spec):
                from .fork import ForkProvisioner

                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before asking it to shut down.  The review's kernel is idle
            # by then (its last cell finished, failed or timed out and was interrupted by nbclient), and an
            # interrupt that lands while it answers a message only makes it log "ERROR | KeyboardInterrupt
            # caught in kernel" over the progress bars.  The shutdown request follows, and a kernel that
            # does not exit is killed.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    if not ipc:
        return ReviewKernelManager

    class IPCKernelManager(ReviewKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(tempfile.gettempdir(), f"partnerlib-kernel-{uuid.uuid4().hex}")

    return IPCKernelManager


def _is_this_python(spec) -> bool:
    """Whether the kernel spec starts ipykernel in this Python (which ``jupyter_client`` does for ``python``)."""
    import sys

    argv = list(getattr(spec, "argv", None) or [])
    names = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2]), sys.executable}
    return len(argv) >= 3 and argv[0] in names and argv[1:3] == ["-m", "ipykernel_launcher"]


def _review_engine():
    """A papermill engine that reports each finished cell and, over TCP, starts kernels one at a time."""
    from papermill.engines import NBClientEngine

    class ReviewEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, on_cell=None, started=None, one_at_a_time=False, **kwargs
        ):
            cell_start, cell_complete = nb_man.cell_start, nb_man.cell_complete
            total = len(nb_man.nb.cells)
            with kernel_start_lock() if one_at_a_time else nullcontext(lambda: None) as release:

                def start(cell, cell_index=None, **kw):
                    release()  # the kernel is up and answered: let the next one start
                    if started is not None:
                        started.append((cell_index, cell))
                    return cell_start(cell, cell_index, **kw)

                def complete(cell, cell_index=None, **kw):
                    out = cell_complete(cell, cell_index, **kw)
                    if on_cell is not None:
                        on_cell(cell_index + 1, total)
                    return out

                nb_man.cell_start, nb_man.cell_complete = start, complete
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ReviewEngine


def execute(
    notebook,
    output,
    parameters: dict,
    *,
    cwd=NOTEBOOKS_DIR,
    kernel_name: str = "python3",
    on_cell=None,
    attempts: int = KERNEL_START_ATTEMPTS,
    timeout: int = CELL_TIMEOUT_SECONDS,
) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output`` (atomically).

    Parameters
    ----------
    notebook, output : path
        The parameterised notebook and where to write the executed copy.
    parameters : dict
        Papermill parameters, injected after the cell tagged ``parameters``.
    cwd : path
        Working directory of the kernel.
    on_cell : callable, optional
        Called as ``on_cell(done, total)`` after each cell (``total`` counts
        every cell, Markdown included), for progress bars.
    timeout : int
        Seconds one cell may run; a cell still running then fails the review
        (``CellTimeoutError``), so that one bad input cannot hold a batch.
    attempts : int
        Kernel starts tried when a kernel fails before its first cell runs
        (the start-up race described in the module docstring).

    Raises
    ------
    papermill.PapermillExecutionError
        If a cell fails; the partial notebook is kept as ``<output stem>.failed.ipynb``.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    papermill_engines.register("partnerlib", _review_engine())
    from .fork import fork_available

    ipc = os.name == "posix"
    output = Path(output)
    failed = output.with_suffix(".failed.ipynb")
    for attempt in range(1, attempts + 1):
        started: list[tuple[int, dict]] = []  # (index, cell) of each cell begun
        try:
            with atomic_path(output) as tmp:
                try:
                    pm.execute_notebook(
                        str(notebook),
                        str(tmp),
                        parameters=parameters,
                        cwd=str(cwd),
                        kernel_name=kernel_name,
                        progress_bar=False,
                        log_output=False,
                        engine_name="partnerlib",
                        on_cell=on_cell,
                        started=started,
                        request_save_on_cell_execute=False,
                        kernel_manager_class=review_kernel_manager(ipc=ipc, fork=fork_available()),
                        one_at_a_time=not ipc,
                        execution_timeout=timeout,
                    )
                except BaseException:
                    if tmp.exists():
                        tmp.replace(failed)  # keep the partial notebook
                    raise
        except PapermillExecutionError:
            raise
        except CellTimeoutError as exc:  # name the cell that ran too long, as for a cell that raised
            index, cell = started[-1]
            raise PapermillExecutionError(
                index,
                cell.get("execution_count"),
                cell.get("source", ""),
                "CellTimeoutError",
                f"the cell ran for more than {timeout} seconds, this review's timeout",
                [],
            ) from exc
        except Exception:
            if started or attempt == attempts:
                raise
            failed.unlink(missing_ok=True)
            time.sleep(0.5 * attempt)  # the kernel died while starting: try a fresh one
            continue
        break
    failed.unlink(missing_ok=True)
    return output
