"""The real public exports of ../shared/samples/real/, each read with a codebook and checked against figures
computed here from the raw file with plain ``csv`` / ``openpyxl`` (never partnerlib): the respondents kept, the
drop reasons and a group mean.

The independent rules: a row of only empty cells is no response; a response the platform marks unfinished is
``incomplete``; of several submissions with the same response id, all but the last finished one are
``duplicate``; a response with no scored answer (blank or not-applicable everywhere) is ``empty``, whatever else
applies.  A score is the codebook label's number, or a number on the scale.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from dataclasses import dataclass, field

import pytest
from openpyxl import load_workbook

from partnerlib import read_survey

from .conftest import SHARED_SAMPLES

REAL = SHARED_SAMPLES / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/samples/real is not beside the checkout")


def tidy(text) -> str:
    return " ".join(str(text or "").replace("\u00a0", " ").split())


@dataclass
class Case:
    file: str
    header_rows: int
    statements: list[int]  # column positions of the rated columns
    labels: dict[str, float]
    scale: tuple[float, float]
    role: int  # column position of the role
    id_col: int | None = None
    not_applicable: list[str] = field(default_factory=list)
    finished: tuple[int, set[str]] | None = None  # (column, values meaning unfinished)
    encoding: str = "utf-8"
    block_names: bool = False  # SurveyMonkey two-row naming: "Question | Row"


CASES = {
    "surveymonkey_starwars.csv": Case(
        "surveymonkey_starwars.csv", 2, list(range(15, 29)),
        {"Very favorably": 5, "Somewhat favorably": 4, "Neither favorably nor unfavorably (neutral)": 3,
         "Somewhat unfavorably": 2, "Very unfavorably": 1}, (1, 5), role=33, id_col=0,
        not_applicable=["Unfamiliar (N/A)"], encoding="cp1252", block_names=True),
    "surveymonkey_onerow_flying-etiquette.csv": Case(
        "surveymonkey_onerow_flying-etiquette.csv", 1, [8, 9, 12, 14, 15, 16, 17, 18, 19],
        {"No, not rude at all": 1, "No, not at all rude": 1, "Yes, somewhat rude": 2, "Yes, very rude": 3},
        (1, 3), role=22, id_col=0),
    "alchemer_jupyter-ux-2015.csv": Case(
        "alchemer_jupyter-ux-2015.csv", 1, [3, 36],
        {"Less often than monthly": 1, "Monthly": 2, "Weekly": 3, "Daily": 4, "Under ten": 1, "Tens": 2,
         "Hundreds": 3, "Thousands": 4, "Tens of thousands": 5, "Hundreds of thousands or more": 5},
        (1, 5), role=32, finished=(2, {"partial", "disqualified"})),
    "limesurvey_quality-perception.csv": Case(
        "limesurvey_quality-perception.csv", 1, list(range(12, 18)),
        {"not important": 1, "slightly important": 2, "moderately": 3, "very": 4,
                                          "extremely important": 5}, (1, 5), role=5, id_col=0,
        finished=(1, {""})),
    "typeform_osmi-2018.csv": Case(
        "typeform_osmi-2018.csv", 1, [46, 95, 103], {}, (0, 10), role=4, id_col=0, finished=(121, {""})),
}  # fmt: skip


def raw_rows(case: Case) -> list[list[str]]:
    with open(REAL / case.file, encoding=case.encoding, newline="") as fh:
        return list(csv.reader(fh))


def column_names(case: Case, rows: list[list]) -> list[str]:
    """The codebook's names of the columns: the header, or SurveyMonkey's "Question | Row" naming."""
    if not case.block_names:
        return [tidy(h) for h in rows[0]]
    names, block = [], ""
    for head, label in zip(rows[0], rows[1]):
        head, label = tidy(head), tidy(label)
        block = head or block
        names.append(head if head and not label else block if label in ("Response", "Open-Ended Response")
                     else f"{block} | {label}")  # fmt: skip
    return names


def score(cell, case: Case) -> float | None:
    key = tidy(cell).casefold()
    labels = {k.casefold(): v for k, v in case.labels.items()}
    if key in labels:
        return labels[key]
    try:
        value = float(key)
    except ValueError:
        return None
    return value if case.scale[0] <= value <= case.scale[1] else None


def expected(case: Case, rows: list[list]) -> dict:
    """Kept rows, reason counts and mean of the first statement per role, computed from the raw cells."""
    body = [(i + 1, r) for i, r in enumerate(rows) if i >= case.header_rows and any(tidy(c) for c in r)]
    reason: dict[int, str] = {}
    if case.finished:
        col, unfinished = case.finished
        reason.update({n: "incomplete" for n, r in body if tidy(r[col]).casefold() in unfinished})
    if case.id_col is not None:
        last = {}
        for n, r in body:
            if n not in reason:
                last[r[case.id_col]] = n
        reason.update({n: "duplicate" for n, r in body if n not in reason and last[r[case.id_col]] != n})
    for n, r in body:
        if all(score(r[j], case) is None for j in case.statements):
            reason[n] = "empty"
    kept = [(n, r) for n, r in body if n not in reason]
    by_role: dict[str, list[float]] = {}
    for _, r in kept:
        s = score(r[case.statements[0]], case)
        if s is not None:
            by_role.setdefault(tidy(r[case.role]) or "Not stated", []).append(s)
    return {
        "kept": [n for n, _ in kept],
        "reasons": Counter(reason.values()),
        "means": {k: statistics.fmean(v) for k, v in by_role.items()},
    }


def codebook(case: Case, names: list[str]) -> dict:
    return {
        "period": "2016",
        "scale": {
            "min": case.scale[0],
            "max": case.scale[1],
            "labels": case.labels,
            "not_applicable": case.not_applicable,
        },
        "respondent": {
            "id": names[case.id_col] if case.id_col is not None else None,
            "partner": {"value": "Respondents"},
            "role": names[case.role],
        },
        "principles": {"Rated": [{"item": f"s{j}", "current": names[j]} for j in case.statements]},
    }


def check(s, want: dict, case: Case) -> None:
    assert s.respondents["answered"].gt(0).all()
    assert len(s.respondents) == len(want["kept"]) > 0
    got = Counter(s.dropped["reason"].astype(str))
    assert got == want["reasons"]
    first = s.responses[s.responses["item"] == f"s{case.statements[0]}"]
    means = first.groupby("role", observed=True)["score"].mean().to_dict()
    assert means == pytest.approx(want["means"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_export_read_with_a_codebook_matches_the_raw_file(name):
    case = CASES[name]
    rows = raw_rows(case)
    names = column_names(case, rows)
    want = expected(case, rows)
    s = read_survey(REAL / name, codebook(case, names))
    check(s, want, case)
    kept_rows = sorted(
        set(range(1, len(rows) + 1)) - set(s.dropped["row"].tolist()) - set(range(1, case.header_rows + 1))
    )
    assert kept_rows == want["kept"]  # the very rows, as a spreadsheet numbers them


def test_starwars_respondents_without_a_scored_answer_are_empty_not_duplicates():
    case = CASES["surveymonkey_starwars.csv"]
    s = read_survey(REAL / case.file, codebook(case, column_names(case, raw_rows(case))))
    counts = Counter(s.dropped["reason"].astype(str))
    assert counts["duplicate"] == 0 and counts["empty"] > 300  # identical (blank) answers are not one person
    assert s.sources["format"].tolist() == ["surveymonkey"] and s.sources["layout"].tolist() == ["two header rows"]


def test_one_header_surveymonkey_resave_keeps_its_first_respondent():
    case = CASES["surveymonkey_onerow_flying-etiquette.csv"]
    s = read_survey(REAL / case.file, codebook(case, column_names(case, raw_rows(case))))
    assert s.sources["layout"].tolist() == ["one header row (re-saved)"]
    assert 2 not in s.dropped["row"].tolist() or raw_rows(case)[1][8] == ""  # row 2 is a respondent, not labels
    assert s.sources["rows"].tolist() == [len(raw_rows(case)) - 1]


def test_alchemer_partial_responses_do_not_count_as_finished():
    case = CASES["alchemer_jupyter-ux-2015.csv"]
    rows = raw_rows(case)
    s = read_survey(REAL / case.file, codebook(case, column_names(case, rows)))
    partial = sum(r[2] == "Partial" for r in rows[1:])
    dropped = Counter(s.dropped["reason"].astype(str))
    assert s.sources["format"].tolist() == ["alchemer"]
    assert dropped["incomplete"] + dropped["empty"] >= partial and dropped["incomplete"] > 0


def test_typeform_network_id_is_dropped_and_limesurvey_is_recognised():
    tf = CASES["typeform_osmi-2018.csv"]
    s = read_survey(REAL / tf.file, codebook(tf, column_names(tf, raw_rows(tf))))
    assert s.sources["format"].tolist() == ["typeform"] and "Network ID" in s.sources["personal_columns_dropped"][0]
    ls = CASES["limesurvey_quality-perception.csv"]
    s = read_survey(REAL / ls.file, codebook(ls, column_names(ls, raw_rows(ls))))
    assert s.sources["format"].tolist() == ["limesurvey"]


# ---- the SurveyMonkey XLSX: native cells, empty-string cells, rows of unequal length --------------------------


def test_surveymonkey_xlsx_matches_openpyxl():
    path = REAL / "surveymonkey_raw-data.xlsx"
    ws = load_workbook(path, read_only=True).worksheets[0]
    ws.reset_dimensions()
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    case = Case(path.name, 2, [14, 15, 17, 19], {f"Answer {k}": k for k in range(1, 9)}, (1, 8), role=7, id_col=0,
                block_names=True)  # fmt: skip
    names = column_names(case, rows)
    assert names[19] == "Question 5 | Response 1" and names[14] == "Question 1"
    s = read_survey(path, codebook(case, names))
    check(s, expected(case, rows), case)
    answered = [r for r in rows[2:] if any(score(r[j], case) is not None for j in case.statements)]
    divisions = Counter(tidy(r[7]) or "Not stated" for r in answered)
    assert s.respondents["role"].astype(str).value_counts().to_dict() == dict(divisions)
