"""Executing a parameterised notebook with papermill and converting it to HTML.

The executed notebook is written atomically: it is executed into a temporary
file beside the destination and moved into place only when it succeeded; a
failed run keeps its partial notebook as ``<name>.failed.ipynb``.  The HTML
has no code: input cells, prompts and the parameter cells are removed.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .config import NOTEBOOKS_DIR
from .io import atomic_path, atomic_write_text

HIDDEN_TAGS = ("parameters", "injected-parameters", "remove-cell")


def execute(notebook, output, parameters: dict, *, cwd=NOTEBOOKS_DIR, kernel_name: str = "python3") -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output`` (atomically).

    Raises
    ------
    papermill.PapermillExecutionError
        If a cell fails; the partial notebook is kept as ``<output stem>.failed.ipynb``.
    """
    import papermill as pm

    output = Path(output)
    failed = output.with_suffix(".failed.ipynb")
    with atomic_path(output) as tmp:
        try:
            pm.execute_notebook(str(notebook), str(tmp), parameters=parameters, cwd=str(cwd),
                                kernel_name=kernel_name, progress_bar=False, log_output=False)
        except BaseException:
            if tmp.exists():
                tmp.replace(failed)
            raise
    failed.unlink(missing_ok=True)
    return output


def to_html(notebook, html_path, *, title: str | None = None) -> Path:
    """Convert an executed notebook to a self-contained HTML page with no code.

    Input cells, prompts and cells tagged ``parameters``, ``injected-parameters``
    or ``remove-cell`` are left out; figures are embedded; papermill's record of
    the parameters is removed from the notebook metadata.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(str(notebook), as_version=4)
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True),
                                   enabled=True)
    resources = {"metadata": {"name": title or Path(notebook).stem}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return atomic_write_text(html_path, body)
