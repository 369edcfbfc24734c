"""read_survey end to end on every export format: the same tidy table from each platform's layout."""

import pandas as pd
import pytest

from partnerlib import Method, PartnerDataError, drop_summary, likert_counts, read_survey

from .conftest import FIXTURES

AGREE = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
IMPORTANT = {
    "Not at all important": 1,
    "Slightly important": 2,
    "Moderately important": 3,
    "Very important": 4,
    "Extremely important": 5,
}
WELL = "How well do we live these principles?"
IMP = "How important is each principle?"


def scale(**extra):
    return {
        "min": 1,
        "max": 5,
        "labels": {**AGREE, **IMPORTANT},
        "not_applicable": ["Unfamiliar (N/A)", "Don't know", "N/A"],
        **extra,
    }


def scores_by(survey):
    """{(partner, item, measure): score} of a survey with one respondent per partner and item."""
    r = survey.responses
    return {(str(a), str(b), str(c)): s for a, b, c, s in zip(r["partner"], r["item"], r["measure"], r["score"])}


SM_CODEBOOK = {
    "period": "2023",
    "scale": scale(),
    "respondent": {
        "id": "Respondent ID",
        "partner": "Which organisation do you work for?",
        "role": "What is your role?",
    },
    "principles": {
        "Trust": [{"item": "trust", "current": f"{WELL} | Trust", "importance": f"{IMP} | Trust"}],
        "Open communication": [
            {
                "item": "open",
                "current": f"{WELL} | Open communication",
                "importance": f"{IMP} | Open communication",
                "reverse": True,
            }
        ],
    },
    "comments": [
        f"{WELL} | Is there anything else you would like to say about this?",
        "Anything else you would like to say?",
    ],
}


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey_cp1252_cr.csv"])
def test_surveymonkey_end_to_end(name):
    cb = (
        SM_CODEBOOK
        if name == "surveymonkey.csv"
        else {**SM_CODEBOOK, "respondent": {**SM_CODEBOOK["respondent"], "id": "RespondentID"}}
    )
    s = read_survey(FIXTURES / name, cb)
    # Row 3 was abandoned after its first rating: kept with that one answer. Row 4 has no rating: empty.
    assert s.respondents[["partner", "role", "answered"]].astype(str).values.tolist() == [
        ["Northwind", "Manager", "4"],
        ["Contoso", "Staff", "3"],
        ["Northwind", "Staff", "1"],
    ]
    assert s.dropped[["row", "reason"]].astype(str).values.tolist() == [["6", "empty"]]  # two header rows
    r = s.responses
    first = r[r["respondent"] == s.respondents["respondent"].iloc[0]]
    # "Strongly agree" (5) on the reverse-keyed statement becomes 1 + 5 - 5 = 1; importance is not reversed.
    assert dict(zip(zip(first["item"].astype(str), first["measure"].astype(str)), first["score"])) == {
        ("trust", "current"): 4.0,
        ("trust", "importance"): 4.0,
        ("open", "current"): 1.0,
        ("open", "importance"): 5.0,
    }
    assert s.not_applicable[["item", "measure"]].astype(str).values.tolist() == [["open", "current"]]
    assert s.comments[["partner", "question", "text"]].astype(str).values.tolist() == [
        ["Northwind", f"{WELL} | Is there anything else you would like to say about this?", "It’s fine"],
        ["Northwind", "Anything else you would like to say?", "We should meet more often"],
    ]
    assert s.sources["format"].tolist() == ["surveymonkey"]


def test_surveymonkey_typo_is_an_error_never_a_guess(tmp_path):
    path = tmp_path / "sm.csv"
    path.write_bytes((FIXTURES / "surveymonkey.csv").read_bytes().replace(b"Disagree,Unfamiliar", b"Aagree,Unfamiliar"))
    with pytest.raises(PartnerDataError) as err:
        read_survey(path, SM_CODEBOOK)
    msg = str(err.value)
    assert f"file '{path}', row 4, column '{WELL} | Trust', value 'Aagree': not a scale answer" in msg
    assert "the value is never treated as missing" in msg


def test_surveymonkey_abandoned_rows_are_kept_unless_the_codebook_asks_otherwise():
    # SurveyMonkey has no Finished column: exclude.incomplete cannot drop abandoned responses, the empty rule does.
    s = read_survey(FIXTURES / "surveymonkey.csv", {**SM_CODEBOOK, "exclude": {"incomplete": True}})
    assert s.dropped["reason"].astype(str).tolist() == ["empty"]


def test_google_forms_end_to_end():
    cb = {
        "period": "2022",
        "scale": scale(),
        "respondent": {"partner": "Which organisation do you work for?"},
        "principles": {
            "Trust": [{"item": "trust", "current": f"{WELL} [Trust]", "importance": f"{IMP} [Trust]"}],
            "Open": [{"item": "open", "current": f"{WELL} [Open communication]"}],
        },
        "comments": ["Comments", "Comments.1"],
    }
    s = read_survey(FIXTURES / "google_forms.csv", cb)
    assert s.respondents["partner"].astype(str).tolist() == ["Northwind", "Contoso", "Contoso"]
    assert s.respondents["answered"].tolist() == [3, 2, 3]  # Contoso's first "Don't know" is not applicable
    assert s.responses["score"].tolist() == [4.0, 4.0, 5.0, 2.0, 5.0, 1.0, 2.0, 3.0]
    # The second "Comments" column is named "Comments.1" in the codebook; its question text is still "Comments".
    assert s.comments[["question", "text"]].values.tolist() == [
        ["Comments", "Good year"],
        ["Comments", "Keep going"],
        ["Comments", "More meetings"],
    ]
    assert "ann@example.org" not in pd.concat([s.respondents.astype(str), s.comments.astype(str)]).to_csv()


@pytest.mark.parametrize("name", ["microsoft_forms.csv", "microsoft_forms_ja.csv"])
def test_microsoft_forms_end_to_end(name):
    if name == "microsoft_forms.csv":
        cb = {
            "period": "2024",
            "scale": scale(),
            "respondent": {"id": "ID", "partner": "Organisation", "role": "Role"},
            "principles": {
                "Trust": [
                    {"item": "promises", "current": "We keep our promises to each other"},
                    {"item": "news", "current": "We share bad news early"},
                ]
            },
        }
        expected = {("Northwind", "promises", "current"): 4.0, ("Northwind", "news", "current"): 5.0}
    else:
        cb = {
            "period": "2024",
            "scale": {"min": 1, "max": 5},
            "respondent": {"partner": "組織"},
            "principles": {"信頼": [{"item": "promises", "current": "私たちは約束を守る"}]},
        }
        expected = {("Northwind", "promises", "current"): 4.0, ("Contoso", "promises", "current"): 2.0}
    s = read_survey(FIXTURES / name, cb)
    got = {k: v for k, v in scores_by(s).items() if k[0] == "Northwind" or name.endswith("ja.csv")}
    assert got == expected
    assert s.sources["personal_columns_dropped"].tolist()[0] in {"Email, Name", "メール, 名前"}


def test_generic_wide_and_tidy_give_the_same_table():
    cb = {
        "period": "2026",
        "scale": scale(),
        "respondent": {"id": "respondent", "partner": "organisation"},
        "principles": {"Trust": [{"item": "trust", "current": "trust_current", "importance": "trust_importance"}]},
    }
    wide = read_survey(FIXTURES / "generic_wide.csv", {**cb, "comments": ["remarks"]})
    tidy = read_survey(FIXTURES / "generic_tidy.tsv", cb)
    assert scores_by(wide) == {
        ("Northwind", "trust", "current"): 4.0,
        ("Northwind", "trust", "importance"): 5.0,
        ("Contoso", "trust", "current"): 2.0,
        ("Contoso", "trust", "importance"): 4.0,
    }
    assert wide.dropped[["row", "reason"]].astype(str).values.tolist() == [["4", "empty"]]
    assert wide.comments["text"].tolist() == ["Fine, thanks"]
    assert scores_by(tidy) == {
        ("Northwind", "trust", "current"): 4.0,
        ("Northwind", "trust", "importance"): 5.0,
        ("Contoso", "trust", "current"): 3.0,
    }  # a2 and a3 are both Contoso
    assert len(tidy.respondents) == 3 and len(tidy.not_applicable) == 1


def test_qualtrics_choice_text_with_numbered_labels():
    cb = {
        "period": "2026",
        "scale": scale(labels={**AGREE, "4 - Agree": 4, "2 - Disagree": 2}),
        "respondent": {"id": "ResponseId", "partner": "Q1"},
        "principles": {"Trust": [{"item": "promises", "current": "Q5_1"}, {"item": "news", "current": "Q5_2"}]},
        "comments": ["Q20"],
    }
    s = read_survey(FIXTURES / "qualtrics_choice_text.csv", cb)
    assert s.dropped[["row", "reason"]].astype(str).values.tolist() == [["5", "preview"], ["6", "incomplete"]]
    assert scores_by(s) == {
        ("Northwind", "promises", "current"): 4.0,
        ("Northwind", "news", "current"): 4.0,
        ("Contoso", "promises", "current"): 1.0,
        ("Contoso", "news", "current"): 2.0,
    }
    assert s.comments[["question", "text"]].values.tolist() == [["Anything else & more?", "Works, mostly"]]
    assert s.sources[["format", "layout"]].values.tolist() == [["qualtrics", "three header rows"]]


def test_drop_summary_and_answer_distributions():
    s = read_survey(FIXTURES / "surveymonkey.csv", SM_CODEBOOK)
    summary = drop_summary(s.dropped)
    assert summary[["reason", "responses", "rows"]].values.tolist() == [
        ["preview", 0, ""],
        ["test", 0, ""],
        ["incomplete", 0, ""],
        ["duplicate", 0, ""],
        ["empty", 1, "6"],
    ]
    assert drop_summary(s.dropped.iloc[:0], ["2024"]).values.tolist()[-1] == ["2024", "empty", 0, ""]
    assert drop_summary(s.dropped, ["2022", "2023"])["period"].tolist() == ["2022"] * 5 + ["2023"] * 5
    # The tidy table feeds the answer distributions unchanged: trust current was Agree (4), Disagree (2),
    # Neither (3); open current was "Strongly agree" on a reverse-keyed statement (1) and one "Unfamiliar (N/A)".
    dist = likert_counts(
        s.responses,
        measure="current",
        not_applicable=s.not_applicable,
        scale=s.scale,
        method=Method(min_n=1, allow_small_groups=True),
    )
    rows = dist.set_index("item")[["n", "1", "2", "3", "4", "5", "not applicable"]]
    assert rows.loc["trust"].tolist() == [3, 0, 1, 1, 1, 0, 0]
    assert rows.loc["open"].tolist() == [1, 1, 0, 0, 0, 0, 1]


def test_error_in_an_xlsx_export_names_the_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Organisation", "We keep our promises"])
    ws.append([1, "2024-01-05 10:00:00", "2024-01-05 10:04:00", "anonymous", None, "Northwind", "Agree"])
    ws.append([2, "2024-01-05 11:00:00", "2024-01-05 11:04:00", "anonymous", None, "Contoso", "Disgree"])
    wb.save(tmp_path / "ms.xlsx")
    cb = {
        "period": "2024",
        "scale": scale(),
        "respondent": {"partner": "Organisation"},
        "principles": {"Trust": [{"item": "promises", "current": "We keep our promises"}]},
    }
    expected = r"ms.xlsx', sheet 'Form1', row 3, column 'We keep our promises', value 'Disgree': not a scale answer"
    with pytest.raises(PartnerDataError, match=expected):
        read_survey(tmp_path / "ms.xlsx", cb)


# ---- defect 9: sheets, trailing empty rows, white space ------------------------------------------------------

SHEET_CODEBOOK = {"period": "2026", "scale": {"min": 1, "max": 5, "labels": {"Agree": 4, "Disagree": 2}},
                  "respondent": {"partner": "Organisation"},
                  "principles": {"Trust": [{"item": "t", "current": "Trust  [We keep our promises]"}]}}  # fmt: skip


def _workbook(path, sheets):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_a_workbook_whose_first_sheet_is_a_note_is_read_from_its_export_sheet(tmp_path):
    export = [["Timestamp", "Organisation", "Trust\u00a0 [We keep our promises]"],
              ["2026-03-01 10:00:00", "Contoso", "Agree"], ["2026-03-01 10:01:00", "Contoso", "Disagree"]]  # fmt: skip
    path = _workbook(tmp_path / "w.xlsx", {"Read me": [["Exported on 1 March"]], "Responses": export})
    s = read_survey(path, SHEET_CODEBOOK)
    assert s.sources["sheet"].tolist() == ["Responses"] and s.responses["score"].tolist() == [4.0, 2.0]
    assert read_survey(path, SHEET_CODEBOOK, sheet="Responses").responses["score"].tolist() == [4.0, 2.0]
    assert read_survey(path, {**SHEET_CODEBOOK, "sheet": "Responses"}).sources["sheet"].tolist() == ["Responses"]
    with pytest.raises(PartnerDataError, match=r"no sheet 'Answers'; the workbook has \['Read me', 'Responses'\]"):
        read_survey(path, SHEET_CODEBOOK, sheet="Answers")
    notes = _workbook(tmp_path / "n.xlsx", {"Read me": [["Exported on 1 March"]], "Chart": [[1, 2], [3, 4]]})
    expected = (
        r"n.xlsx': no sheet holds a survey export; the workbook has 2 sheets: 'Read me' \(first cells "
        r"\['Exported on 1 March'\]\), 'Chart' \(first cells \['1', '2'\]\)"
    )
    with pytest.raises(PartnerDataError, match=expected):
        read_survey(notes, SHEET_CODEBOOK)


def test_trailing_rows_of_empty_cells_are_not_responses(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "Timestamp,Organisation,Trust  [We keep our promises]\r\n"
        "2026-03-01 10:00:00,Contoso,Agree\r\n,,\r\n,,\r\n"  # Excel's ",,,," rows after the data
    )
    s = read_survey(path, SHEET_CODEBOOK)
    assert len(s.respondents) == 1 and s.dropped.empty and s.sources["rows"].tolist() == [1]
