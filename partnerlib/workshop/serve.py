"""Serving the workshop notebook as a web page with Voilà.

Voilà cannot take papermill parameters, so the review's inputs reach the
notebook the way papermill passes them to the report: :func:`parameterised_notebook`
writes a copy of ``notebooks/03-workshop.ipynb`` with an ``injected-parameters``
cell (papermill's own :func:`papermill.parameterize.parameterize_notebook`)
into a temporary folder, and Voilà serves that copy.  The committed notebook
stays as it is, its defaults still run the demo, and nothing about the
review is hidden in environment variables.  The temporary folder is removed
when the server stops.

Voilà and its kernels run in the bundle's own environment
(:func:`partnerlib.render.environment.kernel_environment`), so the workshop's
charts are drawn whatever the shell it was started from.

Voilà listens on 127.0.0.1 only (participants look at the facilitator's
screen or a screen share), runs the notebook without showing any code, and
hides tracebacks.  Its settings (:func:`voila_config`, written as
``voila.json`` beside the served notebook) make it fit for a room:

- a page that is closed or reloaded has its kernel shut down: the server
  releases a kernel once no page has been connected to it for a few seconds
  (:class:`.kernels.ReleasingKernelManager`, whether or not the page's own
  shutdown request arrived; that request is accepted too, as the
  127.0.0.1-only server does not ask it for an XSRF token), and a kernel
  whose page never connected (closed while loading) is culled after
  :data:`CULL_IDLE_SECONDS` idle, so reloads do not pile up kernels;
- nothing is loaded from the internet: the page uses the template in
  ``workshop/voila/templates/partnerlib`` (Voilà's lab template without its
  Font Awesome CDN links) and JupyterLab extensions other than the widgets'
  are not loaded;
- the terminal shows the address and real errors (log level ``WARN``), not
  notices about trust or kernel transports.

Before Voilà starts, :func:`check_inputs` reads the review's inputs as the
page will, so a broken codebook stops ``partnerlib workshop`` with
partnerlib's one-line message instead of serving a page that fails.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from ..config import NOTEBOOKS_DIR
from ..exceptions import ManifestError, PartnerDataError
from ..render.environment import kernel_environment
from ..render.manifest import Review, load_manifest

#: The notebook served by ``partnerlib workshop``.
WORKSHOP_NOTEBOOK = NOTEBOOKS_DIR / "03-workshop.ipynb"
HOST = "127.0.0.1"
#: The Jupyter data folder holding the workshop's Voilà template (``voila/templates/partnerlib``).
JUPYTER_DATA = Path(__file__).resolve().parent
#: Seconds a kernel with no page connected may stay idle before it is shut down (a page reloaded before it had
#: loaded never sends its shutdown request; a page still open is never culled, and what a page saved stays saved).
CULL_IDLE_SECONDS = 60
#: The kernel manager shutting down the kernel of a page that is gone.
KERNEL_MANAGER = "partnerlib.workshop.kernels.ReleasingKernelManager"
#: The kernel websocket connection sending each message to the page at once (Nagle's algorithm off).
KERNEL_CONNECTION = "partnerlib.workshop.kernels.NoDelayConnection"
#: JupyterLab extensions the page does not load (jupytext's fails outside JupyterLab, with a console error).
UNUSED_LAB_EXTENSIONS = ["jupyterlab-jupytext"]
#: Lines of Voilà's and the kernels' log that are notices, not errors, and are kept off the terminal.
QUIET = tuple(
    re.compile(p)
    for p in (
        r"Notebook .* is not trusted",
        r"Kernel is running over TCP without encryption",
        r"websocket_ping_timeout",
    )
)


def find_review(manifest, name: str) -> Review:
    """The review called ``name`` in ``manifest``.

    Raises
    ------
    ManifestError
        If there is none, naming the reviews the manifest lists.
    """
    reviews = load_manifest(manifest)
    for review in reviews:
        if review.name == name:
            return review
    raise ManifestError(
        f"manifest '{Path(manifest).resolve()}': no review named {name!r}; it lists {[r.name for r in reviews]}"
    )


def workshop_parameters(review: Review, notebook=WORKSHOP_NOTEBOOK) -> dict:
    """The review's notebook parameters that ``notebook`` declares (paths absolute).

    The manifest entry's inputs (:meth:`Review.notebook_parameters`) are
    matched against the notebook's parameters cell, so inputs the workshop
    does not use (the roster, ``parameters`` meant for the report) are left out.
    """
    import papermill as pm

    declared = pm.inspect_notebook(str(notebook))
    return {k: v for k, v in review.notebook_parameters().items() if k in declared}


def parameterised_notebook(parameters: dict, folder, notebook=WORKSHOP_NOTEBOOK) -> Path:
    """Write ``notebook`` with ``parameters`` injected (as papermill does) into ``folder``; return its path."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook))
    nb = parameterize_notebook(
        nb, parameters, kernel_name=nb.metadata.kernelspec.name, language=nb.metadata.kernelspec.language
    )
    path = Path(folder) / Path(notebook).name
    nbformat.write(nb, str(path))
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def voila_config() -> dict:
    """Voilà's settings for the workshop (see the module's description)."""
    return {
        "Voila": {
            "tornado_settings": {"disable_check_xsrf": True},
            "log_level": "WARN",
            "kernel_websocket_connection_class": KERNEL_CONNECTION,
        },
        "VoilaConfiguration": {
            "show_tracebacks": False,
            "template": "partnerlib",
            "extension_denylist": UNUSED_LAB_EXTENSIONS,
            "multi_kernel_manager_class": KERNEL_MANAGER,
        },
        "MappingKernelManager": {"cull_idle_timeout": CULL_IDLE_SECONDS, "cull_interval": 15, "cull_connected": False},
    }


def check_inputs(parameters: dict) -> None:
    """Read the review's inputs as the workshop page will, raising partnerlib's error for the first problem.

    Raises
    ------
    PartnerDataError
        For a survey export, codebook or actions register that cannot be
        used, or a period that is not in the surveys (the message names the
        file, row and column, as ``partnerlib render`` does).
    """
    from ..io import read_actions, read_surveys

    survey = read_surveys(parameters["surveys"], parameters["codebook"])
    period = str(parameters.get("period", ""))
    periods = sorted(str(p) for p in survey.responses["period"].astype("str").unique())
    if period and period not in periods:
        raise PartnerDataError(f"period {period!r} is not in the review's surveys; periods present: {periods}")
    actions = parameters.get("actions")
    if actions and Path(actions).is_file():
        read_actions(actions)


def voila_command(notebook, port: int, config_dir=None) -> list[str]:
    """The command line that serves ``notebook`` with Voilà on ``127.0.0.1:port`` (settings from ``config_dir``)."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    if config_dir is not None:
        command.append(f"--Voila.config_file_paths={config_dir}")
    return command


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 300.0) -> None:
    """Return when something listens on ``port``.

    Raises
    ------
    PartnerDataError
        If ``process`` ends first or ``timeout`` seconds pass.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PartnerDataError(
                f"Voilà stopped before serving the workshop (exit code {process.returncode}); "
                f"is port {port} already in use?"
            )
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise PartnerDataError(f"Voilà did not start serving on port {port} within {timeout:.0f} s")


def pass_log(lines, err) -> None:
    """Copy Voilà's log ``lines`` to ``err``, leaving out the notices in :data:`QUIET`."""
    for line in lines:
        if not any(p.search(line) for p in QUIET):
            err.write(line)
            err.flush()


def serve(
    review: Review, *, port: int | None = None, notebook=WORKSHOP_NOTEBOOK, out=sys.stdout, err=sys.stderr
) -> int:
    """Serve the workshop of ``review`` until interrupted; print its address once it is up.

    Returns Voilà's exit code (0 after Ctrl-C or SIGTERM).
    """
    port = port or free_port()
    parameters = workshop_parameters(review, notebook)
    check_inputs(parameters)
    with tempfile.TemporaryDirectory(prefix="partnerlib-workshop-") as folder:
        served = parameterised_notebook(parameters, folder, notebook)
        (Path(folder) / "voila.json").write_text(json.dumps(voila_config(), indent=1), encoding="utf-8")
        env = kernel_environment()
        env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p)
        process = subprocess.Popen(
            voila_command(served, port, folder), cwd=folder, env=env, stderr=subprocess.PIPE, text=True
        )
        threading.Thread(target=pass_log, args=(process.stderr, err), daemon=True).start()
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            wait_for_port(port, process)
            print(
                f"Workshop for review '{review.name}' ({review.client}, {review.period}): http://{HOST}:{port}/",
                file=out,
                flush=True,
            )
            print("Press Ctrl-C to stop.", file=out, flush=True)
            return process.wait()
        except (KeyboardInterrupt, SystemExit):
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
