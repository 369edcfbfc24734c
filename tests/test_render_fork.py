"""Review kernels forked from a template (partnerlib.render.fork): clean, isolated, and the same report."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from partnerlib.render import fork
from partnerlib.render.batch import render_manifest
from partnerlib.render.progress import ProgressBoard

from .conftest import DEMO_REVIEW, SAMPLE, embedded_svg_charts, write_tiny_batch

pytestmark = pytest.mark.skipif(not fork.fork_available(), reason="kernels are forked on Linux only")

#: A review that reports what its kernel holds when it starts, then leaves its own data behind in module state.
PROBE = """\
import builtins, json, os, sys, types
import pandas as pd
seen = {
    "builtins": getattr(builtins, "_partnerlib_left", None),
    "modules": sorted(m for m in sys.modules if m.startswith("partnerlib_leak_")),
    "frame": hasattr(pd, "_partnerlib_frame"),
    "pid": os.getpid(),
    "parent": open(f"/proc/{os.getppid()}/cmdline", "rb").read().replace(b"\\0", b" ").decode(),
    "cwd": os.getcwd(),
}
builtins._partnerlib_left = secret
sys.modules["partnerlib_leak_" + secret] = types.ModuleType("leak")
pd._partnerlib_frame = pd.DataFrame({"client": [secret]})
print(json.dumps(seen))
if crash == "exit":
    os._exit(3)
if crash == "kill":
    import signal
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _batch(folder: Path, reviews: dict[str, str]) -> Path:
    """A manifest of probe reviews (name -> how it crashes: "", "exit" or "kill")."""
    parameters = "review_name = ''\nclient = ''\nperiod = ''\nsurveys = {}\ncodebook = ''\nsecret = ''\ncrash = ''"
    entries = {name: [f"parameters: {{secret: {name}, crash: '{crash}'}}"] for name, crash in reviews.items()}
    return write_tiny_batch(folder, "probe.ipynb", [parameters, PROBE], entries)


def _seen(out: Path, name: str) -> dict:
    folder = out / name / "2026"
    path = folder / "review.ipynb" if (folder / "review.ipynb").exists() else folder / "review.failed.ipynb"
    nb = nbformat.read(path, as_version=4)
    return json.loads(nb.cells[-1].outputs[0]["text"])


def _render(manifest: Path, out: Path, n: int, jobs: int = 1):
    board = ProgressBoard({}, enabled=False, total=n)
    return {o.review: o for o in render_manifest(manifest, out, jobs=jobs, force=True, board=board)}


def test_fork_is_used_on_linux_unless_switched_off(monkeypatch):
    monkeypatch.setenv(fork.FORK_VARIABLE, "0")
    assert not fork.fork_available()
    monkeypatch.setenv(fork.FORK_VARIABLE, "1")
    assert fork.fork_available()


@pytest.mark.slow
def test_template_holds_no_thread_and_no_zmq_context_when_it_forks():
    template = fork.Template(fork.worker_template_environment())
    try:
        ready = template._reply()
    finally:
        template.close()
    assert ready["threads"] == 1
    assert ready["zmq_context"] is False
    assert ready["modules"] > 1000  # pandas, matplotlib, seaborn, IPython ... are already imported


@pytest.mark.slow
def test_each_review_kernel_is_a_fresh_fork_holding_nothing_of_the_previous_review(tmp_path):
    manifest = _batch(tmp_path / "data", {"alpha": "", "beta": "", "gamma": ""})
    outcomes = _render(manifest, tmp_path / "out", 3)
    assert [o.status for o in outcomes.values()] == ["rendered"] * 3
    seen = [_seen(tmp_path / "out", name) for name in ("alpha", "beta", "gamma")]
    for s in seen:
        # nothing the earlier reviews left in builtins, sys.modules or pandas' module state
        assert (s["builtins"], s["modules"], s["frame"]) == (None, [], False)
        assert "partnerlib.render.fork" in s["parent"]  # forked from the template, not launched
        assert Path(s["cwd"]) == (tmp_path / "data").resolve()  # in the review notebook's folder, as before
    assert len({s["pid"] for s in seen}) == 3  # one process per review, all from one worker's template


@pytest.mark.slow
@pytest.mark.parametrize("crash", ["exit", "kill"])
def test_a_kernel_that_dies_fails_only_its_review_and_the_next_review_starts_clean(tmp_path, crash):
    manifest = _batch(tmp_path / "data", {"before": "", "dies": crash, "after": ""})
    outcomes = _render(manifest, tmp_path / "out", 3)
    assert outcomes["before"].status == outcomes["after"].status == "rendered"
    assert outcomes["dies"].status == "failed"
    assert "DeadKernelError" in outcomes["dies"].error or "died" in outcomes["dies"].error
    after = _seen(tmp_path / "out", "after")
    assert (after["builtins"], after["modules"], after["frame"]) == (None, [], False)


def _render_demo(out: Path, monkeypatch, forked: str) -> bytes:
    monkeypatch.setenv(fork.FORK_VARIABLE, forked)  # the worker processes inherit it
    manifest = SAMPLE / "reviews.yml"
    board = ProgressBoard({}, enabled=False, total=2)
    outcomes = render_manifest(manifest, out, only=DEMO_REVIEW, jobs=1, force=True, board=board)  # and its pulse
    assert [o.status for o in outcomes] == ["rendered"] * 2, [o.line() for o in outcomes]
    return (out / "northwind-contoso" / "2026" / "review.html").read_bytes()


@pytest.mark.slow
def test_demo_html_from_a_forked_kernel_is_byte_identical_to_a_launched_kernels(tmp_path, monkeypatch):
    launched = _render_demo(tmp_path / "launched", monkeypatch, "0")
    forked = _render_demo(tmp_path / "forked", monkeypatch, "1")
    assert forked == launched
    assert len(embedded_svg_charts(forked.decode("utf-8"))) >= 11  # with every chart
