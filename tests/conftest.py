"""Shared fixtures: paths, a tiny Qualtrics export builder, and figure clean-up."""

from __future__ import annotations

import base64
import csv
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from partnerlib import PartnerDataError
from partnerlib.io.readers.qualtrics import EXPORT_METADATA

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
#: The demo partnership's review in the demo manifest (the manifest also lists the generated portfolio partnerships).
DEMO_REVIEW = "northwind-contoso"
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

QUALTRICS_META = list(EXPORT_METADATA)


def write_qualtrics(path: Path, questions: list[str], rows: list[dict], *, texts: dict | None = None) -> Path:
    """Write a three-header-row Qualtrics CSV.

    ``rows`` are dicts of question tag -> answer, plus optional metadata keys
    (``Status``, ``Finished``, ``Progress``, ``ResponseId``...); unspecified
    metadata gets the values of a normal finished response with personal data filled.
    """
    tags = QUALTRICS_META + questions
    texts = texts or {}
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(tags)
        w.writerow([texts.get(t, t) for t in tags])
        w.writerow([json.dumps({"ImportId": t}) for t in tags])
        for i, row in enumerate(rows, start=1):
            base = {
                "StartDate": "2026-03-01 10:00:00",
                "EndDate": "2026-03-01 10:10:00",
                "Status": "IP Address",
                "IPAddress": f"198.51.100.{i}",
                "Progress": "100",
                "Duration (in seconds)": "600",
                "Finished": "True",
                "RecordedDate": "2026-03-01 10:10:00",
                "ResponseId": f"R_{i:04d}",
                "RecipientLastName": "Doe",
                "RecipientFirstName": "Jane",
                "RecipientEmail": f"jane{i}@example.org",
                "ExternalReference": f"EXT{i}",
                "LocationLatitude": "51.5",
                "LocationLongitude": "-0.1",
                "DistributionChannel": "email",
                "UserLanguage": "EN",
            }
            base.update(row)
            w.writerow([base.get(t, "") for t in tags])
    return path


def embedded_svg_charts(html: str) -> list[str]:
    """The SVG documents of the charts a rendered report embeds as ``<img src="data:image/svg+xml;base64,...">``."""
    return [
        base64.b64decode(b).decode() for b in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    ]


def plain(html_text: str) -> str:
    """Generated HTML as plain text lines: each list item a line starting "- ", each paragraph a line, tags gone,
    entities decoded (so that a test reads what a person reads)."""
    import html as html_lib

    text = re.sub(r"<li[^>]*>", "\n- ", html_text)
    text = re.sub(r"</(p|h[1-6]|ul|div)>|<br\s*/?>", "\n", text)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def legend_in_reading_order(ax) -> list[str]:
    """The legend's entries as read: row by row, left to right."""
    ax.figure.canvas.draw()
    texts = ax.get_legend().get_texts()
    boxes = [(round(-t.get_window_extent().y0), t.get_window_extent().x0, t.get_text()) for t in texts]
    return [name for *_, name in sorted(boxes)]


def tidy(rows, columns=("respondent", "partner", "principle", "item", "measure", "score")) -> pd.DataFrame:
    """A hand-written tidy responses table: ``rows`` of ``columns``, keys categorical, the score a float."""
    df = pd.DataFrame(rows, columns=list(columns))
    for c in df.columns[:-1]:
        df[c] = df[c].astype("category")
    df["score"] = df["score"].astype(float)
    return df


def error_of(read, path) -> str:
    """The message of the :class:`PartnerDataError` that ``read(path)`` raises, which must name the file."""
    with pytest.raises(PartnerDataError) as err:
        read(path)
    assert f"file '{path}'" in str(err.value)
    return str(err.value)


def write_csv(path: Path, header: list, rows: list) -> Path:
    """Write a plain CSV (one header row) and return its path."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def qualtrics(tmp_path):
    """A function ``qualtrics(questions, rows, name="export.csv") -> Path`` writing into tmp_path."""

    def make(questions, rows, name="export.csv", **kw):
        return write_qualtrics(tmp_path / name, questions, rows, **kw)

    return make


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def write_tiny_batch(folder: Path, notebook: str, cells: list[str], reviews: dict[str, list[str]]) -> Path:
    """A manifest of tiny reviews of the notebook ``notebook`` (its parameters cell, then ``cells``), reading no
    file; ``reviews`` maps each review name to its extra manifest lines (``parameters: ...``, ``timeout: ...``)."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cells[0], metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(c) for c in cells[1:])]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / notebook)
    (folder / "codebook.yml").write_text("not read by this notebook\n")
    (folder / "export.csv").write_text("not read by this notebook\n")
    lines = ["reviews:"]
    for name, extra in reviews.items():
        lines += [f"  - name: {name}", f"    client: {name} client", "    period: '2026'",
                  "    surveys: {'2026': export.csv}", "    codebook: codebook.yml", f"    notebook: {notebook}",
                  *(f"    {line}" for line in extra)]  # fmt: skip
    manifest = folder / "reviews.yml"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest
