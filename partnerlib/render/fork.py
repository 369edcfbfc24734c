"""Review kernels forked from a template process that has already imported what a review imports.

A kernel started the usual way is a new Python process that imports ipykernel and IPython, then the review's
own imports (pandas, matplotlib, seaborn, scipy, statsmodels, partnerlib): about two seconds of CPU before the
first line of the review runs, more than the analysis itself.  On Linux each render worker instead starts one
*template* the first time it needs a kernel (:func:`worker_template`): a Python process started with the
kernels' environment (:func:`partnerlib.render.environment.kernel_environment`, one BLAS thread) that imports
those modules (:data:`PRELOAD`) and waits for requests on its standard input.  It never reads a review's
parameters or data, and it creates no zmq context and starts no thread, so it can be forked safely.

For each review the worker's kernel manager (:class:`ForkProvisioner`, a ``jupyter_client`` kernel provisioner)
writes the connection file as usual and asks the template for a kernel; the template forks, and the child
starts a session of its own, moves into the review's folder, takes the review kernel's environment, reseeds
numpy's global random generator, becomes ``IPKernelApp`` with that connection file and exits when the kernel is
shut down.  So every review still runs in a process that has never held another review's data: each kernel is
a fresh copy of the template, never of an earlier review's kernel.

- The template ends when its worker does (its standard input closes); a kernel ends when its template does
  (ipykernel watches its parent).
- A kernel's exit status is not known to the worker (the template's children are reaped by the system):
  a kernel that died is reported as exit status ``-1``.
- Where ``os.fork`` is unsafe or missing (macOS, Windows), or ``PARTNERLIB_KERNEL_FORK=0`` is set, or the
  template cannot be started, kernels are started the usual way (``python -m ipykernel_launcher``).
- Coverage (``make test``) is measured in forked kernels with coverage's ``patch = ["fork"]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: Modules the template imports: ipykernel's, and everything a review imports (at its start or later).
#: ``matplotlib_inline.backend_inline`` is left out on purpose: it hooks into IPython when it is imported,
#: which must happen in the kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "IPython.core.pylabtools",
    "partnerlib",
    "partnerlib.report",
    "partnerlib.plots",
    "partnerlib.analysis",
    "partnerlib.io",
    "matplotlib.pyplot",
    "seaborn",
    "scipy.stats",
    "statsmodels.stats.power",
    "pandera",
    "openpyxl",
    "openpyxl.utils.cell",
    "defusedxml.ElementTree",
    "snowballstemmer",
)
#: Set to ``0`` to start every kernel the usual way.
FORK_VARIABLE = "PARTNERLIB_KERNEL_FORK"
#: Modules that must not be imported before the fork (see :data:`PRELOAD`).
_NOT_BEFORE_FORK = ("matplotlib_inline.backend_inline",)


def fork_available() -> bool:
    """Whether review kernels are forked from a template here: Linux, unless ``PARTNERLIB_KERNEL_FORK=0``."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get(FORK_VARIABLE, "1") != "0"


class ForkedKernel:
    """A forked kernel as ``jupyter_client`` sees a ``Popen``: its pid, ``poll``, ``wait`` and signals."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
            except PermissionError:  # pragma: no cover - the pid was reused by another user's process
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode if self.returncode is not None else -1

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Template:
    """The template process of this worker: started once, forks one kernel per request."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "partnerlib.render.fork"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            start_new_session=True,  # Ctrl-C reaches the batch, which ends its workers; this ends with them
        )
        self.lock = threading.Lock()
        self.ready: dict | None = None

    def _reply(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(
                f"the kernel template (pid {self.process.pid}) ended (exit status {self.process.poll()})"
            )
        return json.loads(line)

    def fork(self, *, connection_file: str, cwd: str, env: dict[str, str]) -> ForkedKernel:
        """A new kernel forked from the template, serving ``connection_file`` in ``cwd`` with ``env``."""
        assert self.process.stdin is not None
        with self.lock:
            if self.ready is None:
                self.ready = self._reply()
            request = {"connection_file": connection_file, "cwd": cwd, "env": dict(env)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            return ForkedKernel(int(self._reply()["pid"]))

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the template (its kernels end with it) and wait for it."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):  # already gone
                self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - stuck
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


_template: Template | None = None


_template_lock = threading.Lock()


def worker_template() -> Template:
    """This process's template (started on first use, restarted if it ended)."""
    global _template
    with _template_lock:
        return _start_template()


def _start_template() -> Template:
    global _template
    if _template is None or not _template.alive():
        import atexit

        if _template is None:
            atexit.register(close_template)
        _template = Template(worker_template_environment())
    return _template


def worker_template_environment() -> dict[str, str]:
    """The template's environment: the kernels' (:func:`~partnerlib.render.environment.kernel_environment`),
    with one BLAS thread unless set otherwise (numpy starts its threads when imported, before any fork)."""
    from .environment import kernel_environment

    env = kernel_environment()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def close_template() -> None:
    """End this process's template, if it started one."""
    global _template
    if _template is not None:
        _template.close()
        _template = None


class ForkProvisioner(LocalProvisioner):
    """A kernel provisioner whose kernels are forked from the worker's template (see the module docstring).

    Everything but the launch is ``jupyter_client``'s local provisioner: the connection file, ports or Unix
    sockets, interrupts and signals (to the kernel's session), kill and clean-up.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        assert self.parent is not None  # the kernel manager
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            process = worker_template().fork(connection_file=self.parent.connection_file, cwd=cwd, env=env)
        except (OSError, RuntimeError, ValueError):
            close_template()  # a template that failed is replaced next time; this kernel starts the usual way
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process  # type: ignore[assignment]  # a ForkedKernel answers as a Popen does
        self.pid = self.pgid = process.pid  # the kernel leads a session of its own, as a launched kernel does
        self.cwd = cwd
        return self.connection_info


def _preload(modules=PRELOAD) -> None:
    """Import ``modules``; end at once should the worker that started this template be gone meanwhile."""
    import importlib

    parent = os.getppid()
    for name in modules:
        if os.getppid() != parent:  # pragma: no cover - the worker was killed while this template started
            os._exit(70)
        with contextlib.suppress(ImportError):  # an optional module missing: the kernel imports what it needs
            importlib.import_module(name)
        module = sys.modules.get(name)
        if module is not None and name.startswith("partnerlib"):  # its exports load on first use: load them now
            for export in getattr(module, "__all__", ()):
                getattr(module, export)
    for name in _NOT_BEFORE_FORK:
        sys.modules.pop(name, None)


def _become_kernel(request: dict, reply) -> None:
    """In the forked child: leave the template's state behind and run the review's kernel until it shuts down."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    reply.close()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if sys.path and sys.path[0] == _START_DIR:
        sys.path[0] = os.getcwd()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # a fork shares its template's random state: give each review a fresh one
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [sys.executable, "-m", "ipykernel_launcher", "-f", request["connection_file"]]
    app = IPKernelApp.instance()
    app.initialize(["-f", request["connection_file"], f"--IPKernelApp.parent_handle={os.getppid()}"])
    app.start()


_START_DIR = os.getcwd()


def _child(request: dict, reply) -> int:
    """Run the kernel in the forked child; its exit status."""
    try:
        _become_kernel(request, reply)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        return 1
    return 0


def _exit(status: int) -> None:
    """End the forked kernel: the exit handlers run (coverage saves its data), but not the slow teardown of
    every module the template imported (a second or more of garbage collection for nothing)."""
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def serve() -> None:
    """The template's main loop: preload, then fork one kernel per request line on standard input."""
    reply = os.fdopen(os.dup(1), "w", buffering=1)  # replies go to the worker; stray output to standard error
    os.dup2(2, 1)
    _preload()
    import gc

    gc.collect()
    gc.freeze()  # the kernels' garbage collector leaves the template's objects alone (and their pages shared)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels: no zombies
    zmq = sys.modules.get("zmq")
    state = {
        "ready": os.getpid(),
        "threads": threading.active_count(),  # must be 1: a fork copies no other thread, nor its locks
        "zmq_context": bool(zmq and zmq.Context._instance is not None),  # must be False: sockets are per kernel
        "modules": len(sys.modules),
    }
    try:
        reply.write(json.dumps(state) + "\n")
        for line in sys.stdin:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _exit(_child(request, reply))
            reply.write(json.dumps({"pid": pid}) + "\n")
    except BrokenPipeError:  # the worker is gone: so is this template, quietly
        os._exit(0)


if __name__ == "__main__":
    serve()
