"""render.execute: kernel start-up failures are retried, cell failures are not; outputs stay atomic."""

from __future__ import annotations

import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from partnerlib.render import convert
from partnerlib.render import execute as render
from partnerlib.render.execute import execute
from partnerlib.render.jobs import failing_line


class FakePapermill:
    """Stands in for papermill.execute_notebook: follows a script of outcomes, one per call."""

    def __init__(self, script):
        self.script, self.calls = list(script), 0

    def __call__(self, input_path, output_path, **kw):
        self.calls += 1
        step = self.script.pop(0)
        with open(output_path, "w") as fh:
            fh.write(f"attempt {self.calls}")  # papermill saves the notebook as soon as it starts
        if step == "start-fails":
            raise RuntimeError("Kernel died before replying to kernel_info")
        if step == "fails-after-a-cell":
            kw["started"].append(0)
            raise RuntimeError("Kernel died")
        if step == "cell-error":
            kw["started"].append(0)
            raise PapermillExecutionError(3, 2, "1/0", "ZeroDivisionError", "division by zero", [])
        kw["on_cell"](1, 1)


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(render.time, "sleep", lambda s: None)

    def install(*script):
        f = FakePapermill(script)
        monkeypatch.setattr(pm, "execute_notebook", f)
        return f

    return install


def _left(folder):
    return sorted(p.name for p in folder.iterdir())


def test_kernel_that_dies_while_starting_is_retried(fake, tmp_path):
    f = fake("start-fails", "ok")
    seen = []
    out = execute("nb.ipynb", tmp_path / "review.ipynb", {}, on_cell=lambda d, t: seen.append((d, t)))
    assert f.calls == 2 and out.read_text() == "attempt 2" and seen == [(1, 1)]
    assert _left(tmp_path) == ["review.ipynb"]  # no partial or temporary file left


def test_kernel_start_is_given_up_after_three_attempts(fake, tmp_path):
    f = fake("start-fails", "start-fails", "start-fails")
    with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
        execute("nb.ipynb", tmp_path / "review.ipynb", {}, on_cell=lambda d, t: None)
    assert f.calls == 3
    assert _left(tmp_path) == ["review.failed.ipynb"]


@pytest.mark.parametrize("step, exc", [("cell-error", PapermillExecutionError), ("fails-after-a-cell", RuntimeError)])
def test_failure_once_cells_ran_is_not_retried_and_keeps_the_partial_notebook(fake, tmp_path, step, exc):
    (tmp_path / "review.ipynb").write_text("previous good render")
    f = fake(step)
    with pytest.raises(exc):
        execute("nb.ipynb", tmp_path / "review.ipynb", {}, on_cell=lambda d, t: None)
    assert f.calls == 1
    assert (tmp_path / "review.failed.ipynb").read_text() == "attempt 1"
    assert (tmp_path / "review.ipynb").read_text() == "previous good render"  # never half-overwritten
    assert _left(tmp_path) == ["review.failed.ipynb", "review.ipynb"]


def test_failing_line_comes_from_the_kernel_traceback():
    source = "# set-up\nx = 1\nsurvey = pl.read_surveys(surveys, codebook)\n"
    tb = ["\x1b[0;31m---------\x1b[0m", "Cell \x1b[0;32mIn[4], line 3\x1b[0m\n----> 3 survey = ..."]
    assert failing_line(source, tb) == "survey = pl.read_surveys(surveys, codebook)"
    assert failing_line(source, []) == "x = 1"  # no traceback: the first line of code
    assert failing_line("y = " + "a" * 100, []) == ("y = " + "a" * 100)[:67] + "..."


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("socket"), "AF_UNIX"), reason="Unix domain sockets only")
def test_parallel_kernels_reach_their_own_unix_sockets_and_remove_them(tmp_path):
    """Two kernels started at the same moment get different socket names, answer, and leave no socket behind."""
    import asyncio
    import glob

    manager_class = render.review_kernel_manager(ipc=True)

    async def start_run_stop():
        managers = [manager_class(kernel_name="python3") for _ in range(2)]
        await asyncio.gather(*(km.start_kernel() for km in managers))
        try:
            infos = [km.get_connection_info() for km in managers]
            pids = [km.provisioner.pid for km in managers]
            clients = [km.client() for km in managers]
            for c in clients:
                c.start_channels()
            await asyncio.gather(*(c.wait_for_ready(timeout=60) for c in clients))
            sockets = [sorted(glob.glob(info["ip"] + "-*")) for info in infos]
            printed = [[], []]
            replies = await asyncio.gather(
                *(
                    c.execute_interactive(
                        "import os; print(os.getpid())",
                        timeout=60,
                        output_hook=lambda msg, out=out: out.append(msg["content"].get("text", "")),
                    )
                    for c, out in zip(clients, printed)
                )
            )
            for c in clients:
                c.stop_channels()
        finally:
            await asyncio.gather(*(km.shutdown_kernel(now=True) for km in managers))
        return infos, sockets, replies, printed, pids

    infos, sockets, replies, printed, pids = asyncio.run(start_run_stop())
    assert [info["transport"] for info in infos] == ["ipc", "ipc"]
    assert infos[0]["ip"] != infos[1]["ip"] and all("partnerlib-kernel-" in info["ip"] for info in infos)
    assert all(len(found) == 5 for found in sockets)  # shell, iopub, stdin, control, heartbeat
    assert [r["content"]["status"] for r in replies] == ["ok", "ok"]
    assert ["".join(out).strip() for out in printed] == [str(pid) for pid in pids]  # each client reached its own kernel
    assert not glob.glob(infos[0]["ip"] + "*") and not glob.glob(infos[1]["ip"] + "*")


def test_chart_alt_text_is_the_title_the_chart_drew():
    import io

    import matplotlib.pyplot as plt

    from partnerlib.plots import CHART_RC
    from partnerlib.plots._theme import set_title

    def svg_of(fig):
        buffer = io.StringIO()
        with plt.rc_context(CHART_RC):
            fig.savefig(buffer, format="svg")
        plt.close(fig)
        return buffer.getvalue()

    fig, ax = plt.subplots()
    ax.set_ylabel("not the title")
    set_title(ax, "R&D <shared> goals\nsecond line")
    assert convert.chart_alt_text(svg_of(fig)) == "Chart: R&D <shared> goals second line"
    fig, ax = plt.subplots()
    ax.set_title("a title set without the bundle's helper")
    assert convert.chart_alt_text(svg_of(fig)) == "Chart"


@pytest.mark.slow
def test_review_kernel_is_interrupted_when_asked_but_not_when_shut_down():
    """An interrupt still stops a running cell; shutting down sends no interrupt (which made idle kernels log
    "ERROR | KeyboardInterrupt caught in kernel" over the progress bars)."""
    import asyncio
    import signal

    async def run():
        km = render.review_kernel_manager(ipc=True)(kernel_name="python3")
        await km.start_kernel()
        sent = []
        send_signal = km.provisioner.send_signal

        async def recording(signum):
            sent.append(signum)
            await send_signal(signum)

        km.provisioner.send_signal = recording
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            running = asyncio.ensure_future(client.execute_interactive("import time; time.sleep(60)", timeout=90))
            await asyncio.sleep(1.0)
            await km.interrupt_kernel()
            reply = await running
            during_run = list(sent)
        finally:
            client.stop_channels()
            await km.shutdown_kernel()
        return reply, during_run, sent[len(during_run) :]

    reply, during_run, during_shutdown = asyncio.run(run())
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert during_run == [signal.SIGINT]
    assert signal.SIGINT not in during_shutdown
