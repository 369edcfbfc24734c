"""What a worker does: render one review in a kernel of its own and send back its notebook and HTML.

:func:`run_job` is the task a worker process (local or Dask) runs; it never
raises for a failing review, the error comes back in the :class:`JobResult`.
"""

from __future__ import annotations

import re
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .checks import MISSING_CHART_ERROR, cells_without_chart
from .convert import to_html
from .execute import CELL_TIMEOUT_SECONDS, execute
from .portfolio import read_headlines


@dataclass
class Job:
    """What a worker needs to render one review (picklable; paths as text)."""

    key: str
    notebook: str  # the notebook's JSON text, so workers need not see the notebook file
    parameters: dict
    title: str
    cwd: str
    header: str = ""  # the running header of printed pages (client and period)
    paper: str = "A4"
    timeout: int = CELL_TIMEOUT_SECONDS  # seconds one cell may run


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


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _statement(lines: list[str], start: int) -> str:
    """The statement beginning at ``lines[start]``, its continuation lines joined (a call spread over lines)."""
    parts, depth = [], 0
    for text in lines[start:]:
        parts.append(text.strip())
        depth += sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
        if depth <= 0:
            break
    return re.sub(r"([(\[{]) ", r"\1", " ".join(parts))


def failing_line(source: str, traceback_lines) -> str:
    """The statement of a cell's ``source`` where it failed, from the kernel's traceback (``Cell In[4], line 3``).

    Falls back to the cell's first statement; a statement over several lines is joined into one, and shortened
    to 70 characters.
    """
    lines = source.splitlines()
    found = re.search(r"Cell In\s*\[\d*\], line (\d+)", _ANSI.sub("", "\n".join(traceback_lines or [])))
    start = int(found.group(1)) - 1 if found and 0 < int(found.group(1)) <= len(lines) else None
    if start is None or not lines[start].strip():
        start = next((i for i, t in enumerate(lines) if t.strip() and not t.lstrip().startswith("#")), None)
    line = _statement(lines, start) if start is not None else ""
    return line if len(line) <= 70 else line[:67] + "..."


def _render(job: Job, folder: Path, on_cell) -> JobResult:
    """Execute the review into ``folder``, check its charts and convert it to HTML (may raise)."""
    import nbformat

    source = folder / "review-source.ipynb"
    source.write_text(job.notebook, encoding="utf-8")
    executed = folder / "review.ipynb"
    execute(
        source,
        executed,
        job.parameters,
        cwd=job.cwd if Path(job.cwd).is_dir() else folder,
        on_cell=on_cell,
        timeout=job.timeout,
    )
    nb = nbformat.read(str(executed), as_version=4)
    empty = cells_without_chart(nb)
    if empty:
        cell = f"In [{empty[0].execution_count}] `{failing_line(empty[0].source, [])}`"
        return JobResult(job.key, False, notebook=executed.read_bytes(), error=MISSING_CHART_ERROR, cell=cell)
    html_path = to_html(executed, folder / "review.html", title=job.title, header=job.header, paper=job.paper)
    return JobResult(
        job.key, True, notebook=executed.read_bytes(), html=html_path.read_text("utf-8"), headlines=read_headlines(nb)
    )


def _partial(folder: Path) -> bytes | None:
    failed = folder / "review.failed.ipynb"
    return failed.read_bytes() if failed.exists() else None


def run_job(job: Job, sink=None) -> JobResult:
    """Execute one review in this process and return its notebook and HTML (a worker's task).

    Never raises for a failing review: the error comes back in the result, naming the cell where it can (a cell
    that raised, or a chart cell that showed no chart, see :func:`partnerlib.render.checks.cells_without_chart`).
    ``sink(event, *args)`` receives ``("start",)``, ``("cell", done, total)``.
    """
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    if sink is not None:
        sink("start")
    on_cell = (lambda done, total: sink("cell", done, total)) if sink is not None else None
    with tempfile.TemporaryDirectory(prefix="partnerlib-review-") as tmp:
        folder = Path(tmp)
        try:
            result = _render(job, folder, on_cell)
        except PapermillExecutionError as exc:
            evalue = (exc.evalue or "").strip().splitlines()
            result = JobResult(
                job.key,
                False,
                notebook=_partial(folder),
                error=f"{exc.ename}: {evalue[0] if evalue else ''}".rstrip(": "),
                cell=f"In [{exc.exec_count}] `{failing_line(exc.source, exc.traceback)}`",
            )
        except Exception as exc:  # a kernel that never started, a conversion error: report, do not crash the pool
            message = str(exc).strip().splitlines()
            detail = message[0] if message else "".join(traceback.format_exception_only(exc)).strip()
            result = JobResult(job.key, False, notebook=_partial(folder), error=f"{type(exc).__name__}: {detail}")
    result.seconds = time.perf_counter() - start
    return result
