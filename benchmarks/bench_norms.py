"""How long the portfolio norms take: collecting 500 reviews' render records, building the norms, ranking one review.

Target (issue 15): building norms from 500 reviews in under 10 s.  Run with ``python -m benchmarks norms``.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import Target
from partnerlib.analysis.norms import build_norms, percentile_ranks
from partnerlib.io.norms import collect_norm_records, read_norm_records, write_norm_records

PRINCIPLES = [f"Principle {i}" for i in range(8)]
REVIEWS = 500
TARGET_SECONDS = 10.0


def main() -> list[Target]:
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp)
        for i in range(REVIEWS):
            folder = reports / f"review-{i:03d}" / "2026"
            folder.mkdir(parents=True)
            scores = {p: float(rng.uniform(2, 4.5)) for p in PRINCIPLES}
            record = {"name": f"review-{i:03d}", "client": f"Client {i // 3}", "period": "2026",
                      "headlines": {"scores": scores, "scale": [1, 5]}}  # fmt: skip
            (folder / "render.json").write_text(json.dumps(record))
        start = time.perf_counter()
        records = collect_norm_records([reports])
        out = write_norm_records(records, reports / "norms.csv", built="2026-12-02")
        norms = build_norms(records)
        built = time.perf_counter() - start
        start = time.perf_counter()
        again = read_norm_records(out)
        scores = pd.DataFrame({"principle": PRINCIPLES, "current": 3.5, "suppressed": False})
        percentile_ranks(scores, again, client="Client 0", scale=(1, 5))
        ranked = time.perf_counter() - start
    met = "met" if built < TARGET_SECONDS else "NOT met"
    print(
        f"norms from {REVIEWS} reviews x {len(PRINCIPLES)} principles ({len(norms)} norms): collect, write and "
        f"build {built:.2f} s (target < {TARGET_SECONDS:.0f} s: {met}); read and rank one review {ranked:.2f} s"
    )
    return [
        Target(
            "norms",
            f"collect, write and build norms from {REVIEWS} reviews",
            f"< {TARGET_SECONDS:g} s",
            f"{built:.2f} s",
            built < TARGET_SECONDS,
        )
    ]


if __name__ == "__main__":
    main()
