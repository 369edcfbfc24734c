"""The demo partnership: a seeded, fictional but realistic data set.

Northwind Health (a regional healthcare provider) and Contoso Logistics (its
medical-supplies logistics partner) agreed six principles.  Three annual
survey waves (2024-2026) are written as real-looking Qualtrics CSV exports,
with the personal data a real export carries (IP addresses, recipient names
and e-mails, locations), one preview response, one incomplete response, a
few "Don't know" answers and one reverse-worded statement.  The patterns a
review should find are built in:

- *Respect* is clearly a strength;
- *Accountability* is clearly a gap (high importance, low current);
- on *Open communication* the two organisations disagree (Northwind rates
  it much lower than Contoso);
- *Shared goals* improves visibly from 2024 to 2026.

Run ``partnerlib demo-data`` to regenerate ``data/sample`` (the generated
files are committed, so the demo works without running it).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import yaml

from .config import SAMPLE_DATA_DIR
from .io import atomic_write_text

PARTNERS = ("Northwind Health", "Contoso Logistics")
ROLES = ("Executive", "Manager", "Operational")
PERIODS = ("2024", "2025", "2026")
SEED = 20260101

#: principle -> three statements; the second Trust statement is reverse-worded.
PRINCIPLES = {
    "Trust": ["We can rely on each other to do what we say we will do.",
              "We sometimes hold back information from each other.",
              "We give each other the benefit of the doubt when things go wrong."],
    "Open communication": ["Problems are raised early and openly.",
                           "We share plans and forecasts without being asked.",
                           "I know whom to contact in the partner organisation."],
    "Shared goals": ["We have a common understanding of what the partnership is for.",
                     "Our joint goals are reflected in each side's plans.",
                     "Progress towards our joint goals is reviewed together."],
    "Mutual benefit": ["Both organisations gain from the partnership.",
                       "Costs and risks are shared fairly.",
                       "The partnership helps my organisation achieve its own aims."],
    "Accountability": ["Agreed actions are completed on time.",
                       "It is clear who owns each joint commitment.",
                       "Missed commitments are followed up."],
    "Respect": ["People in the partner organisation treat us with respect.",
                "Our expertise is valued by the partner organisation.",
                "Disagreements are handled professionally."],
}
REVERSED = {("Trust", 1)}

CURRENT_LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
IMPORTANCE_LABELS = ["Not at all important", "Slightly important", "Moderately important", "Very important",
                     "Extremely important"]
DONT_KNOW = "Don't know"

#: Latent mean "current" rating per principle, partner and period (on 1-5).
CURRENT_MEANS = {
    "Trust": {"Northwind Health": (3.5, 3.6, 3.8), "Contoso Logistics": (3.6, 3.7, 3.9)},
    "Open communication": {"Northwind Health": (2.7, 2.7, 2.8), "Contoso Logistics": (3.9, 4.0, 4.0)},
    "Shared goals": {"Northwind Health": (2.8, 3.3, 3.9), "Contoso Logistics": (2.9, 3.4, 4.0)},
    "Mutual benefit": {"Northwind Health": (3.5, 3.5, 3.4), "Contoso Logistics": (3.3, 3.4, 3.5)},
    "Accountability": {"Northwind Health": (2.6, 2.7, 2.9), "Contoso Logistics": (2.7, 2.7, 3.0)},
    "Respect": {"Northwind Health": (4.3, 4.4, 4.4), "Contoso Logistics": (4.2, 4.3, 4.4)},
}
IMPORTANCE_MEANS = {"Trust": 4.5, "Open communication": 4.2, "Shared goals": 4.0, "Mutual benefit": 4.1,
                    "Accountability": 4.6, "Respect": 3.9}
RESPONDENTS = {"2024": 52, "2025": 61, "2026": 68}
#: Invited people per partner and role (the roster); the same each year.
INVITED = {"Northwind Health": {"Executive": 8, "Manager": 22, "Operational": 30},
           "Contoso Logistics": {"Executive": 6, "Manager": 16, "Operational": 26}}

FIRST = ["Anna", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kira", "Liam",
         "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wen", "Yusuf"]
LAST = ["Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Khan",
        "Larsen", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Weber"]
COMMENTS = [
    "Weekly stand-ups between the depot and the wards work well & should continue.",
    "We still learn about delivery changes too late <- this needs fixing.",
    "Escalations go round in circles; nobody owns the follow-up.",
    "The joint dashboard helped us agree what 'on time' means.",
    "Contract reviews feel one-sided at times.",
    "Great collaboration during the winter peak.",
]

META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
        "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
        "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]
META_IMPORT = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
               "recordedDate", "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail",
               "externalDataReference", "locationLatitude", "locationLongitude", "distributionChannel",
               "userLanguage"]


def _statements():
    k = 0
    for principle, texts in PRINCIPLES.items():
        for i, text in enumerate(texts):
            k += 1
            yield k, principle, i, text


def codebook_dict() -> dict:
    """The demo codebook as a dict (also written to ``codebook.yml``)."""
    principles: dict[str, list] = {}
    for k, principle, i, text in _statements():
        slug = principle.lower().replace(" ", "_")
        entry = {"item": f"{slug}_{i + 1}", "current": f"Q3_{k}", "importance": f"Q4_{k}", "text": text}
        if (principle, i) in REVERSED:
            entry["reverse"] = True
        principles.setdefault(principle, []).append(entry)
    labels = {lab: n for n, lab in enumerate(CURRENT_LABELS, start=1)}
    labels.update({lab: n for n, lab in enumerate(IMPORTANCE_LABELS, start=1)})
    return {
        "scale": {"min": 1, "max": 5, "labels": labels, "not_applicable": [DONT_KNOW]},
        "respondent": {"id": "ResponseId", "partner": "Q1", "role": "Q2"},
        "principles": principles,
        "comments": ["Q20"],
        "exclude": {"previews": True, "incomplete": True},
    }


def _rating(rng, mean: float, person: float) -> int:
    return int(np.clip(np.rint(mean + person + rng.normal(0, 0.6)), 1, 5))


def _wave(period: str, rng: np.random.Generator) -> str:
    year_index = PERIODS.index(period)
    n = RESPONDENTS[period]
    statements = list(_statements())
    tags = META + ["Q1", "Q2"] + [f"Q3_{k}" for k, *_ in statements] + [f"Q4_{k}" for k, *_ in statements] + ["Q20"]
    texts = (META + ["Which organisation do you work for?", "What is your role in the partnership?"]
             + [f"How well do we live this day to day? - {t}" for *_, t in statements]
             + [f"How important is this to the partnership? - {t}" for *_, t in statements]
             + ["Is there anything else you would like to say about the partnership?"])
    imports = ([json.dumps({"ImportId": m}) for m in META_IMPORT]
               + ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
               + [json.dumps({"ImportId": f"QID3_{k}"}) for k, *_ in statements]
               + [json.dumps({"ImportId": f"QID4_{k}"}) for k, *_ in statements]
               + ['{"ImportId":"QID20_TEXT"}'])
    invited = [(p, r) for p in PARTNERS for r in ROLES for _ in range(INVITED[p][r])]
    chosen = rng.choice(len(invited), size=n, replace=False)
    rows = []
    for j, idx in enumerate(sorted(chosen)):
        partner, role = invited[idx]
        person = rng.normal(0, 0.4)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        day = 1 + int(rng.integers(0, 27))
        start = f"{period}-03-{day:02d} {int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:00"
        duration = int(rng.integers(240, 1500))
        current, importance = [], []
        for k, principle, i, _ in statements:
            mean = CURRENT_MEANS[principle][partner][year_index]
            value = _rating(rng, mean, person)
            if (principle, i) in REVERSED:
                value = 6 - value
            answer = CURRENT_LABELS[value - 1]
            if rng.random() < 0.02:
                answer = DONT_KNOW
            current.append(answer)
            importance.append(IMPORTANCE_LABELS[_rating(rng, IMPORTANCE_MEANS[principle], person / 2) - 1])
        comment = COMMENTS[int(rng.integers(0, len(COMMENTS)))] if rng.random() < 0.25 else ""
        org_domain = "northwind-health.example" if partner == PARTNERS[0] else "contoso-logistics.example"
        meta = [start, start, "IP Address", f"203.0.113.{int(rng.integers(1, 255))}", "100", str(duration),
                "True", start, f"R_{period}{j:03d}{rng.integers(10**6, 10**7)}", last, first,
                f"{first.lower()}.{last.lower()}@{org_domain}", "", f"{51 + rng.random():.6f}",
                f"{-1 + rng.random():.6f}", "email", "EN"]
        rows.append(meta + [partner, role] + current + importance + [comment])
    # One preview by the survey owner and one response abandoned after the first questions.
    preview = list(rows[0])
    preview[2], preview[8] = "Survey Preview", f"R_{period}preview"
    preview[9], preview[10], preview[11] = "", "", ""
    rows.insert(3, preview)
    incomplete = list(rows[5])
    incomplete[4], incomplete[6], incomplete[8] = "38", "False", f"R_{period}partial"
    first_q = len(META) + 2
    for c in range(first_q + 7, len(incomplete)):
        incomplete[c] = ""
    rows.insert(9, incomplete)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(tags)
    writer.writerow(texts)
    writer.writerow(imports)
    writer.writerows(rows)
    return buf.getvalue()


def roster_csv() -> str:
    """The roster of invited people per organisation and role (counts only)."""
    lines = ["partner,role,invited"]
    for p in PARTNERS:
        for r in ROLES:
            lines.append(f"{p},{r},{INVITED[p][r]}")
    return "\n".join(lines) + "\n"


def manifest_dict() -> dict:
    """The demo manifest: the demo partnership's 2026 review."""
    return {"reviews": [{
        "name": "northwind-contoso",
        "client": "Northwind Health & Contoso Logistics",
        "period": "2026",
        "surveys": {p: f"survey_{p}.csv" for p in PERIODS},
        "codebook": "codebook.yml",
        "roster": "roster.csv",
    }]}


def write_demo_data(folder: "str | Path" = SAMPLE_DATA_DIR, *, seed: int = SEED) -> list[Path]:
    """Write the demo partnership's files into ``folder`` and return their paths.

    The same seed always gives byte-identical files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    for period in PERIODS:
        path = folder / f"survey_{period}.csv"
        atomic_write_text(path, _wave(period, rng), newline="")
        written.append(path)
    header = "# Codebook of the demo partnership's survey (written by `partnerlib demo-data`).\n"
    for name, content in [("codebook.yml", header + yaml.safe_dump(codebook_dict(), sort_keys=False,
                                                                    allow_unicode=True, width=120)),
                          ("roster.csv", roster_csv()),
                          ("reviews.yml", "# The demo manifest: `make demo` renders every review listed here.\n"
                           + yaml.safe_dump(manifest_dict(), sort_keys=False))]:
        atomic_write_text(folder / name, content)
        written.append(folder / name)
    return written
