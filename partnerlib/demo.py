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

Around the survey, the review cycle's other files: a KPI workbook in the wide
layout (``kpis.xlsx``: goal KPIs such as complaints, resolution days and the
ward review score; partnership KPIs such as survey engagement, scope
delivered and meetings held versus planned; 2024-2026, some values typed as
text the way clients do: ``14 days``, ``1,480``, ``n/a``), the partners'
objectives (``objectives.csv``: one divergent, one unsupported) and the
actions register of the 2025 review (``actions.csv``), aimed at its gaps
(Accountability first), whose follow-up shows in 2026.

Run ``partnerlib demo-data`` to regenerate ``data/sample`` (the generated
files are committed, so the demo works without running it).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .analysis.norms import RECORD_COLUMNS
from .config import SAMPLE_DATA_DIR
from .io.atomic import atomic_write_bytes, atomic_write_text
from .io.norms import write_norm_records
from .io.readers.qualtrics import EXPORT_METADATA
from .io.writing import csv_text, fill_sheet, workbook_bytes

PARTNERS = ("Northwind Health", "Contoso Logistics")
ROLES = ("Executive", "Manager", "Operational")
PERIODS = ("2024", "2025", "2026")
SEED = 20260101
#: The contact list's id of each person, an embedded-data column of every export: the codebooks' respondent id,
#: so that a person's pulse answers pair with their annual ones (pseudonymised with the same :data:`SALT`).
PANEL_ID = "PanelID"
#: The key of the respondent pseudonyms, the same in the annual and the pulse codebook.
SALT = "northwind-contoso demo salt"

#: principle -> three statements; the second Trust statement is reverse-worded.
PRINCIPLES = {
    "Trust": [
        "We can rely on each other to do what we say we will do.",
        "We sometimes hold back information from each other.",
        "We give each other the benefit of the doubt when things go wrong.",
    ],
    "Open communication": [
        "Problems are raised early and openly.",
        "We share plans and forecasts without being asked.",
        "I know whom to contact in the partner organisation.",
    ],
    "Shared goals": [
        "We have a common understanding of what the partnership is for.",
        "Our joint goals are reflected in each side's plans.",
        "Progress towards our joint goals is reviewed together.",
    ],
    "Mutual benefit": [
        "Both organisations gain from the partnership.",
        "Costs and risks are shared fairly.",
        "The partnership helps my organisation achieve its own aims.",
    ],
    "Accountability": [
        "Agreed actions are completed on time.",
        "It is clear who owns each joint commitment.",
        "Missed commitments are followed up.",
    ],
    "Respect": [
        "People in the partner organisation treat us with respect.",
        "Our expertise is valued by the partner organisation.",
        "Disagreements are handled professionally.",
    ],
}
REVERSED = {("Trust", 1)}

CURRENT_LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
IMPORTANCE_LABELS = [
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
]
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
IMPORTANCE_MEANS = {
    "Trust": 4.5,
    "Open communication": 4.2,
    "Shared goals": 4.0,
    "Mutual benefit": 4.1,
    "Accountability": 4.6,
    "Respect": 3.9,
}
#: The overall outcome statement (the codebook's ``outcome:``), and how much each principle drives it: shared goals
#: and trust most (shared goals though rated less important than average: a hidden driver); accountability, rated most
#: important, barely moves it.
OUTCOME_TEXT = "Overall, this partnership works well for my organisation."
OUTCOME_DRIVERS = {"Shared goals": 0.6, "Trust": 0.6, "Open communication": 0.15, "Accountability": 0.05}
RESPONDENTS = {"2024": 52, "2025": 61, "2026": 68}
#: Invited people per partner and role (the roster); the same each year.
INVITED = {
    "Northwind Health": {"Executive": 8, "Manager": 22, "Operational": 30},
    "Contoso Logistics": {"Executive": 6, "Manager": 16, "Operational": 26},
}

FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jon",
    "Kira",
    "Liam",
    "Maya",
    "Nils",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Yusuf",
]
LAST = [
    "Adams",
    "Berg",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Khan",
    "Larsen",
    "Moreau",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
]
COMMENTS = [
    "Weekly stand-ups between the depot and the wards work well & should continue.",
    "We still learn about delivery changes too late <- this needs fixing.",
    "Escalations go round in circles; nobody owns the follow-up.",
    "The joint dashboard helped us agree what 'on time' means.",
    "Contract reviews feel one-sided at times.",
    "Great collaboration during the winter peak.",
]

META = list(EXPORT_METADATA)
#: The ImportId of each metadata column in the third header row.
META_IMPORT = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate",
               "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail", "externalDataReference",
               "locationLatitude", "locationLongitude", "distributionChannel", "userLanguage"]  # fmt: skip


def _statements():
    k = 0
    for principle, texts in PRINCIPLES.items():
        for i, text in enumerate(texts):
            k += 1
            yield k, principle, i, text


#: Words that point a comment to each principle (the codebook's ``keywords``), chosen for what each principle means.
KEYWORDS = {
    "Trust": ("trust", "rely", "reliable", "promise", "honest", "faith", "suspicion", "confidence", "integrity"),
    "Open communication": ("communication", "inform", "tell", "told", "update", "openness", "transparent",
                           "contact", "email", "call", "news"),
    "Shared goals": ("goal", "objective", "aim", "target", "priority", "direction", "vision", "purpose", "agree"),
    "Mutual benefit": ("benefit", "gain", "value", "fair", "cost", "price", "saving", "one-sided", "win", "risk"),
    "Accountability": ("owner", "responsible", "responsibility", "deadline", "follow-up", "action", "commitment",
                       "deliver", "accountable", "escalation"),
    "Respect": ("respect", "value", "listen", "dismissive", "professional", "courtesy", "rude", "tone", "expertise"),
}  # fmt: skip


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
        "respondent": {"id": PANEL_ID, "partner": "Q1", "role": "Q2"},
        "salt": SALT,
        "principles": principles,
        "comments": ["Q20"],
        "keywords": {p: list(words) for p, words in KEYWORDS.items()},
        "outcome": {"current": "Q9", "text": OUTCOME_TEXT},
        "exclude": {"previews": True, "incomplete": True},
    }


def _rating(rng, mean: float, person: float) -> int:
    return int(np.clip(np.rint(mean + person + rng.normal(0, 0.45)), 1, 5))


def _header_rows(statements) -> tuple[list[str], list[str], list[str]]:
    """The three Qualtrics header rows: export tags, question texts, ImportId JSON (the panel id, embedded data
    of the contact list, last)."""
    tags = (
        META
        + ["Q1", "Q2"]
        + [f"Q3_{k}" for k, *_ in statements]
        + [f"Q4_{k}" for k, *_ in statements]
        + ["Q9", "Q20", PANEL_ID]
    )
    texts = (
        META
        + ["Which organisation do you work for?", "What is your role in the partnership?"]
        + [f"How well do we live this day to day? - {t}" for *_, t in statements]
        + [f"How important is this to the partnership? - {t}" for *_, t in statements]
        + [f"How far do you agree? - {OUTCOME_TEXT}"]
        + ["Is there anything else you would like to say about the partnership?", PANEL_ID]
    )
    imports = (
        [json.dumps({"ImportId": m}) for m in META_IMPORT]
        + ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
        + [json.dumps({"ImportId": f"QID3_{k}"}) for k, *_ in statements]
        + [json.dumps({"ImportId": f"QID4_{k}"}) for k, *_ in statements]
        + ['{"ImportId":"QID9"}', '{"ImportId":"QID20_TEXT"}', json.dumps({"ImportId": PANEL_ID})]
    )
    return tags, texts, imports


def _answers(rng: np.random.Generator, statements, partner: str, year_index: int, person: float):
    """One respondent's current and importance answers (labels), statement by statement."""
    current, importance = [], []
    # Each person also has a view of each principle, shared by its statements: this is what makes a
    # principle's three statements hang together (Cronbach's alpha about 0.8, as in real surveys).
    view = {p: rng.normal(0, 0.45) for p in PRINCIPLES}
    for _k, principle, i, _ in statements:
        mean = CURRENT_MEANS[principle][partner][year_index]
        value = _rating(rng, mean, person + view[principle])
        if (principle, i) in REVERSED:
            value = 6 - value
        answer = CURRENT_LABELS[value - 1]
        if rng.random() < 0.02:
            answer = DONT_KNOW
        current.append(answer)
        importance.append(IMPORTANCE_LABELS[_rating(rng, IMPORTANCE_MEANS[principle], person / 2) - 1])
    return current, importance


def _outcome(rng: np.random.Generator, statements, current: list[str]) -> str:
    """The answer to the outcome statement, driven by the person's own scores (:data:`OUTCOME_DRIVERS`)."""
    scores: dict[str, list[int]] = {}
    for (_k, principle, i, _), answer in zip(statements, current):
        if answer != DONT_KNOW:
            value = CURRENT_LABELS.index(answer) + 1
            scores.setdefault(principle, []).append(6 - value if (principle, i) in REVERSED else value)
    level = 3.6 + sum(w * (np.mean(scores.get(p, [3.5])) - 3.5) for p, w in OUTCOME_DRIVERS.items())
    return CURRENT_LABELS[int(np.clip(np.rint(level + rng.normal(0, 0.45)), 1, 5)) - 1]


def _response(rng: np.random.Generator, period: str, j: int, partner: str, role: str, statements, outcome_rng,
              panel: str = "") -> list:  # fmt: skip
    """One response row: the platform's metadata (with the personal data a real export carries), the answers,
    then the person's panel id."""
    person = rng.normal(0, 0.4)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    day = 1 + int(rng.integers(0, 27))
    start = f"{period}-03-{day:02d} {int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:00"
    duration = int(rng.integers(240, 1500))
    current, importance = _answers(rng, statements, partner, PERIODS.index(period), person)
    comment = COMMENTS[int(rng.integers(0, len(COMMENTS)))] if rng.random() < 0.25 else ""
    org_domain = "northwind-health.example" if partner == PARTNERS[0] else "contoso-logistics.example"
    meta = [
        start, start, "IP Address", f"203.0.113.{int(rng.integers(1, 255))}", "100", str(duration), "True", start,
        f"R_{period}{j:03d}{rng.integers(10**6, 10**7)}", last, first,
        f"{first.lower()}.{last.lower()}{j}@{org_domain}", "", f"{51 + rng.random():.6f}", f"{-1 + rng.random():.6f}",
        "email", "EN",
    ]  # fmt: skip
    return [*meta, partner, role, *current, *importance, _outcome(outcome_rng, statements, current), comment, panel]


def _add_preview_and_partial(rows: list[list], period: str) -> None:
    """One preview by the survey owner and one response abandoned after the first questions."""
    preview = list(rows[0])
    preview[2], preview[8] = "Survey Preview", f"R_{period}preview"
    preview[9], preview[10], preview[11], preview[-1] = "", "", "", ""  # the owner is on no contact list
    rows.insert(3, preview)
    incomplete = list(rows[5])
    incomplete[4], incomplete[6], incomplete[8] = "38", "False", f"R_{period}partial"
    first_q = len(META) + 2
    for c in range(first_q + 7, len(incomplete)):
        incomplete[c] = ""
    rows.insert(9, incomplete)


def _invited() -> list[tuple[str, str]]:
    """Every invited person's organisation and role, in the contact list's order (the same each year)."""
    return [(p, r) for p in PARTNERS for r in ROLES for _ in range(INVITED[p][r])]


def _panel_id(index: int) -> str:
    """The panel id of the contact list's ``index``-th person: the same in every survey sent to the list."""
    return f"P{index + 1:03d}"


def _wave(period: str, rng: np.random.Generator) -> str:
    """One annual survey wave as the text of a Qualtrics CSV export."""
    statements = list(_statements())
    invited = _invited()
    chosen = rng.choice(len(invited), size=RESPONDENTS[period], replace=False)
    # The outcome answers come from a stream of their own (spawning draws nothing from ``rng``), so that every
    # other answer of the demo is what it was before the outcome statement was added.
    outcome_rng = rng.spawn(1)[0]
    rows = [
        _response(rng, period, j, invited[idx][0], invited[idx][1], statements, outcome_rng, _panel_id(idx))
        for j, idx in enumerate(sorted(chosen))
    ]
    _add_preview_and_partial(rows, period)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([*_header_rows(statements), *rows])
    return buf.getvalue()


#: The pulse check-in after the 2026 review: its label, the principles it asks about (the 2026 priorities and the
#: principle of the one action not yet started) and how far each moved since the annual survey (the accountability
#: actions are working; the escalation route for communication is on hold; the cost-sharing review has not started).
PULSE_LABEL = "2026-Q3"
PULSE_SHIFT = {"Accountability": 0.5, "Open communication": 0.15, "Mutual benefit": 0.0}
#: How many 2026 respondents answered the pulse, and how many people who had not answered in 2026.
PULSE_RETURNING, PULSE_NEW = 34, 9


def _annual_rows(text: str) -> list[dict]:
    """The kept responses of an annual wave's CSV (finished, not previews) as header -> cell."""
    rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(rows[0], r)) for r in rows[3:] if r[2] != "Survey Preview" and r[6] == "True"]


def _pulse_answer(rng: np.random.Generator, level: float) -> str:
    return CURRENT_LABELS[int(np.clip(np.rint(level + rng.normal(0, 0.55)), 1, 5)) - 1]


def pulse_wave(annual_2026: str, seed: int = SEED) -> str:
    """The pulse check-in of :data:`PULSE_LABEL` as a Qualtrics CSV export: the *current* statements of the pulsed
    principles (:data:`PULSE_SHIFT`), answered by :data:`PULSE_RETURNING` people who answered the 2026 survey
    (their answers follow their own 2026 answers, moved by the principle's shift) and :data:`PULSE_NEW` who did
    not; the contact list's panel id in each row (seeded, a stream of its own)."""
    rng = np.random.default_rng(seed + 2)
    statements = [st for st in _statements() if st[1] in PULSE_SHIFT]
    annual = _annual_rows(annual_2026)
    returning = [annual[i] for i in sorted(rng.choice(len(annual), size=PULSE_RETURNING, replace=False))]
    answered = {r[PANEL_ID] for r in annual}
    invited = _invited()
    fresh = [i for i in range(len(invited)) if _panel_id(i) not in answered]
    newcomers = [int(i) for i in sorted(rng.choice(fresh, size=PULSE_NEW, replace=False))]
    people = [(r["Q1"], r["Q2"], r[PANEL_ID], r) for r in returning]
    people += [(*invited[i], _panel_id(i), None) for i in newcomers]
    tags = META + ["Q1", "Q2"] + [f"Q3_{k}" for k, *_ in statements] + [PANEL_ID]
    texts = (META + ["Which organisation do you work for?", "What is your role in the partnership?"]
             + [f"How well do we live this day to day? - {t}" for *_, t in statements] + [PANEL_ID])  # fmt: skip
    imports = ([json.dumps({"ImportId": m}) for m in META_IMPORT] + ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
               + [json.dumps({"ImportId": f"QID3_{k}"}) for k, *_ in statements]
               + [json.dumps({"ImportId": PANEL_ID})])  # fmt: skip
    rows = []
    for j, (partner, role, panel, before) in enumerate(people):
        person = rng.normal(0, 0.4)
        answers = []
        for k, principle, _i, _text in statements:
            earlier = before.get(f"Q3_{k}") if before is not None else None
            if earlier in CURRENT_LABELS:
                level = CURRENT_LABELS.index(earlier) + 1 + PULSE_SHIFT[principle]
            else:  # a newcomer, or "Don't know" in 2026: the partner's usual level
                level = CURRENT_MEANS[principle][partner][-1] + person + PULSE_SHIFT[principle]
            answers.append(_pulse_answer(rng, level))
        day = 1 + int(rng.integers(0, 27))
        start = f"2026-09-{day:02d} {int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:00"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = "northwind-health.example" if partner == PARTNERS[0] else "contoso-logistics.example"
        meta = [start, start, "IP Address", f"203.0.113.{int(rng.integers(1, 255))}", "100",
                str(int(rng.integers(60, 300))), "True", start, f"R_pulse{j:03d}{rng.integers(10**6, 10**7)}", last,
                first, f"{first.lower()}.{last.lower()}{j}@{domain}", "", f"{51 + rng.random():.6f}",
                f"{-1 + rng.random():.6f}", "email", "EN"]  # fmt: skip
        rows.append([*meta, partner, role, *answers, panel])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([tags, texts, imports, *rows])
    return buf.getvalue()


def pulse_codebook_dict() -> dict:
    """The pulse's codebook: the pulsed principles' *current* statements (the annual codebook's column tags and item
    names), the same scale, respondent id and :data:`SALT` as the annual codebook."""
    annual = codebook_dict()
    principles = {
        p: [{k: v for k, v in st.items() if k != "importance"} for st in items]
        for p, items in annual["principles"].items()
        if p in PULSE_SHIFT
    }
    return {"period": PULSE_LABEL, "scale": annual["scale"], "respondent": annual["respondent"], "salt": SALT,
            "principles": principles, "exclude": annual["exclude"]}  # fmt: skip


def roster_csv() -> str:
    """The roster of invited people per organisation and role (counts only)."""
    lines = ["partner,role,invited"]
    for p in PARTNERS:
        for r in ROLES:
            lines.append(f"{p},{r},{INVITED[p][r]}")
    return "\n".join(lines) + "\n"


KPI_HEADER = ["kpi", "kind", "partner", "unit", "direction", "target", *PERIODS, "notes"]
#: The KPI workbook, one list of rows per sheet (wide layout).  Percentages are
#: stored as fractions in cells formatted as percentages, as Excel users keep them.
KPI_SHEETS: dict[str, list[list]] = {
    "Goal KPIs": [
        [
            "Patient complaints about supply delays",
            "goal",
            "Northwind Health",
            "complaints",
            "lower",
            100,
            142,
            118,
            96,
            "per year, from the complaints log",
        ],
        [
            "Complaint resolution time",
            "goal",
            "joint",
            "days",
            "lower",
            10,
            "14 days",
            11.5,
            10.4,
            "median days from complaint to answer",
        ],
        [
            "Ward review score",
            "goal",
            "Northwind Health",
            "",
            "higher",
            4.3,
            3.8,
            3.9,
            4.0,
            "mean of the ward managers' quarterly review, out of 5",
        ],
        [
            "On-time deliveries",
            "goal",
            "Contoso Logistics",
            "%",
            "higher",
            0.95,
            0.91,
            0.93,
            0.96,
            "deliveries inside the agreed window",
        ],
        [
            "Emergency orders",
            "goal",
            "joint",
            "orders",
            "lower",
            "1,000",
            "1,480",
            "1,210",
            "1,150",
            "orders placed outside the planned cycle",
        ],
    ],
    "Partnership KPIs": [
        [
            "Survey engagement (response rate)",
            "partnership",
            "joint",
            "%",
            "higher",
            0.60,
            0.48,
            0.56,
            0.63,
            "responses / invited people, this survey",
        ],
        [
            "Joint scope of work delivered",
            "partnership",
            "joint",
            "%",
            "higher",
            0.90,
            0.70,
            0.78,
            0.84,
            "share of the agreed joint work plan delivered",
        ],
        [
            "Steering meetings held (planned 12)",
            "partnership",
            "joint",
            "meetings",
            "higher",
            12,
            8,
            10,
            12,
            "target = meetings planned",
        ],
        [
            "Operational reviews held (planned 48)",
            "partnership",
            "joint",
            "meetings",
            "higher",
            48,
            40,
            44,
            46,
            "target = reviews planned",
        ],
        [
            "Review actions completed on time",
            "partnership",
            "joint",
            "%",
            "higher",
            0.80,
            "n/a",
            0.40,
            0.55,
            "no review before 2024, so nothing to complete that year",
        ],
    ],
}

OBJECTIVES_HEADER = [
    "objective",
    "owner",
    f"importance ({PARTNERS[0]})",
    f"importance ({PARTNERS[1]})",
    f"served ({PARTNERS[0]})",
    f"served ({PARTNERS[1]})",
    "notes",
]
OBJECTIVES = [
    ["Fewer patient complaints about supplies", PARTNERS[0], 5, 4, 3, 4, ""],
    ["Faster resolution of supply complaints", PARTNERS[0], 5, 4, 3, 3, ""],
    ["Lower stock held on the wards", PARTNERS[0], 4, 4, 2, 2, "no joint stock data yet"],
    ["Predictable order volumes for route planning", PARTNERS[1], 2, 5, 3, 3, ""],
    ["Extend the contract to the two new hospitals", PARTNERS[1], 3, 5, 4, 3, ""],
    ["A shared view of stock and deliveries", "joint", 5, 4, 3, 4, ""],
]

ACTIONS_HEADER = ["id", "period", "principle", "action", "owner", "due", "status", "notes"]
#: The actions register agreed at the 2025 review workshop, as it stood before the 2026 review.
ACTIONS = [
    [
        "A25-01",
        "2025",
        "Accountability",
        "Name a single owner for every joint commitment in the steering log",
        "Joint steering group",
        "2025-06-30",
        "done",
        "owners named at the May steering meeting",
    ],
    [
        "A25-02",
        "2025",
        "Accountability",
        "Review open actions at every monthly operations meeting",
        "Contoso Logistics operations lead",
        "2025-09-30",
        "in progress",
        "started in October",
    ],
    [
        "A25-03",
        "2025",
        "Open communication",
        "Share the weekly delivery forecast with the ward managers",
        "Contoso Logistics planning",
        "2025-07-31",
        "done",
        "",
    ],
    [
        "A25-04",
        "2025",
        "Open communication",
        "Agree an escalation route for late deliveries (reply within 48 h)",
        "Northwind Health supply chain",
        "2025-10-31",
        "on hold",
        "waiting for the new ticketing system",
    ],
    [
        "A25-05",
        "2025",
        "Shared goals",
        "Agree three joint targets and review them every quarter",
        "Joint steering group",
        "2025-05-31",
        "done",
        "",
    ],
    [
        "A25-06",
        "2025",
        "Mutual benefit",
        "Open-book review of the cost-sharing model",
        "Finance leads",
        "2026-06-30",
        "not started",
        "",
    ],
]


def kpis_xlsx() -> bytes:
    """The demo KPI workbook (wide layout, one sheet per kind), as reproducible XLSX bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in KPI_SHEETS.items():
        ws = wb.create_sheet(name)
        fill_sheet(ws, KPI_HEADER, rows)
        for r, row in enumerate(rows, start=2):
            if row[3] == "%":
                for c in range(6, 6 + len(PERIODS) + 1):
                    ws.cell(row=r, column=c).number_format = "0%"
        for letter, width in zip("ABCDEFGHIJ", (40, 12, 18, 11, 10, 8, 8, 8, 8, 50)):
            ws.column_dimensions[letter].width = width
    return workbook_bytes(wb)


def manifest_dict() -> dict:
    """The demo manifest: the demo partnership's 2026 review and its pulse check-in, then the generated portfolio
    partnerships its norms come from."""
    return {
        "reviews": [
            {
                "name": "northwind-contoso",
                "client": "Northwind Health & Contoso Logistics",
                "period": "2026",
                "surveys": {p: f"survey_{p}.csv" for p in PERIODS},
                "codebook": "codebook.yml",
                "roster": "roster.csv",
                "kpis": "kpis.xlsx",
                "objectives": "objectives.csv",
                "actions": "actions.csv",
                "norms": "norms.csv",
                "pulse": {PULSE_LABEL: {"survey": f"pulse_{PULSE_LABEL}.csv", "codebook": "pulse_codebook.yml"}},
            },
            *portfolio_manifest_entries(),
        ]
    }


#: The generated portfolio the demo's norms come from: other clients' partnerships (names made up), two reviews each,
#: listed in the demo manifest after the demo partnership, so that ``make demo`` renders them too.
NORM_CLIENTS = 6
NORM_PARTNERSHIPS_PER_CLIENT = 2
NORM_BUILT = "2026-03-01"
#: Where the portfolio's files go, under the demo folder; respondents per organisation in each of its surveys.
PORTFOLIO_DIR = "portfolio"
PORTFOLIO_RESPONDENTS = 8


def _portfolio_statements() -> list[tuple[str, str]]:
    """(principle, column) of each statement the portfolio's surveys ask: the demo's principles, two statements
    each, rated on the current scale only (a portfolio review's norms compare current scores)."""
    slugs = {p: p.lower().replace(" ", "_") for p in PRINCIPLES}
    return [(p, f"{slugs[p]}_{i}") for p in PRINCIPLES for i in (1, 2)]


def portfolio_reviews() -> list[tuple[str, str, str]]:
    """(review name, client, survey file under the demo folder) of each generated portfolio partnership."""
    return [
        (f"portfolio-{c:02d}-{k}", f"Portfolio client {c}", f"{PORTFOLIO_DIR}/portfolio-{c:02d}-{k}_2026.csv")
        for c in range(1, NORM_CLIENTS + 1)
        for k in range(1, NORM_PARTNERSHIPS_PER_CLIENT + 1)
    ]


def portfolio_codebook_dict() -> dict:
    """The codebook of the portfolio's surveys (generic CSV: one row per respondent, ratings 1 to 5)."""
    principles: dict[str, list] = {}
    for principle, column in _portfolio_statements():
        principles.setdefault(principle, []).append({"item": column, "current": column})
    return {
        "scale": {"min": 1, "max": 5},
        "respondent": {"id": "respondent", "partner": "organisation", "role": "role"},
        "principles": principles,
    }


def portfolio_surveys(seed: int = SEED) -> dict[str, str]:
    """The text of each portfolio partnership's 2026 survey (generic CSV), by file name under the demo folder.

    Each partnership's principles sit near a portfolio's usual position, shifted by its own level and noise
    (seeded, a stream of its own: the demo partnership's files stay as they were).
    """
    rng = np.random.default_rng(seed + 1)
    typical = {p: 3.2 + rng.normal(0, 0.2) for p in PRINCIPLES}  # a portfolio's usual score per principle
    statements = _portfolio_statements()
    out = {}
    for name, _client, path in portfolio_reviews():
        level = {p: typical[p] + rng.normal(0, 0.25) for p in PRINCIPLES}
        rows = []
        for org in ("Organisation A", "Organisation B"):
            for j in range(PORTFOLIO_RESPONDENTS):
                person = rng.normal(0, 0.4)
                ratings = [int(np.clip(np.rint(level[p] + person + rng.normal(0, 0.5)), 1, 5)) for p, _ in statements]
                rows.append([f"{name}-{org[-1]}{j + 1:02d}", org, ROLES[j % len(ROLES)], *ratings])
        out[path] = csv_text(["respondent", "organisation", "role", *[c for _, c in statements]], rows)
    return out


def portfolio_manifest_entries() -> list[dict]:
    """The manifest entries of the portfolio partnerships (one 2026 review each)."""
    return [
        {"name": name, "client": client, "period": "2026", "surveys": {"2026": path},
         "codebook": f"{PORTFOLIO_DIR}/codebook.yml"}
        for name, client, path in portfolio_reviews()
    ]  # fmt: skip


def norm_records(folder: str | Path = SAMPLE_DATA_DIR) -> pd.DataFrame:
    """The demo's norms records: the positions of the generated portfolio's principles, computed from its surveys
    in ``folder`` as a render records them (:func:`partnerlib.report.review.headlines`), so that ``norms.csv`` is
    what ``partnerlib render --norms`` builds from the demo manifest's portfolio reviews."""
    from .report.review import analyse_review, headlines

    rows = []
    folder = Path(folder)
    for entry in portfolio_manifest_entries():
        results = analyse_review(
            surveys={p: str(folder / f) for p, f in entry["surveys"].items()},
            codebook=str(folder / entry["codebook"]),
            period=entry["period"],
            client=entry["client"],
        )
        heads = headlines(results)
        lo, hi = heads["scale"]
        for principle, score in heads["scores"].items():
            score = round(float(score), 4)  # as a render record stores it (partnerlib.report.marks)
            rows.append([entry["client"], entry["name"], entry["period"], principle, (score - lo) / (hi - lo)])
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def write_demo_data(folder: str | Path = SAMPLE_DATA_DIR, *, seed: int = SEED) -> list[Path]:
    """Write the demo partnership's files into ``folder`` and return their paths.

    The same seed always gives byte-identical files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    waves = {}
    for period in PERIODS:
        path = folder / f"survey_{period}.csv"
        waves[period] = _wave(period, rng)
        atomic_write_text(path, waves[period], newline="")
        written.append(path)
    path = folder / f"pulse_{PULSE_LABEL}.csv"
    atomic_write_text(path, pulse_wave(waves[PERIODS[-1]], seed), newline="")
    written.append(path)
    # The first comment line tells YAML-aware editors (VS Code's YAML extension, JetBrains) the file's schema.
    header = (
        "# yaml-language-server: $schema=../../schemas/codebook.schema.json\n"
        "# Codebook of the demo partnership's survey (written by `partnerlib demo-data`).\n"
    )
    for name, content in [
        ("codebook.yml", header + yaml.safe_dump(codebook_dict(), sort_keys=False, allow_unicode=True, width=120)),
        (
            "pulse_codebook.yml",
            header.replace("demo partnership's survey", f"demo partnership's pulse check-in {PULSE_LABEL}")
            + yaml.safe_dump(pulse_codebook_dict(), sort_keys=False, allow_unicode=True, width=120),
        ),
        ("roster.csv", roster_csv()),
        ("objectives.csv", csv_text(OBJECTIVES_HEADER, OBJECTIVES)),
        ("actions.csv", csv_text(ACTIONS_HEADER, ACTIONS)),
        (
            "reviews.yml",
            "# yaml-language-server: $schema=../../schemas/manifest.schema.json\n"
            "# The demo manifest: `make demo` renders every review listed here.\n"
            + yaml.safe_dump(manifest_dict(), sort_keys=False),
        ),
    ]:
        atomic_write_text(folder / name, content, newline="" if name.endswith(".csv") else None)
        written.append(folder / name)
    atomic_write_bytes(folder / "kpis.xlsx", kpis_xlsx())
    written.append(folder / "kpis.xlsx")
    (folder / PORTFOLIO_DIR).mkdir(exist_ok=True)
    portfolio_header = (
        "# yaml-language-server: $schema=../../../schemas/codebook.schema.json\n"
        "# Codebook of the generated portfolio partnerships' surveys (written by `partnerlib demo-data`).\n"
    )
    for name, content in [
        *portfolio_surveys(seed).items(),
        (
            f"{PORTFOLIO_DIR}/codebook.yml",
            portfolio_header + yaml.safe_dump(portfolio_codebook_dict(), sort_keys=False),
        ),
    ]:
        atomic_write_text(folder / name, content, newline="" if name.endswith(".csv") else None)
        written.append(folder / name)
    written.append(write_norm_records(norm_records(folder), folder / "norms.csv", built=NORM_BUILT))
    return written
