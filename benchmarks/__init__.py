"""Benchmarks of partnerlib (``python -m benchmarks``, ``make bench``).

Each ``bench_*.py`` module has a ``main()`` that prints its figures and returns the :class:`Target` s it
measured; ``python -m benchmarks`` prints them all at the end, each as met or not met.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One performance target and what a run measured against it.

    Parameters
    ----------
    benchmark : the benchmark module's short name (``"ingest"``).
    what : what was measured, in words (``"read_survey / fastest pandas.read_csv, 100,000 x 40"``).
    target : the target, in words (``"<= 1.5x"``).
    measured : the figure measured, in words (``"1.32x (0.62 s / 0.47 s)"``).
    met : whether the figure meets the target.
    """

    benchmark: str
    what: str
    target: str
    measured: str
    met: bool

    def line(self) -> str:
        verdict = "met    " if self.met else "NOT met"
        return f"{verdict}  {self.benchmark:<9} {self.what}: {self.measured} (target {self.target})"


def load_average() -> float:
    """The one-minute load average (NaN where the platform has none): other work makes figures noisy."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
