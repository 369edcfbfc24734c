"""Batch rendering: N copies of the demo review with --jobs 1 and --jobs 2, against an empty-notebook floor.

``python -m benchmarks render`` renders 24 copies per run in two rounds of (floor, ``--jobs 1``, ``--jobs 2``)
(set ``PARTNERLIB_BENCH_COPIES`` / ``PARTNERLIB_BENCH_ROUNDS`` for a quick check), or
``python -m benchmarks.bench_render --copies 4 --rounds 1 --jobs 1 2``.  Each figure is the mean over the rounds.

Figures printed:

* per-review time: wall time of the whole run (process pool start-up included) / copies;
* speed-up: per-review time with one job / per-review time with N jobs (target >= 1.7 with 2 jobs on 2 cores);
* overhead: (per-review time of the review - per-review time of the floor) / floor, both with one job, where the
  floor is a notebook holding only the review's import and parameters cells, rendered through the same runner
  (kernel start, imports, HTML conversion, writing) — target <= 50 %.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import nbformat

from partnerlib.batch import REVIEW_NOTEBOOK, render_manifest
from partnerlib.config import SAMPLE_DATA_DIR

SPEEDUP_TARGET = 1.7
OVERHEAD_TARGET = 0.50


def write_manifest(folder: Path, copies: int, notebook: Path | None = None) -> Path:
    """A manifest of ``copies`` reviews of the demo partnership (same inputs, different names)."""
    sample = SAMPLE_DATA_DIR.resolve()
    surveys = {p: str(sample / f"survey_{p}.csv") for p in ("2024", "2025", "2026")}
    reviews = [
        {
            "name": f"demo-{i:02d}",
            "client": f"Demo client {i}",
            "period": "2026",
            "surveys": surveys,
            "codebook": str(sample / "codebook.yml"),
            "roster": str(sample / "roster.csv"),
            **({"notebook": str(notebook)} if notebook else {}),
        }
        for i in range(copies)
    ]
    path = folder / ("floor.yml" if notebook else "reviews.yml")
    path.write_text(json.dumps({"reviews": reviews}, indent=1))  # JSON is YAML
    return path


def write_floor_notebook(path: Path) -> Path:
    """The review notebook cut down to its import and parameters cells: kernel start and imports only."""
    nb = nbformat.read(str(REVIEW_NOTEBOOK), as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"][:2]
    nbformat.write(nb, str(path))
    return path


def timed_run(manifest: Path, out: Path, jobs: int) -> tuple[float, int]:
    start = time.perf_counter()
    outcomes = render_manifest(manifest, out, jobs=jobs, force=True, progress=False)
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if o.status != "rendered"]
    if failed:
        raise RuntimeError(f"benchmark review failed: {failed[0].line()}")
    return wall, len(outcomes)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_render", description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=int(os.environ.get("PARTNERLIB_BENCH_COPIES", 24)))
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("PARTNERLIB_BENCH_ROUNDS", 2)))
    args = parser.parse_args(argv or [])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.copies} copies of the demo review per run, {args.rounds} rounds of (floor, "
        f"{', '.join(f'--jobs {j}' for j in args.jobs)}); {os.cpu_count()} cores; load average before: {load:.2f}"
    )
    walls: dict = {"floor": [], **{jobs: [] for jobs in args.jobs}}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        manifest = write_manifest(tmp, args.copies)
        floor = write_manifest(tmp, args.copies, write_floor_notebook(tmp / "floor.ipynb"))
        # Rounds interleave the runs, so that a machine that slows down or speeds up over the minutes
        # of the benchmark affects the floor and the review alike.
        for r in range(1, args.rounds + 1):
            wall, n = timed_run(floor, tmp / "floor-out", 1)
            walls["floor"].append(wall / n)
            line = [f"floor {wall / n:5.2f}"]
            for jobs in args.jobs:
                wall, n = timed_run(manifest, tmp / f"out-{jobs}", jobs)
                walls[jobs].append(wall / n)
                line.append(f"--jobs {jobs} {wall / n:5.2f}")
            print(f"round {r}: s per review: " + ", ".join(line))
    results: dict = {
        "copies": args.copies,
        "rounds": args.rounds,
        **{key: sum(values) / len(values) for key, values in walls.items()},
    }
    print(f"floor (imports + parameters only), --jobs 1: {results['floor']:5.2f} s per review")
    for jobs in args.jobs:
        print(f"review, --jobs {jobs}: {results[jobs]:5.2f} s per review")
    if 1 in results:
        overhead = results[1] / results["floor"] - 1
        results["overhead"] = overhead
        print(
            f"analysis and charts add {overhead:.0%} to the empty-notebook floor "
            f"(target <= {OVERHEAD_TARGET:.0%}: {'met' if overhead <= OVERHEAD_TARGET else 'NOT met'})"
        )
        for jobs in args.jobs:
            if jobs > 1:
                speedup = results[1] / results[jobs]
                results[f"speedup_{jobs}"] = speedup
                print(
                    f"speed-up with --jobs {jobs}: {speedup:.2f}x (target >= {SPEEDUP_TARGET} with 2 jobs: "
                    f"{'met' if speedup >= SPEEDUP_TARGET else 'NOT met'})"
                )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average after: {load:.2f} (other work on the machine makes these figures noisy)")
    return results


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
