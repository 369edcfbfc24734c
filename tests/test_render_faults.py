"""A batch under faults: a cell that never ends, a review that cannot be written, a batch stopped or killed.

The processes a batch starts (workers, kernels) are found by a marker in their environment, which every child
inherits: after the batch stops, none of them may be left.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from partnerlib.render import batch
from partnerlib.render.batch import render_manifest
from partnerlib.render.progress import ProgressBoard

from .conftest import write_tiny_batch

PARAMETERS = (
    "review_name = ''\nclient = ''\nperiod = ''\nsurveys = {}\ncodebook = ''\nroster = ''\nkpis = ''\n"
    "objectives = ''\nactions = ''\nallow_small_groups = False\nsleep = 0.0"
)


def _write_batch(folder: Path, reviews: dict[str, dict]) -> Path:
    """A manifest of tiny reviews whose notebook only sleeps ``sleep`` seconds (no partnerlib inside)."""
    entries = {
        name: [f"parameters: {{sleep: {float(extra.get('sleep', 0))}}}"]
        + ([f"timeout: {extra['timeout']}"] if "timeout" in extra else [])
        for name, extra in reviews.items()
    }
    return write_tiny_batch(
        folder, "sleep.ipynb", [PARAMETERS, "import time\ntime.sleep(sleep)\nprint('slept', sleep)"], entries
    )


def _quiet_board(n: int) -> ProgressBoard:
    return ProgressBoard({}, enabled=False, total=n)


@pytest.mark.slow
def test_a_cell_past_its_timeout_fails_that_review_and_the_batch_goes_on(tmp_path):
    manifest = _write_batch(tmp_path / "data", {"quick": {}, "stuck": {"sleep": 600, "timeout": 3}})
    start = time.monotonic()
    outcomes = {o.review: o for o in render_manifest(manifest, tmp_path / "out", jobs=2, board=_quiet_board(2))}
    assert time.monotonic() - start < 300  # not the 600 s the stuck cell asked for
    assert outcomes["quick"].status == "rendered"
    stuck = outcomes["stuck"]
    assert stuck.status == "failed"
    assert stuck.error == "CellTimeoutError: the cell ran for more than 3 seconds, this review's timeout"
    assert stuck.cell == "In [3] `import time`"  # the cell that was running, named as a failing cell is
    assert (tmp_path / "out" / "stuck" / "2026" / "failed.json").is_file()


def test_timeout_must_be_a_whole_number_of_seconds(tmp_path):
    from partnerlib import ManifestError
    from partnerlib.render.manifest import load_manifest

    manifest = _write_batch(tmp_path / "data", {"quick": {"timeout": "'ten'"}, "zero": {"timeout": 0}})
    with pytest.raises(ManifestError) as err:
        load_manifest(manifest)
    lines = err.value.problems
    assert any("review 'quick'" in line and "timeout" in line and "'ten'" in line for line in lines), lines
    assert any("review 'zero'" in line and "timeout" in line and "greater than or equal to 1" in line for line in lines)


@pytest.mark.slow
def test_a_review_that_cannot_be_written_fails_alone(tmp_path, monkeypatch):
    manifest = _write_batch(tmp_path / "data", {"full": {}, "fine": {}})
    real = batch.store_result

    def disk_full(review, *args, **kwargs):
        if review.name == "full":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(review, *args, **kwargs)

    monkeypatch.setattr(batch, "store_result", disk_full)
    outcomes = {o.review: o for o in render_manifest(manifest, tmp_path / "out", jobs=1, board=_quiet_board(2))}
    assert outcomes["fine"].status == "rendered"
    full = outcomes["full"]
    assert full.status == "failed"
    assert full.error == (
        f"OSError: could not write into {tmp_path / 'out' / 'full' / '2026'}: No space left on device"
    )
    assert (tmp_path / "out" / "index.html").is_file()


def _marked(marker: str) -> list[int]:
    """The live processes (not zombies) whose environment holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def _kernels(pids: list[int]) -> list[int]:
    """The review kernels among ``pids``: started as ipykernel, or forked from a kernel template."""
    out = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            forked = (
                b"partnerlib.render.fork" in cmdline
                and b"partnerlib.render.fork" in Path(f"/proc/{parent}/cmdline").read_bytes()
            )
            if b"ipykernel" in cmdline or forked:
                out.append(pid)
        except OSError:
            pass
    return out


def _start_batch(tmp_path: Path, marker: str) -> subprocess.Popen:
    manifest = _write_batch(tmp_path / "data", {"one": {"sleep": 300}, "two": {"sleep": 300}})
    env = {**os.environ, "PARTNERLIB_TEST_MARKER": marker}
    proc = subprocess.Popen(
        [sys.executable, "-m", "partnerlib", "render", "--manifest", str(manifest), "--out", str(tmp_path / "out"),
         "--jobs", "2", "--no-progress"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 180  # a loaded machine: each worker imports partnerlib, then its kernel template
    while len(_kernels(_marked(marker))) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the two review kernels never started"
        time.sleep(0.2)
    return proc


def _wait_until_gone(marker: str, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to find the batch's processes")
def test_sigterm_stops_the_batch_cleanly_and_writes_the_index(tmp_path):
    marker = f"partnerlib-stop-{uuid.uuid4().hex}"
    proc = _start_batch(tmp_path, marker)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "stopped; the index lists what finished" in err
    assert (tmp_path / "out" / "index.html").is_file()
    assert _wait_until_gone(marker) == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to find the batch's processes")
def test_a_killed_batch_leaves_no_worker_or_kernel_behind(tmp_path):
    marker = f"partnerlib-kill-{uuid.uuid4().hex}"
    proc = _start_batch(tmp_path, marker)
    before = _marked(marker)
    assert len(before) >= 5  # the batch, two workers and their two kernels (and the resource tracker)
    proc.kill()
    proc.wait(timeout=10)
    assert _wait_until_gone(marker) == []
