"""Ingestion benchmark: ``read_survey`` on a 100,000-respondent x 40-statement Qualtrics export.

The export (three header rows, choice-text answers, personal-data columns,
previews, unfinished responses, "Don't know" and blank answers; 40 statements
rated on *current* and *importance*, so 80 rating columns) is generated into a
temporary folder.  Each reading runs in a fresh subprocess, which reports its
wall time and its peak resident memory (``resource.getrusage`` ``ru_maxrss``).

Targets (issue 18):

* time: ``read_survey`` at most 1.5x the fastest plain ``pandas.read_csv`` of the same file (the faster of the
  pyarrow and the C engine), best of ``REPEATS`` runs each, interleaved;
* memory: ``read_survey``'s peak under 1.5 GiB;
* linear in respondents: seconds per 1,000 respondents at 300,000 within 25 % of that at 100,000 (at 10,000 the
  fixed costs of one reading weigh more; its figure is printed too).  ``PARTNERLIB_BENCH_QUICK=1`` skips 300,000.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from benchmarks import Target, load_average
from partnerlib.io.readers.qualtrics import EXPORT_METADATA

RESPONDENTS = 100_000
STATEMENTS = 40
REPEATS = 3
TARGET_RATIO = 1.5
TARGET_PEAK_GIB = 1.5
LINEAR_TOLERANCE = 0.25
SIZES = (10_000, 100_000, 300_000)
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
elif kind == "read_csv_pyarrow":
    rows = len(pd.read_csv(path, engine="pyarrow"))  # the two metadata rows read as data: same bytes parsed
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


def timings(path: Path, codebook: Path, repeats: int = REPEATS) -> dict:
    """Best seconds (and peak bytes) of each reading of ``path``, runs interleaved so load drifts hit all alike."""
    runs: dict[str, list[dict]] = {"read_csv": [], "read_csv_pyarrow": [], "read_survey": []}
    for _ in range(repeats):
        for kind in runs:
            runs[kind].append(measure(kind, path, codebook))
    return {
        kind: {
            "seconds": min(r["seconds"] for r in rs),
            "peak_gib": max(r["peak_bytes"] for r in rs) / 2**30,
            "rows": rs[0]["rows"],
        }
        for kind, rs in runs.items()
    }


def linearity(folder: Path) -> dict[int, float]:
    """Seconds of ``read_survey`` per 1,000 respondents at each of :data:`SIZES` (best of 2)."""
    sizes = SIZES[:2] if os.environ.get("PARTNERLIB_BENCH_QUICK") else SIZES
    out = {}
    for n in sizes:
        sub = folder / f"n{n}"
        sub.mkdir()
        path, codebook = write_export(sub, n=n)
        best = min(measure("read_survey", path, codebook)["seconds"] for _ in range(2))
        out[n] = best / (n / 1000)
        path.unlink()
        print(f"  {n:>7,} respondents: read_survey {best:6.2f} s, {out[n] * 1000:5.1f} ms per 1,000", flush=True)
    return out


def main() -> list[Target]:
    """Generate the export, time the readings, print and return the targets."""
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        start = time.perf_counter()
        path, codebook = write_export(Path(tmp))
        size = path.stat().st_size
        print(
            f"export: {RESPONDENTS:,} respondents x {STATEMENTS} statements x 2 measures, "
            f"{size / 2**20:.0f} MiB, written in {time.perf_counter() - start:.1f} s; load {load_average():.2f}",
            flush=True,
        )
        best = timings(path, codebook)
        path.unlink()
        print("linearity:", flush=True)
        per = linearity(Path(tmp))
    fastest = min(("read_csv", "read_csv_pyarrow"), key=lambda k: best[k]["seconds"])
    ratio = best["read_survey"]["seconds"] / best[fastest]["seconds"]
    peak = best["read_survey"]["peak_gib"]
    for kind, b in best.items():
        print(f"{kind:<17} {b['seconds']:6.2f} s (best of {REPEATS}), peak {b['peak_gib']:.2f} GiB, {b['rows']:,} rows")
    print(f"read_survey / {fastest}: {ratio:.2f}x (target <= {TARGET_RATIO:g}x); load {load_average():.2f}")
    targets = [
        Target(
            "ingest",
            f"read_survey / fastest pandas.read_csv ({fastest}), {RESPONDENTS:,} x {STATEMENTS}",
            f"<= {TARGET_RATIO:g}x",
            f"{ratio:.2f}x ({best['read_survey']['seconds']:.2f} s / {best[fastest]['seconds']:.2f} s)",
            ratio <= TARGET_RATIO,
        ),
        Target(
            "ingest",
            "read_survey peak memory, 100,000 x 40",
            f"< {TARGET_PEAK_GIB:g} GiB",
            f"{peak:.2f} GiB",
            peak < TARGET_PEAK_GIB,
        ),
    ]
    if SIZES[2] in per:
        drift = per[SIZES[2]] / per[SIZES[1]] - 1
        targets.append(
            Target(
                "ingest",
                "read_survey time per respondent, 300,000 vs 100,000",
                f"within {LINEAR_TOLERANCE:.0%}",
                f"{drift:+.0%} ({per[SIZES[2]] * 1000:.1f} vs {per[SIZES[1]] * 1000:.1f} ms per 1,000; "
                f"10,000: {per[SIZES[0]] * 1000:.1f})",
                abs(drift) <= LINEAR_TOLERANCE,
            )
        )
    return targets


if __name__ == "__main__":
    main()
