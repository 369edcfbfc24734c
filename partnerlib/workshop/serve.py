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
hides tracebacks.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
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


def voila_command(notebook, port: int) -> list[str]:
    """The command line that serves ``notebook`` with Voilà on ``127.0.0.1:port``."""
    return [
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


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 120.0) -> None:
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


def serve(review: Review, *, port: int | None = None, notebook=WORKSHOP_NOTEBOOK, out=sys.stdout) -> int:
    """Serve the workshop of ``review`` until interrupted; print its address once it is up.

    Returns Voilà's exit code (0 after Ctrl-C or SIGTERM).
    """
    port = port or free_port()
    parameters = workshop_parameters(review, notebook)
    with tempfile.TemporaryDirectory(prefix="partnerlib-workshop-") as folder:
        served = parameterised_notebook(parameters, folder, notebook)
        process = subprocess.Popen(voila_command(served, port), cwd=folder, env=kernel_environment())
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
