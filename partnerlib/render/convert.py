"""Executed notebooks converted into the report's pages: HTML without code, and PDF printed by Chromium.

The HTML has no code: input cells, prompts and the parameter cells are
removed, and outputs meant for the runner (headline figures) are not shown.
"""

from __future__ import annotations

import copy
import functools
import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat

from ..exceptions import RenderError
from ..io.atomic import atomic_path, atomic_write_text

HIDDEN_TAGS = ("parameters", "injected-parameters", "remove-cell")
#: Outputs of this MIME type carry data for the runner (see :mod:`partnerlib.report.marks`), never shown.
RUNNER_MIME_PREFIX = "application/vnd.partnerlib."
#: nbconvert templates of the bundle: ``review`` is JupyterLab's, with charts that fit the page and are named.
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
#: Headless Chromium that reaches nothing outside this machine (Debian's build tries to reach Google otherwise).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--no-pdf-header-footer")  # fmt: skip


def strip_runner_outputs(nb) -> None:
    """Remove, in place, outputs that carry data for the runner (MIME ``application/vnd.partnerlib.*``)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not any(m.startswith(RUNNER_MIME_PREFIX) for m in o.get("data", {}))
            ]


def chart_alt_text(svg: str) -> str:
    """The alternative text of a chart drawn by :mod:`partnerlib.plots`: ``"Chart: <its title>"``.

    The title is the text of the SVG element whose id is
    :data:`partnerlib.plots.TITLE_ID` (lines joined by a space); a chart without
    one is just ``"Chart"``.
    """
    from ..plots import TITLE_ID

    group = re.search(rf'<g id="{re.escape(TITLE_ID)}">(.*?)</g>', svg, flags=re.S)
    lines = re.findall(r"<text\b[^>]*>(.*?)</text>", group.group(1), flags=re.S) if group else []
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in lines).strip()
    return f"Chart: {title}" if title else "Chart"


#: Paper sizes a report can be printed on (CSS ``@page`` sizes); A4 unless asked otherwise.
PAPER_SIZES = ("A4", "letter")
#: How much narrower than drawn a chart may be shown on a narrow screen before it scrolls sideways instead
#: (0.75: its smallest text, 9 points, stays at 9 CSS pixels or more).
MIN_CHART_SCALE = 0.75


def css_string(text: str) -> str:
    """``text`` as the content of a CSS string in double quotes: quotes, backslashes, line breaks and ``<`` escaped
    (so that nothing a client wrote can end the string or the ``<style>`` element)."""
    out = []
    for ch in str(text):
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def svg_width(svg: str) -> float | None:
    """The width of a matplotlib SVG in CSS pixels (its ``width`` attribute is in points), or ``None``."""
    found = re.search(r'<svg[^>]*\swidth="([0-9.]+)(pt|px)?"', svg)
    if not found:
        return None
    value = float(found.group(1))
    return value * 96 / 72 if found.group(2) in (None, "pt") else value


@functools.cache
def review_exporter():
    """The HTML exporter of the reports (the ``review`` template, no code), built once per process.

    Building it finds and compiles the Jinja templates; a worker reuses it for every review it converts.  It
    keeps no state of a conversion: what differs per review comes in the ``resources`` of each call.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="review",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True)
    return exporter


def to_html(notebook, html_path, *, title: str | None = None, header: str | None = None, paper: str = "A4") -> Path:
    """Convert an executed notebook to a self-contained HTML page with no code.

    Input cells, prompts and cells tagged ``parameters``, ``injected-parameters``
    or ``remove-cell`` are left out; figures are embedded, never wider than the
    page, each SVG chart with its title as alternative text (see
    :func:`chart_alt_text`); papermill's record of the parameters is removed
    from the notebook metadata, and outputs meant for the runner (headline
    figures) are not shown.  The page uses the ``review`` template in
    :data:`TEMPLATES_DIR` (JupyterLab's, with those changes and print rules):
    printed on ``paper`` (:data:`PAPER_SIZES`) with ``header`` (the client and
    period) and "Confidential" at the top of each page and "Page n of m" at
    the bottom; on a narrow screen a chart is shown at no less than
    :data:`MIN_CHART_SCALE` of its size and scrolls sideways, saying so.
    """
    if paper not in PAPER_SIZES:
        raise RenderError(f"paper {paper!r}: expected one of {list(PAPER_SIZES)}")
    nb = nbformat.read(str(notebook), as_version=4)
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            svg = output.get("data", {}).get("image/svg+xml")
            if svg:
                meta = output.setdefault("metadata", {})
                meta["alt"] = chart_alt_text(svg)
                width = svg_width(svg)
                if width:
                    meta["partnerlib_width"] = round(width)
                    meta["partnerlib_min_width"] = round(width * MIN_CHART_SCALE)
    strip_runner_outputs(nb)
    resources = {
        "metadata": {"name": title or Path(notebook).stem},
        "partnerlib": {"header": css_string(header or title or ""), "paper": paper},
    }
    body, _ = review_exporter().from_notebook_node(nb, resources=resources)
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
    raise RenderError(
        "--pdf needs the 'chromium' browser, which is not installed (looked for "
        f"{', '.join(CHROMIUM_NAMES)} on PATH); install it with `apt-get install chromium` "
        "(Debian/Ubuntu) or leave out --pdf"
    )


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
        cmd = [
            str(chromium),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            html_path.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": profile})
        if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            raise RenderError(
                f"chromium could not print '{html_path}' to PDF (exit status {proc.returncode}): "
                f"{tail or 'no PDF written'}"
            )
    return Path(pdf_path)
