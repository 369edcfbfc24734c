"""Batch rendering: N copies of the demo review with --jobs 1 and --jobs 2, against an empty-notebook floor.

``python -m benchmarks render`` renders 24 copies per run in two rounds of (floor, ``--jobs 1``, ``--jobs 2``)
(set ``PARTNERLIB_BENCH_COPIES`` / ``PARTNERLIB_BENCH_ROUNDS`` for a quick check), or
``python -m benchmarks.bench_render --copies 4 --rounds 1 --jobs 1 2``.  Each figure is the mean over the rounds.

Figures printed:

* per-review time: wall time of the whole run (process pool start-up included) / copies;
* speed-up: per-review time with one job / per-review time with N jobs (target >= 1.7 with 2 jobs on 2 cores);
* overhead: (per-review time of the review - per-review time of the floor) / floor, both with one job, where the
  floor is a notebook holding only the review's import and parameters cells, rendered through the same runner
  (kernel start, imports, HTML conversion, writing) — target <= 50 %;
* per review with ``--jobs 2`` — target <= 1.0 s (issue 18);
* one review from the command line (``python -m partnerlib render`` in a process of its own, a one-review
  manifest) / the same command on the floor notebook — target <= 1.3x;
* opt-in, slow: ``--large 200`` (``PARTNERLIB_BENCH_LARGE=200``) renders 200 reviews with ``--jobs 2`` once, for
  the flatness target (per-review time at 200 within 10 % of that at 24); ``--dask``
  (``PARTNERLIB_BENCH_DASK=1``) renders 48 reviews on a ``distributed.LocalCluster`` of 2 single-threaded
  worker processes through ``--scheduler`` (the cluster's start-up not timed), its speed-up given against the
  per-review time of ``--jobs 1``.  A target not measured is listed as such (and as not met).

``main()`` returns the :class:`benchmarks.Target` s; ``python -m benchmarks render`` lists them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from benchmarks import Target, load_average
from partnerlib.config import SAMPLE_DATA_DIR
from partnerlib.render.batch import REVIEW_NOTEBOOK, render_manifest

SPEEDUP_TARGET = 1.7
OVERHEAD_TARGET = 0.50
#: Seconds per review with --jobs 2 on 2 cores (issue 18).
PER_REVIEW_TARGET = 1.0
#: The per-review time of a large batch may exceed that of 24 reviews by this much.
FLATNESS_TARGET = 0.10
#: A single review from the command line, as a multiple of the floor's command.
SINGLE_TARGET = 1.3
DASK_REVIEWS = 48


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


def timed_run(manifest: Path, out: Path, jobs: int, scheduler: str | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    outcomes = render_manifest(manifest, out, jobs=jobs, force=True, progress=False, scheduler=scheduler)
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if o.status != "rendered"]
    if failed:
        raise RuntimeError(f"benchmark review failed: {failed[0].line()}")
    return wall, len(outcomes)


def timed_command(manifest: Path, out: Path) -> float:
    """Wall time of ``partnerlib render --manifest <manifest> --jobs 1`` in a process of its own."""
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "partnerlib", "render", "--manifest", str(manifest), "--out", str(out), "--jobs", "1",
           "--force", "--no-progress"]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def dask_run(manifest: Path, out: Path) -> float:
    """Wall time of the batch on a ``distributed.LocalCluster`` of 2 single-threaded worker processes
    (the cluster's start not included)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        wall, _n = timed_run(manifest, out, 1, scheduler=cluster.scheduler_address)
    return wall


def main(argv: list[str] | None = None) -> list[Target]:
    parser = argparse.ArgumentParser(prog="bench_render", description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=int(os.environ.get("PARTNERLIB_BENCH_COPIES", 24)))
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("PARTNERLIB_BENCH_ROUNDS", 2)))
    parser.add_argument(
        "--large",
        type=int,
        default=int(os.environ.get("PARTNERLIB_BENCH_LARGE", 0)),
        help="also render this many reviews with --jobs 2 once, for the flatness target (200; slow)",
    )
    parser.add_argument(
        "--dask",
        action="store_true",
        default=os.environ.get("PARTNERLIB_BENCH_DASK", "") not in ("", "0"),
        help=f"also render {DASK_REVIEWS} reviews on a 2-worker distributed.LocalCluster (slow)",
    )
    args = parser.parse_args(argv or [])
    print(
        f"{args.copies} copies of the demo review per run, {args.rounds} rounds of (floor, "
        f"{', '.join(f'--jobs {j}' for j in args.jobs)}, one review and one floor from the command line); "
        f"{os.cpu_count()} cores; load average before: {load_average():.2f}"
    )
    walls: dict = {"floor": [], "single": [], "single_floor": [], **{jobs: [] for jobs in args.jobs}}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        tmp = Path(tmp)
        floor_nb = write_floor_notebook(tmp / "floor.ipynb")
        manifest = write_manifest(tmp, args.copies)
        floor = write_manifest(tmp, args.copies, floor_nb)
        (tmp / "one").mkdir()
        one = write_manifest(tmp / "one", 1)
        one_floor = write_manifest(tmp / "one", 1, floor_nb)
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
            walls["single_floor"].append(timed_command(one_floor, tmp / "one-floor-out"))
            walls["single"].append(timed_command(one, tmp / "one-out"))
            line.append(f"one review {walls['single'][-1]:5.2f}, one floor {walls['single_floor'][-1]:5.2f}")
            print(f"round {r}: s per review: " + ", ".join(line), flush=True)
        mean = {key: sum(values) / len(values) for key, values in walls.items() if values}
        large = None
        if args.large:
            (tmp / "large").mkdir()
            big = write_manifest(tmp / "large", args.large)  # the same reviews, more of them
            wall, n = timed_run(big, tmp / "large-out", 2)
            large = wall / n
            print(f"{args.large} reviews, --jobs 2: {large:5.2f} s per review", flush=True)
        dask = None
        if args.dask:
            (tmp / "dask").mkdir()
            dask = dask_run(write_manifest(tmp / "dask", DASK_REVIEWS), tmp / "dask-out") / DASK_REVIEWS
            print(f"{DASK_REVIEWS} reviews on a LocalCluster of 2 workers: {dask:5.2f} s per review", flush=True)
    print(f"floor (imports + parameters only), --jobs 1: {mean['floor']:5.2f} s per review")
    for jobs in args.jobs:
        print(f"review, --jobs {jobs}: {mean[jobs]:5.2f} s per review")
    load = load_average()
    print(f"load average after: {load:.2f} (other work on the machine makes these figures noisy)")
    return targets(mean, args.copies, large=large, large_n=args.large, dask=dask, load=load)


def targets(mean: dict, copies: int, *, large, large_n: int, dask, load: float) -> list[Target]:
    """The render targets of issue 18 (and the earlier speed-up and overhead ones) from the mean figures."""
    out = []
    if 2 in mean:
        out.append(
            Target(
                "render",
                f"s per review, --jobs 2, {copies} demo reviews",
                f"<= {PER_REVIEW_TARGET:.1f} s",
                f"{mean[2]:.2f} s (load {load:.1f})",
                mean[2] <= PER_REVIEW_TARGET,
            )
        )
        if large is not None:
            growth = large / mean[2] - 1
            out.append(
                Target(
                    "render",
                    f"s per review at {large_n} / at {copies} reviews, --jobs 2",
                    f"<= +{FLATNESS_TARGET:.0%}",
                    f"{growth:+.0%} ({large:.2f} s / {mean[2]:.2f} s)",
                    growth <= FLATNESS_TARGET,
                )
            )
        else:
            out.append(
                Target(
                    "render",
                    f"s per review at 200 / at {copies} reviews, --jobs 2",
                    f"<= +{FLATNESS_TARGET:.0%}",
                    "not measured (PARTNERLIB_BENCH_LARGE=200 or --large 200 measures it)",
                    False,
                )
            )
    if 1 in mean:
        overhead = mean[1] / mean["floor"] - 1
        out.append(
            Target(
                "render",
                "analysis and charts over the imports-only floor, --jobs 1",
                f"<= {OVERHEAD_TARGET:.0%}",
                f"{overhead:+.0%} ({mean[1]:.2f} s / {mean['floor']:.2f} s)",
                overhead <= OVERHEAD_TARGET,
            )
        )
        if 2 in mean:
            speedup = mean[1] / mean[2]
            out.append(
                Target(
                    "render",
                    "speed-up, --jobs 2 over --jobs 1",
                    f">= {SPEEDUP_TARGET}x",
                    f"{speedup:.2f}x",
                    speedup >= SPEEDUP_TARGET,
                )
            )
    ratio = mean["single"] / mean["single_floor"]
    out.append(
        Target(
            "render",
            "one review from the command line / the floor's command",
            f"<= {SINGLE_TARGET}x",
            f"{ratio:.2f}x ({mean['single']:.2f} s / {mean['single_floor']:.2f} s)",
            ratio <= SINGLE_TARGET,
        )
    )
    if dask is not None and 1 in mean:
        out.append(
            Target(
                "render",
                f"Dask LocalCluster (2 workers x 1 thread), {DASK_REVIEWS} reviews: speed-up over --jobs 1",
                "measured (> 1x)",
                f"{mean[1] / dask:.2f}x ({dask:.2f} s / review against {mean[1]:.2f} s)",
                mean[1] / dask > 1,
            )
        )
    else:
        out.append(
            Target(
                "render",
                f"Dask LocalCluster (2 workers x 1 thread), {DASK_REVIEWS} reviews: speed-up over --jobs 1",
                "measured (> 1x)",
                "not measured (PARTNERLIB_BENCH_DASK=1 or --dask measures it)",
                False,
            )
        )
    return out


if __name__ == "__main__":
    for target in main(sys.argv[1:]):
        print(target.line())
