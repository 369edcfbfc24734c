"""The portfolio page ``reports/index.html``: every review with its headline figures and links.

The review notebook records its headline figures with
:func:`partnerlib.report.record_headlines`,
which displays them as an output of MIME type :data:`HEADLINES_MIME` (never
shown in the HTML report).  After a render the runner reads them back from
the executed notebook (:func:`read_headlines`) and stores them in the
review's ``render.json``; :func:`write_index` lists every ``render.json``
under the reports folder.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..analysis.norms import RECORD_COLUMNS, percentile_ranks, pooled_names
from ..io.atomic import atomic_write_text
from ..report.marks import HEADLINES_MIME
from ..report.text import count, esc, moment_text
from ..vocabulary import KPI_SEVERITY

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
    "disagreement": "Biggest difference between the organisations",
    "kpi_status": "KPIs",
}


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
    if key == "kpi_status":  # most serious first
        order = [s for s in KPI_SEVERITY if s in value] + [s for s in value if s not in KPI_SEVERITY]
        return esc(", ".join(f"{value[s]} {s}" for s in order))
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
        record = read_json(folder / RECORD_NAME)
        failure = read_json(folder / FAILURE_NAME)
        meta = record or failure or {}
        entries.append(
            {
                "name": meta.get("name", folder.parent.name),
                "client": meta.get("client", ""),
                "period": meta.get("period", folder.name),
                "folder": folder.relative_to(out_dir).as_posix(),
                "rendered_at": record.get("rendered_at") if record else None,
                "headlines": (record or {}).get("headlines", {}),
                "files": [
                    f
                    for f in ("review.html", "review.pdf", "review.ipynb", "review.failed.ipynb")
                    if (folder / f).is_file()
                ],
                "failure": failure,
            }
        )
    return sorted(entries, key=lambda e: (e["client"].lower(), e["name"], e["period"]))


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;
padding:.4rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}.failed{color:#a40000}
.num{text-align:right}@media (max-width:640px){body{margin:.8rem}.scroll::before{content:"Scroll sideways to see \
the whole table \\2192";display:block;font-size:13px;color:#555;margin-bottom:.3rem}}"""


def index_html(entries: list[dict], *, generated: str | None = None) -> str:
    """The portfolio page for ``entries`` (from :func:`collect`), every value HTML-escaped."""
    generated = generated or moment_text(datetime.now().astimezone())
    heads = ["Review", "Client", "Period", *HEADLINE_FIELDS.values(), "Rendered", "Files"]
    rows = []
    for e in entries:
        figures = [
            f"<td{' class=num' if k in ('respondents', 'response_rate') else ''}>"
            f"{_figure(k, e['headlines'].get(k))}</td>"
            for k in HEADLINE_FIELDS
        ]
        links = [
            f'<a href="{esc(e["folder"])}/{f}">{f.split(".", 1)[1]}</a>'
            for f in e["files"]
            if f != "review.failed.ipynb"
        ]
        rendered = moment_text(e["rendered_at"]) if e["rendered_at"] else "never"
        if e["failure"]:
            f = e["failure"]
            when, what = moment_text(f.get("at")), esc(f.get("summary", ""))
            rendered += f'<br><span class="failed">last run failed {when}: {what}</span>'
            if "review.failed.ipynb" in e["files"]:
                links.append(f'<a href="{esc(e["folder"])}/review.failed.ipynb">partial notebook</a>')
        rows.append(
            f"<tr><td>{esc(e['name'])}</td><td>{esc(e['client'])}</td><td>{esc(e['period'])}</td>"
            + "".join(figures)
            + f"<td>{rendered}</td><td>{' · '.join(links) or '–'}</td></tr>"
        )
    body = "\n".join(rows) or f'<tr><td colspan="{len(heads)}">No review has been rendered yet.</td></tr>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partnership reviews</title>'
        f"<style>{_CSS}</style></head><body>\n<h1>Partnership reviews</h1>\n"
        f"<p>{count(len(entries), 'review')}; page written {esc(generated)}.</p>\n"
        f'<div class="scroll"><table><thead><tr>{"".join(f"<th>{h}</th>" for h in heads)}</tr></thead><tbody>\n'
        f"{body}\n</tbody></table></div>\n{norms_section(entries)}</body></html>\n"
    )


def norms_section(entries: list[dict]) -> str:
    """Every partnership's percentile rank per principle among the other clients' partnerships on this page.

    The page is the consultant's own (it lists every client), so it may set the clients side by side; the rule of
    :func:`partnerlib.analysis.norms.percentile_ranks` still decides which ranks exist. Empty where no review has
    recorded its scores.
    """
    records, scored = [], []
    for e in entries:
        heads = e["headlines"]
        if not heads.get("scores") or not heads.get("scale"):
            continue
        lo, hi = (float(v) for v in heads["scale"])
        scored.append((e, heads, (lo, hi)))
        names = pooled_names(heads["scores"], heads.get("norm"))
        records += [
            [e["client"], e["name"], e["period"], name, (float(v) - lo) / (hi - lo)]
            for name, v in zip(names, heads["scores"].values())
        ]
    if not scored:
        return ""
    frame = pd.DataFrame(records, columns=RECORD_COLUMNS)
    principles = list(dict.fromkeys(frame["principle"]))
    rows, any_shown = [], False
    for e, heads, scale in scored:
        scores = pd.DataFrame(
            {"principle": list(heads["scores"]), "current": list(heads["scores"].values()), "suppressed": False}
        )
        ranks = percentile_ranks(scores, frame, client=e["client"], scale=scale, pooled=heads.get("norm"))
        ranks.index = pd.Index(pooled_names(ranks["principle"], heads.get("norm")))  # columns: pooled names
        any_shown = any_shown or bool(ranks["shown"].any())
        cells = [
            f"<td class=num>{ranks.loc[p, 'percentile']:.0f}</td>" if p in ranks.index and ranks.loc[p, "shown"]
            else "<td class=num>–</td>"
            for p in principles
        ]  # fmt: skip
        rows.append(f"<tr><td>{esc(e['name'])}</td><td>{esc(e['period'])}</td>{''.join(cells)}</tr>")
    if not any_shown:
        return (
            "<h2>Percentile rank per principle</h2>\n<p>No ranks yet: a principle is ranked once at least 5 "
            "partnerships of 3 other clients on this page have a score for it.</p>\n"
        )
    heads_html = "".join(f"<th>{esc(p)}</th>" for p in ["Review", "Period", *principles])
    return (
        "<h2>Percentile rank per principle</h2>\n<p>Each review's principle scores ranked among the other clients' "
        "partnerships on this page (0 to 100; – where fewer than 5 partnerships of 3 other clients have a score).</p>\n"
        f'<div class="scroll"><table><thead><tr>{heads_html}</tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table></div>\n"
    )


def write_index(out_dir) -> Path:
    """Write ``<out_dir>/index.html`` listing every review found under ``out_dir`` (atomically)."""
    out_dir = Path(out_dir)
    return atomic_write_text(out_dir / "index.html", index_html(collect(out_dir)))
