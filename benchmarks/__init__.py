"""Benchmarks, run by `make bench` (never timed tests).  Each `bench_*.py` module has a `main()`."""
