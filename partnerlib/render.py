"""Executing a parameterised notebook with papermill, and converting it to HTML and PDF.

The executed notebook is written atomically: it is executed into a temporary
file beside the destination and moved into place only when it succeeded; a
failed run keeps its partial notebook as ``<name>.failed.ipynb``.  The HTML
has no code: input cells, prompts and the parameter cells are removed.

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

import copy
import html
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager, nullcontext
from pathlib import Path

import nbformat

from .config import NOTEBOOKS_DIR
from .exceptions import RenderError
from .io import atomic_path, atomic_write_text

HIDDEN_TAGS = ("parameters", "injected-parameters", "remove-cell")
#: Outputs of this MIME type carry data for the runner (see :mod:`partnerlib.portfolio`), never shown.
RUNNER_MIME_PREFIX = "application/vnd.partnerlib."
#: Kernel start attempts before a review is reported as failed.
KERNEL_START_ATTEMPTS = 3
_LOCK_FILE = Path(tempfile.gettempdir()) / "partnerlib-kernel-start.lock"
#: nbconvert templates of the bundle: ``review`` is JupyterLab's, with charts that fit the page and are named.
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")


@contextmanager
def kernel_start_lock(path: Path = _LOCK_FILE):
    """Hold an exclusive advisory lock on ``path`` (all processes of this machine share it).

    Yields a function that releases the lock early (idempotent).  On systems
    without :mod:`fcntl` the lock is a no-op and the retry alone protects.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield lambda: None
        return
    fh = open(path, "a")
    released = False

    def release():
        nonlocal released
        if not released:
            released = True
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    fcntl.flock(fh, fcntl.LOCK_EX)
    try:
        yield release
    finally:
        release()


def ipc_kernel_manager():
    """A ``jupyter_client`` kernel manager reaching its kernel over Unix domain sockets.

    The sockets are named ``<temp dir>/partnerlib-kernel-<random>-<n>``: unique
    to the kernel, so kernels started at the same moment never collide (see the
    module docstring), and removed when the kernel shuts down.  Unlike
    jupyter_client's own manager it does not interrupt the kernel just before
    shutting it down (see the comment in ``_async_interrupt_kernel``).
    """
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(tempfile.gettempdir(), f"partnerlib-kernel-{uuid.uuid4().hex}")

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before asking it to shut down.  The review's kernel is idle
            # by then (its last cell finished, failed or timed out and was interrupted by nbclient), and an
            # interrupt that lands while it answers a message only makes it log "ERROR | KeyboardInterrupt
            # caught in kernel" over the progress bars.  The shutdown request follows, and a kernel that
            # does not exit is killed.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return IPCKernelManager


def _review_engine():
    """A papermill engine that reports each finished cell and, over TCP, starts kernels one at a time."""
    from papermill.engines import NBClientEngine

    class ReviewEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, started=None, **kwargs):
            cell_start, cell_complete = nb_man.cell_start, nb_man.cell_complete
            total = len(nb_man.nb.cells)
            tcp = "kernel_manager_class" not in kwargs
            with kernel_start_lock() if tcp else nullcontext(lambda: None) as release:
                def start(cell, cell_index=None, **kw):
                    release()  # the kernel is up and answered: let the next one start
                    if started is not None:
                        started.append(cell_index)
                    return cell_start(cell, cell_index, **kw)

                def complete(cell, cell_index=None, **kw):
                    out = cell_complete(cell, cell_index, **kw)
                    if on_cell is not None:
                        on_cell(cell_index + 1, total)
                    return out

                nb_man.cell_start, nb_man.cell_complete = start, complete
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ReviewEngine


def execute(notebook, output, parameters: dict, *, cwd=NOTEBOOKS_DIR, kernel_name: str = "python3",
            on_cell=None, attempts: int = KERNEL_START_ATTEMPTS) -> Path:
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
    attempts : int
        Kernel starts tried when a kernel fails before its first cell runs
        (the start-up race described in the module docstring).

    Raises
    ------
    papermill.PapermillExecutionError
        If a cell fails; the partial notebook is kept as ``<output stem>.failed.ipynb``.
    """
    import papermill as pm
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    papermill_engines.register("partnerlib", _review_engine())
    ipc = {"kernel_manager_class": ipc_kernel_manager()} if os.name == "posix" else {}
    output = Path(output)
    failed = output.with_suffix(".failed.ipynb")
    for attempt in range(1, attempts + 1):
        started: list[int] = []
        try:
            with atomic_path(output) as tmp:
                try:
                    pm.execute_notebook(str(notebook), str(tmp), parameters=parameters, cwd=str(cwd),
                                        kernel_name=kernel_name, progress_bar=False, log_output=False,
                                        engine_name="partnerlib", on_cell=on_cell, started=started,
                                        request_save_on_cell_execute=False, **ipc)
                except BaseException:
                    if tmp.exists():
                        tmp.replace(failed)  # keep the partial notebook
                    raise
        except PapermillExecutionError:
            raise
        except Exception:
            if started or attempt == attempts:
                raise
            failed.unlink(missing_ok=True)
            time.sleep(0.5 * attempt)  # the kernel died while starting: try a fresh one
            continue
        break
    failed.unlink(missing_ok=True)
    return output


def strip_runner_outputs(nb) -> None:
    """Remove, in place, outputs that carry data for the runner (MIME ``application/vnd.partnerlib.*``)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not any(m.startswith(RUNNER_MIME_PREFIX) for m in o.get("data", {}))]


def chart_alt_text(svg: str) -> str:
    """The alternative text of a chart drawn by :mod:`partnerlib.plots`: ``"Chart: <its title>"``.

    The title is the text of the SVG element whose id is
    :data:`partnerlib.plots.TITLE_ID` (lines joined by a space); a chart without
    one is just ``"Chart"``.
    """
    from .plots import TITLE_ID

    group = re.search(rf'<g id="{re.escape(TITLE_ID)}">(.*?)</g>', svg, flags=re.S)
    lines = re.findall(r"<text\b[^>]*>(.*?)</text>", group.group(1), flags=re.S) if group else []
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in lines).strip()
    return f"Chart: {title}" if title else "Chart"


def to_html(notebook, html_path, *, title: str | None = None) -> Path:
    """Convert an executed notebook to a self-contained HTML page with no code.

    Input cells, prompts and cells tagged ``parameters``, ``injected-parameters``
    or ``remove-cell`` are left out; figures are embedded, never wider than the
    page, each SVG chart with its title as alternative text (see
    :func:`chart_alt_text`); papermill's record of the parameters is removed
    from the notebook metadata, and outputs meant for the runner (headline
    figures) are not shown.  The page uses the ``review`` template in
    :data:`TEMPLATES_DIR` (JupyterLab's, with those two changes).
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(str(notebook), as_version=4)
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get("image/svg+xml")
            if svg:
                output.setdefault("metadata", {})["alt"] = chart_alt_text(svg)
    strip_runner_outputs(nb)
    exporter = HTMLExporter(template_name="review", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True),
                                   enabled=True)
    resources = {"metadata": {"name": title or Path(notebook).stem}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return atomic_write_text(html_path, body)


def find_chromium() -> Path:
    """The headless Chromium used to print PDFs (Debian's ``chromium``).

    Raises
    ------
    RenderError
        If no ``chromium`` executable is on the ``PATH``, saying how to install it.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise RenderError("--pdf needs the 'chromium' browser, which is not installed (looked for "
                      f"{', '.join(CHROMIUM_NAMES)} on PATH); install it with `apt-get install chromium` "
                      "(Debian/Ubuntu) or leave out --pdf")


def to_pdf(html_path, pdf_path, *, chromium=None, timeout: float = 120) -> Path:
    """Print an HTML report to PDF with headless Chromium (atomically).

    Raises
    ------
    RenderError
        If Chromium is missing, fails or writes no PDF; the message quotes its error output.
    """
    chromium = Path(chromium) if chromium else find_chromium()
    html_path = Path(html_path).resolve()
    with tempfile.TemporaryDirectory(prefix="partnerlib-chromium-") as profile, atomic_path(pdf_path) as tmp:
        cmd = [str(chromium), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={tmp}",
               html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": profile})
        if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            raise RenderError(f"chromium could not print '{html_path}' to PDF (exit status {proc.returncode}): "
                              f"{tail or 'no PDF written'}")
    return Path(pdf_path)
