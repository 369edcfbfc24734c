"""The portfolio page ``reports/index.html``: every review with its headline figures and links.

The review notebook records its headline figures with :func:`record_headlines`,
which displays them as an output of MIME type :data:`HEADLINES_MIME` (never
shown in the HTML report).  After a render the runner reads them back from
the executed notebook (:func:`read_headlines`) and stores them in the
review's ``render.json``; :func:`write_index` lists every ``render.json``
under the reports folder.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

from .narrative import esc
from .io import atomic_write_text

HEADLINES_MIME = "application/vnd.partnerlib.headlines+json"
#: File the runner writes beside each successful report (fingerprint, client, headline figures).
RECORD_NAME = "render.json"
#: File the runner writes beside a report whose last render failed.
FAILURE_NAME = "failed.json"
#: Headline fields, in the order of the index's columns, with their headings.
HEADLINE_FIELDS = {
    "respondents": "Respondents",
    "response_rate": "Response rate",
    "strengths": "Strengths",
    "gaps": "Priority gaps",
    "disagreement": "Biggest disagreement",
    "kpi_status": "KPIs",
}


def _check_text_list(name, values) -> list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"record_headlines: {name} must be a list of principle names, got {values!r}")
    return list(values)


def headlines_payload(*, respondents=None, response_rate=None, strengths=(), gaps=(), disagreement=None,
                      kpi_status=None) -> dict:
    """Check and assemble the headline figures of one review (see :func:`record_headlines`)."""
    payload: dict = {}
    if respondents is not None:
        if isinstance(respondents, bool) or int(respondents) != respondents or respondents < 0:
            raise ValueError(f"record_headlines: respondents must be a count, got {respondents!r}")
        payload["respondents"] = int(respondents)
    if response_rate is not None:
        rate = float(response_rate)
        if math.isnan(rate) or not 0 <= rate <= 1:
            raise ValueError(f"record_headlines: response_rate must be a share between 0 and 1, got {response_rate!r}")
        payload["response_rate"] = rate
    payload["strengths"] = _check_text_list("strengths", strengths)
    payload["gaps"] = _check_text_list("gaps", gaps)
    if disagreement is not None:
        payload["disagreement"] = str(disagreement)
    if kpi_status is not None:
        if not isinstance(kpi_status, dict) or not all(
                isinstance(k, str) and not isinstance(v, bool) and int(v) == v and v >= 0
                for k, v in kpi_status.items()):
            raise ValueError(f"record_headlines: kpi_status must map a status to a count, got {kpi_status!r}")
        payload["kpi_status"] = {k: int(v) for k, v in kpi_status.items()}
    return payload


def record_headlines(*, respondents=None, response_rate=None, strengths=(), gaps=(), disagreement=None,
                     kpi_status=None) -> None:
    """Record the review's headline figures for the portfolio page ``reports/index.html``.

    Call it once, in a cell of the review notebook; the figures are displayed
    as a data output the runner reads back, and never appear in the report.

    Parameters
    ----------
    respondents : int, optional
        Respondents kept for the period under review.
    response_rate : float, optional
        Respondents divided by people invited (the roster), between 0 and 1.
    strengths, gaps : list of str
        The headline strengths and the priority gaps (principle names), best first.
    disagreement : str, optional
        The biggest disagreement between the organisations, as a short phrase.
    kpi_status : dict of str to int, optional
        KPI count per status, e.g. ``{"on track": 5, "at risk": 2, "off track": 1}``.

    Returns nothing, so that a call ending a cell shows no ``Out[]`` value.
    """
    from IPython.display import display

    payload = headlines_payload(respondents=respondents, response_rate=response_rate, strengths=strengths,
                                gaps=gaps, disagreement=disagreement, kpi_status=kpi_status)
    display({HEADLINES_MIME: payload}, raw=True)


def read_headlines(nb) -> dict:
    """The headline figures recorded in an executed notebook (the last record wins; ``{}`` if none)."""
    found: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            if HEADLINES_MIME in data:
                value = data[HEADLINES_MIME]
                found = dict(json.loads(value) if isinstance(value, str) else value)
    return found


def _figure(key: str, value) -> str:
    if value is None or value == [] or value == {}:
        return "–"
    if key == "response_rate":
        return f"{value:.0%}"
    if key in ("strengths", "gaps"):
        return esc(", ".join(value))
    if key == "kpi_status":
        return esc(", ".join(f"{n} {status}" for status, n in value.items()))
    return esc(value)


def collect(out_dir) -> list[dict]:
    """One entry per review folder ``<out_dir>/<name>/<period>/`` holding a render record or a failure.

    Each entry has ``name, client, period, folder`` (relative to ``out_dir``),
    ``rendered_at``, ``headlines``, ``files`` (the report files present) and
    ``failure`` (the last failed attempt's summary, or ``None``).
    """
    out_dir = Path(out_dir)
    entries = []
    folders = {p.parent for pattern in (f"*/*/{RECORD_NAME}", f"*/*/{FAILURE_NAME}") for p in out_dir.glob(pattern)}
    for folder in folders:
        record = _read_json(folder / RECORD_NAME)
        failure = _read_json(folder / FAILURE_NAME)
        meta = record or failure or {}
        entries.append({
            "name": meta.get("name", folder.parent.name), "client": meta.get("client", ""),
            "period": meta.get("period", folder.name), "folder": folder.relative_to(out_dir).as_posix(),
            "rendered_at": record.get("rendered_at") if record else None,
            "headlines": (record or {}).get("headlines", {}),
            "files": [f for f in ("review.html", "review.pdf", "review.ipynb", "review.failed.ipynb")
                      if (folder / f).is_file()],
            "failure": failure,
        })
    return sorted(entries, key=lambda e: (e["client"].lower(), e["name"], e["period"]))


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem .6rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}.failed{color:#a40000}.num{text-align:right}"""


def index_html(entries: list[dict], *, generated: str | None = None) -> str:
    """The portfolio page for ``entries`` (from :func:`collect`), every value HTML-escaped."""
    generated = generated or datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    heads = ["Review", "Client", "Period", *HEADLINE_FIELDS.values(), "Rendered", "Files"]
    rows = []
    for e in entries:
        figures = [f"<td{' class=num' if k in ('respondents', 'response_rate') else ''}>"
                   f"{_figure(k, e['headlines'].get(k))}</td>" for k in HEADLINE_FIELDS]
        links = [f'<a href="{esc(e["folder"])}/{f}">{f.split(".", 1)[1]}</a>' for f in e["files"]
                 if f != "review.failed.ipynb"]
        rendered = esc(e["rendered_at"] or "never")
        if e["failure"]:
            f = e["failure"]
            rendered += (f'<br><span class="failed">last run failed {esc(f.get("at", ""))}: '
                         f'{esc(f.get("summary", ""))}</span>')
            if "review.failed.ipynb" in e["files"]:
                links.append(f'<a href="{esc(e["folder"])}/review.failed.ipynb">partial notebook</a>')
        rows.append(f"<tr><td>{esc(e['name'])}</td><td>{esc(e['client'])}</td><td>{esc(e['period'])}</td>"
                    + "".join(figures) + f"<td>{rendered}</td><td>{' · '.join(links) or '–'}</td></tr>")
    body = "\n".join(rows) or f'<tr><td colspan="{len(heads)}">No review has been rendered yet.</td></tr>'
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Partnership reviews</title>"
            f"<style>{_CSS}</style></head><body>\n<h1>Partnership reviews</h1>\n"
            f"<p>{len(entries)} review(s); page written {esc(generated)}.</p>\n"
            f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in heads)}</tr></thead><tbody>\n{body}\n"
            f"</tbody></table>\n</body></html>\n")


def write_index(out_dir) -> Path:
    """Write ``<out_dir>/index.html`` listing every review found under ``out_dir`` (atomically)."""
    out_dir = Path(out_dir)
    return atomic_write_text(out_dir / "index.html", index_html(collect(out_dir)))
