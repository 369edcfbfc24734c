"""How long the review-cycle files take: a large KPI workbook, and saving the actions register per edit.

The workshop saves the register after each edit, so ``save_actions`` on a
register of a few hundred rows must feel instant (target: under 1 s).
Reading a KPI workbook of 200 KPIs over 10 periods should stay well under
2 s.  Run with ``python -m benchmarks cycle``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

import partnerlib as pl
from partnerlib.sheets import xlsx_bytes

PERIODS = [str(y) for y in range(2017, 2027)]


def _best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        header = ["kpi", "kind", "partner", "unit", "direction", "target", *PERIODS]
        rows = [
            [
                f"KPI {i}",
                "goal" if i % 2 else "partnership",
                "joint",
                "days" if i % 3 else "%",
                "lower" if i % 2 else "higher",
                50,
                *[f"{40 + (i + j) % 20} days" if i % 3 else f"{50 + j}%" for j in range(len(PERIODS))],
            ]
            for i in range(200)
        ]
        kpi_path = folder / "kpis.xlsx"
        kpi_path.write_bytes(xlsx_bytes({"KPIs": (header, rows)}))
        t = _best_of(lambda: pl.read_kpis(kpi_path))
        kpis = pl.read_kpis(kpi_path)
        t_card = _best_of(lambda: pl.kpi_scorecard(kpis, "2026"))
        print(f"read_kpis, 200 KPIs x 10 periods (XLSX): {t:.3f} s; kpi_scorecard: {t_card:.3f} s")

        n = 500
        register = pd.DataFrame(
            {
                "id": [f"A{i:04d}" for i in range(n)],
                "period": ["2025"] * n,
                "principle": ["Trust"] * n,
                "action": [f"Action {i}" for i in range(n)],
                "owner": ["Steering group"] * n,
                "due": pd.to_datetime(["2025-09-30"] * n),
                "status": ["in progress"] * n,
                "notes": [pd.NA] * n,
            }
        )
        for suffix in ("csv", "xlsx"):
            path = folder / f"actions.{suffix}"
            pl.save_actions(register, path)
            edited = pl.read_actions(path)
            edited.loc[7, "status"] = "done"
            t_save = _best_of(lambda edited=edited, path=path: pl.save_actions(edited, path))
            t_read = _best_of(lambda path=path: pl.read_actions(path))
            print(f"actions register, {n} rows ({suffix}): save one edit {t_save:.3f} s, read {t_read:.3f} s")


if __name__ == "__main__":
    main()
