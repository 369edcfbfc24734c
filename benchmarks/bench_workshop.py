"""Workshop latency: from a filter change to the redrawn view (targets: median < 100 ms, p95 < 250 ms).

Each timed step sets one widget value of the Explore tab, exactly as a
facilitator's click does; the callback recomputes the view through the
anonymity guard and the ``partnerlib`` analysis function and draws the chart
into the SVG the browser shows.  Measured for every view on:

- the demo partnership (``data/sample``: 181 respondents over three periods,
  18 statements);
- a generated review of 5,000 respondents x 40 statements in each of two
  periods (8 principles of 5 statements, current and importance, two
  organisations, three roles, four sites as a codebook attribute), written as
  Qualtrics exports and read with :func:`partnerlib.read_surveys`.

Each is measured twice: with every change recomputed and redrawn (the
app's cache emptied before each change: the cost of a selection seen for the
first time), and in one pass of the same clicks as the app runs, where
flipping back to a selection already seen (back to "All") reuses its drawn
view.  Not measured: the round trip to the browser (one websocket message and the
browser decoding the SVG, a few ms on localhost).
"""

from __future__ import annotations

import csv
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from partnerlib.config import SAMPLE_DATA_DIR

TARGET_MEDIAN, TARGET_P95 = 0.100, 0.250
RESPONDENTS, PRINCIPLES, PER_PRINCIPLE = 5_000, 8, 5
SITES = ("North", "South", "East", "West")
ROUNDS = 3


def generate(folder: Path, *, respondents: int = RESPONDENTS, periods=("2025", "2026"), seed: int = 7) -> dict:
    """Write the generated review's exports and codebook into ``folder``; return ``{period: path}``."""
    rng = np.random.default_rng(seed)
    k = PRINCIPLES * PER_PRINCIPLE
    principles = {
        f"Principle {p + 1}": [
            {
                "item": f"p{p + 1}_{s + 1}",
                "current": f"C{p * PER_PRINCIPLE + s + 1}",
                "importance": f"I{p * PER_PRINCIPLE + s + 1}",
            }
            for s in range(PER_PRINCIPLE)
        ]
        for p in range(PRINCIPLES)
    }
    codebook = {
        "scale": {"min": 1, "max": 5},
        "principles": principles,
        "respondent": {"id": "ResponseId", "partner": "Org", "role": "Role", "attributes": ["Site"]},
    }
    (folder / "codebook.yml").write_text(json.dumps(codebook), encoding="utf-8")
    tags = (
        ["ResponseId", "Status", "Progress", "Finished", "Org", "Role", "Site"]
        + [f"C{j + 1}" for j in range(k)]
        + [f"I{j + 1}" for j in range(k)]
    )
    paths = {}
    for t, period in enumerate(periods):
        org = rng.choice(["Northwind Health", "Contoso Logistics"], respondents)
        role = rng.choice(["Executive", "Manager", "Operational"], respondents, p=[0.1, 0.3, 0.6])
        site = rng.choice(SITES, respondents)
        base = rng.normal(3.2 + 0.2 * t, 0.5, (respondents, 1)) + rng.normal(0, 0.3, (1, k))
        current = np.clip(np.rint(base + rng.normal(0, 0.7, (respondents, k))), 1, 5).astype(int)
        importance = np.clip(np.rint(rng.normal(4.0, 0.8, (respondents, k))), 1, 5).astype(int)
        path = folder / f"survey_{period}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(tags)
            w.writerow(tags)
            w.writerow([json.dumps({"ImportId": tag}) for tag in tags])
            for i in range(respondents):
                w.writerow(
                    [
                        f"R_{period}_{i:05d}",
                        "IP Address",
                        "100",
                        "True",
                        org[i],
                        role[i],
                        site[i],
                        *current[i],
                        *importance[i],
                    ]
                )
        paths[period] = path
    return paths


def changes(app):
    """The widget changes timed for each view: organisation, role, period (or principle), and back."""
    steps = []
    for view in app.view.options:
        key = view[1]
        steps.append((app.view, key))
        for value in (*app.filters["partner"].options[1:], "All"):
            steps.append((app.filters["partner"], value))
        for value in (*app.filters["role"].options[1:], "All"):
            steps.append((app.filters["role"], value))
        if key == "detail":
            steps += [(app.principle, p) for p in app.principle.options[1:3]]
        elif key != "trend":
            steps += [(app.period, p) for p in app.period.options] + [(app.period, app.period.options[-1])]
    return steps


def measure(app, rounds: int = ROUNDS, *, cached: bool) -> dict:
    """Wall and CPU seconds of each change, by view; ``cached=False`` empties the app's cache before each."""
    wall, cpu, by_view = [], [], {}
    app.clear_cache()
    for _ in range(rounds):
        for widget, value in changes(app):
            if widget.value == value:
                continue
            if not cached:
                app.clear_cache()
            t0, c0 = time.perf_counter(), time.process_time()
            widget.value = value
            dt_wall, dt_cpu = time.perf_counter() - t0, time.process_time() - c0
            wall.append(dt_wall)
            cpu.append(dt_cpu)
            by_view.setdefault(app.view.value, []).append(dt_wall)
    return {"wall": wall, "cpu": cpu, "by_view": by_view}


def p95(values) -> float:
    return float(np.percentile(values, 95))


def report(name: str, figures: dict) -> None:
    wall, cpu = figures["wall"], figures["cpu"]
    ok = statistics.median(wall) < TARGET_MEDIAN and p95(wall) < TARGET_P95
    print(
        f"{name}: {len(wall)} filter changes; wall median {statistics.median(wall) * 1000:.0f} ms, "
        f"p95 {p95(wall) * 1000:.0f} ms; CPU median {statistics.median(cpu) * 1000:.0f} ms, "
        f"p95 {p95(cpu) * 1000:.0f} ms -> {'meets' if ok else 'MISSES'} the target "
        f"(median < {TARGET_MEDIAN * 1000:.0f} ms, p95 < {TARGET_P95 * 1000:.0f} ms)"
    )
    for view, values in figures["by_view"].items():
        print(f"    {view:<11} median {statistics.median(values) * 1000:5.0f} ms, p95 {p95(values) * 1000:5.0f} ms")


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import partnerlib as pl
    from partnerlib.workshop import Workshop

    demo = pl.read_surveys(
        {p: SAMPLE_DATA_DIR / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}, SAMPLE_DATA_DIR / "codebook.yml"
    )
    app = Workshop(demo)
    report("demo partnership, every change recomputed and redrawn", measure(app, cached=False))
    report(
        "demo partnership, one pass as the app runs (revisits of a selection reuse its view)",
        measure(app, rounds=1, cached=True),
    )
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        paths = generate(Path(folder))
        big = pl.read_surveys(paths, Path(folder) / "codebook.yml")
        print(
            f"generated review: {len(big.respondents):,} respondents, {len(big.responses):,} answers, "
            f"read in {time.perf_counter() - start:.1f} s"
        )
        app = Workshop(big)
        report("5,000 x 40 (x 2 periods), every change recomputed and redrawn", measure(app, cached=False))
        report("5,000 x 40 (x 2 periods), one pass as the app runs", measure(app, rounds=1, cached=True))


if __name__ == "__main__":
    main()
