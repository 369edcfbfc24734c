"""Ingestion benchmark: ``read_survey`` on a 100,000-respondent x 40-statement Qualtrics export.

The export (three header rows, choice-text answers, personal-data columns,
previews, unfinished responses, "Don't know" and blank answers; 40 statements
rated on *current* and *importance*, so 80 rating columns) is generated into a
temporary folder.  Each reading runs in a fresh subprocess, which reports its
wall time and its peak resident memory (``resource.getrusage`` ``ru_maxrss``).

Figures: ``read_survey`` time as a ratio to plain ``pandas.read_csv`` of the
same file (best of ``REPEATS`` runs each; target <= 3x) and ``read_survey``'s
peak memory (target < 2 GiB).  On a shared machine the timings are noisy.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from partnerlib.io.readers.qualtrics import EXPORT_METADATA

RESPONDENTS = 100_000
STATEMENTS = 40
REPEATS = 3
TARGET_RATIO = 3.0
TARGET_PEAK_GIB = 2.0
ROOT = Path(__file__).resolve().parents[1]

LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
META = list(EXPORT_METADATA)


def write_export(folder: Path, n: int = RESPONDENTS, statements: int = STATEMENTS, seed: int = 0) -> tuple[Path, Path]:
    """Write the benchmark export and its codebook into ``folder``; return both paths."""
    rng = np.random.default_rng(seed)
    cur = [f"Q3_{i}" for i in range(1, statements + 1)]
    imp = [f"Q4_{i}" for i in range(1, statements + 1)]
    questions = ["Q1", "Q2", *cur, *imp, "Q20"]
    status = np.where(rng.random(n) < 0.01, "Survey Preview", "IP Address")
    finished = rng.random(n) >= 0.03
    cols = {
        "StartDate": np.full(n, "2026-03-01 10:00:00"),
        "EndDate": np.full(n, "2026-03-01 10:12:00"),
        "Status": status,
        "IPAddress": [f"198.51.{i // 256 % 256}.{i % 256}" for i in range(n)],
        "Progress": np.where(finished, "100", "45"),
        "Duration (in seconds)": rng.integers(60, 3000, n).astype(str),
        "Finished": np.where(finished, "True", "False"),
        "RecordedDate": np.full(n, "2026-03-01 10:12:00"),
        "ResponseId": [f"R_{i:012d}" for i in range(n)],
        "RecipientLastName": np.full(n, "Doe"),
        "RecipientFirstName": np.full(n, "Jane"),
        "RecipientEmail": [f"p{i}@example.org" for i in range(n)],
        "ExternalReference": np.full(n, ""),
        "LocationLatitude": np.full(n, "51.50"),
        "LocationLongitude": np.full(n, "-0.12"),
        "DistributionChannel": np.full(n, "email"),
        "UserLanguage": np.full(n, "EN"),
        "Q1": rng.choice(["Northwind Health", "Contoso Logistics"], n),
        "Q2": rng.choice(["Executive", "Manager", "Staff"], n),
    }
    answers = np.array([*LABELS, "Don't know", ""], dtype=object)
    weights = np.array([0.05, 0.15, 0.25, 0.35, 0.15, 0.02, 0.03])
    for c in cur + imp:
        cols[c] = answers[rng.choice(len(answers), n, p=weights)]
    cols["Q20"] = np.where(rng.random(n) < 0.1, "We should meet more often, and share plans earlier", "")
    frame = pd.DataFrame(cols, columns=META + questions)
    header = pd.DataFrame(
        [
            META + questions,
            META + [f"Question text of {q}" for q in questions],
            [json.dumps({"ImportId": t}) for t in META + questions],
        ],
        columns=frame.columns,
    )
    path = folder / "qualtrics_100k.csv"
    pd.concat([header, frame], ignore_index=True).to_csv(path, header=False, index=False, lineterminator="\r\n")
    codebook = {
        "period": "2026",
        "scale": {
            "min": 1,
            "max": 5,
            "labels": {label: i for i, label in enumerate(LABELS, start=1)},
            "not_applicable": ["Don't know"],
        },
        "respondent": {"id": "ResponseId", "partner": "Q1", "role": "Q2"},
        "principles": {
            f"Principle {p + 1}": [
                {"item": f"s{i}", "current": f"Q3_{i}", "importance": f"Q4_{i}", "reverse": i % 7 == 0}
                for i in range(p * 5 + 1, p * 5 + 6)
            ]
            for p in range(statements // 5)
        },
        "comments": ["Q20"],
    }
    cb_path = folder / "codebook.yml"
    cb_path.write_text(yaml.safe_dump(codebook, sort_keys=False))
    return path, cb_path


_WORKER = """
import json, resource, sys, time
kind, path, codebook = sys.argv[1:4]
import pandas as pd
import partnerlib
start = time.perf_counter()
if kind == "read_csv":
    rows = len(pd.read_csv(path, skiprows=[1, 2]))
else:
    rows = len(partnerlib.read_survey(path, codebook).responses)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "rows": rows,
                  "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def measure(kind: str, path: Path, codebook: Path) -> dict:
    """Run one reading in a fresh interpreter; return its seconds, result rows and peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, kind, str(path), str(codebook)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict:
    """Generate the export, time both readings, print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        start = time.perf_counter()
        path, codebook = write_export(Path(tmp))
        size = path.stat().st_size
        print(
            f"export: {RESPONDENTS:,} respondents x {STATEMENTS} statements x 2 measures, "
            f"{size / 2**20:.0f} MiB, written in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        runs = {"read_csv": [], "read_survey": []}
        for _ in range(REPEATS):
            for kind in runs:
                runs[kind].append(measure(kind, path, codebook))
    best = {k: min(r["seconds"] for r in v) for k, v in runs.items()}
    peak = max(r["peak_bytes"] for r in runs["read_survey"])
    ratio = best["read_survey"] / best["read_csv"]
    figures = {
        "read_csv_s": best["read_csv"],
        "read_survey_s": best["read_survey"],
        "ratio": ratio,
        "read_survey_peak_gib": peak / 2**30,
        "read_csv_peak_gib": max(r["peak_bytes"] for r in runs["read_csv"]) / 2**30,
        "tidy_rows": runs["read_survey"][0]["rows"],
    }
    print(
        f"pandas.read_csv: {best['read_csv']:.2f} s (best of {REPEATS}); read_survey: {best['read_survey']:.2f} s "
        f"-> ratio {ratio:.2f}x (target <= {TARGET_RATIO:g}x) {'OK' if ratio <= TARGET_RATIO else 'MISSED'}"
    )
    print(
        f"peak memory: read_survey {figures['read_survey_peak_gib']:.2f} GiB (target < {TARGET_PEAK_GIB:g} GiB) "
        f"{'OK' if figures['read_survey_peak_gib'] < TARGET_PEAK_GIB else 'MISSED'}; "
        f"read_csv {figures['read_csv_peak_gib']:.2f} GiB; tidy rows {figures['tidy_rows']:,}"
    )
    return figures


if __name__ == "__main__":
    main()
