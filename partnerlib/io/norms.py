"""The portfolio's norms records: every review's principle positions, collected from rendered reports.

A successful render stores each principle's overall score and the review's scale in the review's ``render.json``
(its headlines).  :func:`collect_norm_records` gathers them from one or more reports folders (this portfolio's, and
archive folders of earlier ones); :func:`write_norm_records` stores them as ``norms.csv`` (atomically, with the date
it was built) and :func:`read_norm_records` reads such a file back for a review.  The file holds every client's
positions: it is the consultant's own, kept beside the reports, never given to a client (a report shows only ranks).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from ..exceptions import PartnerDataError
from ..vocabulary import NORM_RECORD_COLUMNS
from .atomic import atomic_write_text
from .sheets import number_cell, read_sheets

#: The columns of a norms record (:data:`partnerlib.vocabulary.NORM_RECORD_COLUMNS`).
RECORD_COLUMNS = list(NORM_RECORD_COLUMNS)
#: The norms file's name in a reports folder (``partnerlib norms`` and ``partnerlib render --norms`` write it).
NORMS_FILE = "norms.csv"
#: The columns of ``norms.csv``: :data:`RECORD_COLUMNS` and the day it was built.
FILE_COLUMNS = [*RECORD_COLUMNS, "built"]


def collect_norm_records(folders) -> pd.DataFrame:
    """The norms records of every rendered review under ``folders`` (``<folder>/<name>/<period>/render.json``).

        A review rendered before partnerlib recorded its scores (no ``scores`` in its headlines) contributes nothing.
    A principle the review's codebook pools under another name (``norm:``, recorded as the headlines' ``norm``) is
    recorded under that name.
    """
    rows = []
    for folder in [Path(f) for f in folders]:
        if not folder.is_dir():
            raise PartnerDataError(f"reports folder not found: {folder}")
        for record_path in sorted(folder.glob("*/*/render.json")):
            try:
                record = json.loads(record_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise PartnerDataError(f"file '{record_path}': not a render record ({exc})") from None
            heads = record.get("headlines") or {}
            scores, scale = heads.get("scores"), heads.get("scale")
            if not scores or not scale:
                continue
            lo, hi = float(scale[0]), float(scale[1])
            pooled = heads.get("norm") or {}
            for principle, score in scores.items():
                principle = pooled.get(principle, principle)  # the name the codebook's norm: pools it under
                position = (float(score) - lo) / (hi - lo)
                rows.append([str(record.get("client", "")), str(record.get("name", "")),
                             str(record.get("period", "")), str(principle), position])  # fmt: skip
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def write_norm_records(records: pd.DataFrame, path, *, built: str) -> Path:
    """Write ``records`` to ``path`` as CSV, atomically, each row stamped with the day ``built`` (``YYYY-MM-DD``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FILE_COLUMNS)
    for row in records[RECORD_COLUMNS].itertuples(index=False):
        writer.writerow([*row[:4], f"{row[4]:.6f}", built])
    return atomic_write_text(path, out.getvalue())


def refresh_norms(folders, path, *, built: str, archive=(), reviews=None) -> pd.DataFrame:
    """Collect the norms records of every review rendered under ``folders`` and ``archive`` folders
    (:func:`collect_norm_records`) and write them to ``path`` (:func:`write_norm_records`, stamped ``built``);
    return the records.

    With ``reviews`` (review names: a manifest's), only those reviews are taken from ``folders``; the archive
    folders (earlier portfolios' results) are taken whole.  What ``partnerlib norms`` and ``partnerlib render
    --norms`` both run.
    """
    records = collect_norm_records(folders)
    if reviews is not None:
        records = records[records["review"].isin(list(reviews))]
    if archive:
        records = pd.concat([records, collect_norm_records(archive)], ignore_index=True)
    write_norm_records(records, path, built=built)
    return records


def read_norm_records(path) -> pd.DataFrame:
    """Read a ``norms.csv`` written by :func:`write_norm_records` (positions checked to lie between 0 and 1)."""
    sheets = read_sheets(path)
    if not sheets:
        raise PartnerDataError(f"file '{path}': empty; expected a norms file with columns {FILE_COLUMNS}")
    s = sheets[0]
    where = {c: s.column(c) for c in FILE_COLUMNS}
    missing = [c for c, i in where.items() if i is None]
    if missing:
        raise s.error(f"not a norms file: missing columns {missing}; expected {FILE_COLUMNS}")
    rows = []
    for number, row in zip(s.row_numbers, s.rows):
        values = {c: row[i] for c, i in where.items() if i is not None}
        position = number_cell(values["position"])
        if position is None or not 0 <= position <= 1:
            raise s.error("expected a position on the scale from 0 to 1", row=number, column="position",
                          value=values["position"])  # fmt: skip
        rows.append([*(str(values[c] or "") for c in RECORD_COLUMNS[:4]), position])
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)
