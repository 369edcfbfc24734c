"""Run every benchmark module (``bench_*.py``) in this folder, or those named on the command line.

``python -m benchmarks`` runs all; ``python -m benchmarks ingest`` runs ``bench_ingest.py`` only.
Each prints its figures; at the end every target measured is listed with its figure, met or not met, and the
machine's load average before and after (the README's benchmark table records them).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

from benchmarks import Target, load_average


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    wanted = [f"bench_{a}" if not a.startswith("bench_") else a for a in argv] or names
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print(f"unknown benchmarks {unknown}; available: {names}", file=sys.stderr)
        return 2
    before = load_average()
    targets: list[Target] = []
    for name in wanted:
        print(f"== {name}", flush=True)
        result = importlib.import_module(f"benchmarks.{name}").main()
        targets += [t for t in (result if isinstance(result, list) else []) if isinstance(t, Target)]
    print(
        f"\n== targets ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load average {before:.2f} before, "
        f"{load_average():.2f} after)"
    )
    for target in targets:
        print(target.line())
    met = sum(t.met for t in targets)
    print(f"{met} of {len(targets)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
