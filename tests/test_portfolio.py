"""Headline figures recorded by a notebook, read back by the runner, and the portfolio page."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from partnerlib.render.jobs import Job, run_job
from partnerlib.render.portfolio import collect, index_html, read_headlines, write_index
from partnerlib.report.marks import HEADLINES_MIME, headlines_payload


def test_headlines_payload_checks_each_figure():
    payload = headlines_payload(
        respondents=70,
        response_rate=70 / 108,
        strengths=["Respect", "Trust"],
        gaps=["Accountability"],
        disagreement="Open communication",
        kpi_status={"on track": 5, "off track": 1},
    )
    assert payload == {
        "respondents": 70,
        "response_rate": pytest.approx(0.6481, abs=1e-4),
        "strengths": ["Respect", "Trust"],
        "gaps": ["Accountability"],
        "disagreement": "Open communication",
        "kpi_status": {"on track": 5, "off track": 1},
    }
    assert headlines_payload() == {"strengths": [], "gaps": []}
    with pytest.raises(ValueError, match=r"respondents must be a count, got -1"):
        headlines_payload(respondents=-1)
    with pytest.raises(ValueError, match=r"response_rate must be a share between 0 and 1, got 1.2"):
        headlines_payload(response_rate=1.2)
    with pytest.raises(ValueError, match=r"strengths must be a list of principle names, got 'Trust'"):
        headlines_payload(strengths="Trust")
    with pytest.raises(ValueError, match=r"kpi_status must map a status to a count"):
        headlines_payload(kpi_status={"on track": 1.5})


def _nb_with(*outputs):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# x"), nbformat.v4.new_code_cell("x", outputs=list(outputs))]
    return nb


def test_read_headlines_takes_the_last_record():
    first = nbformat.v4.new_output("display_data", data={HEADLINES_MIME: {"respondents": 1}})
    last = nbformat.v4.new_output("display_data", data={HEADLINES_MIME: {"respondents": 2, "gaps": ["Trust"]}})
    text = nbformat.v4.new_output("stream", name="stdout", text="hello")
    assert read_headlines(_nb_with(first, text, last)) == {"respondents": 2, "gaps": ["Trust"]}
    assert read_headlines(_nb_with(text)) == {}


def _record(folder, name, client, headlines=None, failure=None, files=("review.html", "review.ipynb")):
    folder.mkdir(parents=True)
    for f in files:
        (folder / f).write_text("x")
    who = {"name": name, "client": client, "period": folder.name}
    if headlines is not None:
        record = {**who, "rendered_at": "2026-11-25T01:00:00+00:00", "headlines": headlines}
        (folder / "render.json").write_text(json.dumps(record))
    if failure is not None:
        (folder / "failed.json").write_text(json.dumps({**who, "at": "2026-11-25T01:05:00+00:00", "summary": failure}))


def test_index_lists_reviews_sorted_with_figures_links_and_failures_escaped(tmp_path):
    _record(
        tmp_path / "zeta" / "2026",
        "zeta",
        "Zeta & <b>Co</b>",
        {
            "respondents": 70,
            "response_rate": 0.648,
            "strengths": ["Respect", "Trust"],
            "gaps": ["Shared goals"],
            "kpi_status": {"on track": 5, "off track": 1},
        },
        files=("review.html", "review.pdf", "review.ipynb"),
    )
    _record(tmp_path / "acme" / "2025", "acme", "Acme", {})
    _record(
        tmp_path / "acme" / "2026",
        "acme",
        "Acme",
        None,
        failure="cell In [4]: <script>x</script>",
        files=("review.failed.ipynb",),
    )
    (tmp_path / "stray").mkdir()  # a folder without a record is not a review
    entries = collect(tmp_path)
    assert [(e["name"], e["period"]) for e in entries] == [("acme", "2025"), ("acme", "2026"), ("zeta", "2026")]
    html = index_html(entries, generated="today")
    rows = re.findall(r"<tr><td>(.*?)</tr>", html, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + r) for r in rows]
    heads = re.findall(r"<th>(.*?)</th>", html)
    assert heads == ["Review", "Client", "Period", "Respondents", "Response rate", "Strengths", "Priority gaps",
                     "Biggest difference between the organisations", "KPIs", "Rendered", "Files"]  # fmt: skip
    zeta = dict(zip(heads, cells[2]))
    assert zeta["Client"] == "Zeta &amp; &lt;b&gt;Co&lt;/b&gt;"
    assert (zeta["Respondents"], zeta["Response rate"], zeta["Strengths"], zeta["Priority gaps"]) == (
        "70",
        "65%",
        "Respect, Trust",
        "Shared goals",
    )
    assert (zeta["Biggest difference between the organisations"], zeta["KPIs"]) == ("–", "1 off track, 5 on track")
    assert zeta["Rendered"] == "25 November 2026, 01:00"  # a date people read, not an ISO stamp
    assert zeta["Files"] == (
        '<a href="zeta/2026/review.html">html</a> · <a href="zeta/2026/review.pdf">pdf</a>'
        ' · <a href="zeta/2026/review.ipynb">ipynb</a>'
    )
    acme_2025 = dict(zip(heads, cells[0]))
    assert [acme_2025[h] for h in heads[3:9]] == ["–"] * 6  # nothing recorded yet: dashes
    acme_2026 = dict(zip(heads, cells[1]))
    assert acme_2026["Rendered"].startswith('never<br><span class="failed">last run failed 25 November 2026, 01:05')
    assert "&lt;script&gt;x&lt;/script&gt;" in acme_2026["Rendered"] and "<script>" not in html
    assert acme_2026["Files"] == '<a href="acme/2026/review.failed.ipynb">partial notebook</a>'
    assert "3 reviews; page written today." in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    path = write_index(tmp_path)
    assert path == tmp_path / "index.html" and "zeta/2026/review.html" in path.read_text()


@pytest.mark.slow
def test_record_headlines_in_a_real_kernel_reaches_the_runner_not_the_html():
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    nb.cells = [
        nbformat.v4.new_code_cell("from partnerlib import report"),
        nbformat.v4.new_code_cell("n: int = 3  # respondents", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "report.record_headlines(dict(respondents=n, strengths=['Trust'], gaps=['Respect <b>']))"
        ),
        nbformat.v4.new_code_cell("print('shown')"),
    ]
    job = Job("t/1", nbformat.writes(nb), {"n": 42}, "t", "/nonexistent")
    events = []
    result = run_job(job, lambda *e: events.append(e))
    assert result.ok, result.error
    assert result.headlines == {"respondents": 42, "strengths": ["Trust"], "gaps": ["Respect <b>"]}
    assert "shown" in result.html and HEADLINES_MIME not in result.html and "Respect" not in result.html
    assert events[0] == ("start",) and events[-1] == ("cell", 5, 5)  # 4 cells + papermill's injected one
