"""Every reader on small fixtures built to FORMATS.md's layouts (tests/fixtures/), and the registry."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from partnerlib import ExportFormatError, FileFormatError, PartnerDataError
from partnerlib.io.readers import read_export, registered

from .conftest import FIXTURES

SM_QUESTIONS = ["Which organisation do you work for?", "What is your role?",
                "How well do we live these principles? | Trust",
                "How well do we live these principles? | Open communication",
                "How well do we live these principles? | Is there anything else you would like to say about this?",
                "How important is each principle? | Trust", "How important is each principle? | Open communication",
                "Which topics should the workshop cover? | Goals", "Which topics should the workshop cover? | Roles",
                "Anything else you would like to say?"]  # fmt: skip


def grid_of(path, delimiter=",", encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def write_xlsx(path, rows, *, title="Sheet1", convert=None):
    """Write rows (lists of cells) to one sheet; ``convert(r, c, value)`` may turn text into native cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows):
        ws.append([convert(r, c, v) if convert else v for c, v in enumerate(row)])
    wb.save(path)
    return path


def test_registry_tries_platforms_before_the_generic_reader():
    assert registered() == ["qualtrics", "surveymonkey", "alchemer", "typeform", "limesurvey", "google_forms",
                            "microsoft_forms", "generic"]  # fmt: skip


# ---- Qualtrics -------------------------------------------------------------------------------------------------


def test_qualtrics_choice_text_bom_crlf_html_and_multiline_headers():
    ex = read_export(FIXTURES / "qualtrics_choice_text.csv")
    assert ex.format == "qualtrics" and ex.details["layout"] == "three header rows"
    assert list(ex.data.columns)[:2] == ["StartDate", "EndDate"]  # BOM stripped from the first header
    assert ex.questions["Q1"] == "Which organisation do you work for?"  # line break inside the quoted cell
    assert ex.questions["Q5_1"] == "Current - We keep our promises"  # <strong> removed
    assert ex.questions["Q20"] == "Anything else & more?"  # entity decoded
    assert ex.data["Q5_2"].tolist()[0] == "4 - Agree" and ex.data["Q20"].tolist()[0] == "Works, mostly"
    assert ex.meta["preview"].tolist() == [False, True, False, False]
    assert ex.meta["finished"].tolist() == [True, True, False, True]
    assert ex.personal_columns == []  # an anonymous survey has no personal columns
    assert ex.bookkeeping == ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished",
                              "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]  # fmt: skip


def test_qualtrics_xlsx_with_native_cells_reads_like_the_csv(tmp_path):
    rows = grid_of(FIXTURES / "qualtrics_choice_text.csv")

    def native(r, c, v):
        if r >= 3 and rows[0][c] == "Progress":
            return int(v)
        if r >= 3 and rows[0][c] == "Finished":
            return v == "True"
        if r >= 3 and rows[0][c] == "StartDate":
            return dt.datetime.fromisoformat(v)
        return v or None

    ex = read_export(write_xlsx(tmp_path / "q.xlsx", rows, title="Responses", convert=native))
    csv_ex = read_export(FIXTURES / "qualtrics_choice_text.csv")
    assert ex.format == "qualtrics" and ex.sheet == "Responses"
    assert ex.data[["Q1", "Q5_1", "Q5_2", "Q20"]].equals(csv_ex.data[["Q1", "Q5_1", "Q5_2", "Q20"]])
    assert ex.data["Progress"].tolist() == ["100", "100", "40", "100"]
    assert ex.data["StartDate"].iloc[0] == "2026-03-01 10:00:00"
    assert ex.meta["finished"].tolist() == [True, True, False, True]


@pytest.mark.parametrize(
    "delimiter, encoding, newline", [(";", "cp1252", "\r\n"), ("\t", "utf-8", "\n"), (",", "utf-8", "\r")]
)
def test_qualtrics_resaved_with_other_delimiters_encodings_and_line_ends(
    qualtrics, tmp_path, delimiter, encoding, newline
):
    src = qualtrics(["Q1", "Q5_1"], [{"Q1": "Société Générale", "Q5_1": "Agree, mostly"}])
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(grid_of(src))
    path = tmp_path / "resaved.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    ex = read_export(path)
    assert ex.format == "qualtrics"
    assert ex.data[["Q1", "Q5_1"]].values.tolist() == [["Société Générale", "Agree, mostly"]]


def test_qualtrics_insights_layout_python_dict_import_ids():
    ex = read_export(FIXTURES / "qualtrics_insights.csv")
    assert ex.format == "qualtrics" and ex.details["layout"] == "Insights (three header rows)"
    assert list(ex.data.columns) == ["ResponseID", "ResponseSet", "StartDate", "EndDate", "Finished", "Status", "Q1",
                                     "Q2_1", "Q2_2"]  # fmt: skip
    assert set(ex.personal_columns) == {"IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                                        "ExternalDataReference"}  # fmt: skip
    assert ex.meta["preview"].tolist() == [False, True, False]  # numeric Status 1 = preview
    assert ex.meta["finished"].tolist() == [True, True, False]  # numeric Finished 0
    assert ex.questions["Q2_1"] == "Trust - We keep our promises"


def test_qualtrics_legacy_two_rows_bom_trailing_comma():
    ex = read_export(FIXTURES / "qualtrics_legacy.csv")
    assert ex.format == "qualtrics" and ex.details["layout"] == "legacy two header rows"
    assert list(ex.data.columns) == [
        "ResponseID",
        "ResponseSet",
        "Status",
        "StartDate",
        "EndDate",
        "Finished",
        "Q1",
        "Q2_1",
        "Q2_2",
    ]  # V1..V10 named by row 2; trailing empty column gone
    assert ex.personal_columns == ["Name", "ExternalDataReference", "EmailAddress", "IPAddress"]
    assert ex.questions["Q2_1"] == "Trust - We keep our promises"
    assert ex.meta["preview"].tolist() == [False, True, False]
    assert ex.meta["finished"].tolist() == [True, True, False]
    assert "Anonymous" not in ex.data.to_csv()


# ---- SurveyMonkey ----------------------------------------------------------------------------------------------


def test_surveymonkey_names_blocks_with_the_row_two_label():
    ex = read_export(FIXTURES / "surveymonkey.csv")
    assert ex.format == "surveymonkey"
    assert list(ex.data.columns) == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "Custom Data 1",
        *SM_QUESTIONS,
    ]
    assert ex.personal_columns == ["IP Address", "Email Address", "First Name", "Last Name"]
    row1 = ex.data.iloc[0]
    assert row1["How well do we live these principles? | Open communication"] == "Strongly agree"
    assert row1["Which topics should the workshop cover? | Goals"] == "Goals"
    assert (
        row1["How well do we live these principles? | Is there anything else you would like to say about this?"]
        == "It’s fine"
    )
    assert ex.bookkeeping == ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    # No Finished column on SurveyMonkey: every row counts as finished, abandoned ones included.
    # Rows as a spreadsheet shows them: two header rows, so the first response is row 3.
    assert ex.meta["finished"].all() and ex.meta["row"].tolist() == [3, 4, 5, 6]


def test_surveymonkey_cp1252_cr_only_older_headers():
    ex = read_export(FIXTURES / "surveymonkey_cp1252_cr.csv")
    assert ex.format == "surveymonkey"
    assert list(ex.data.columns)[:4] == ["RespondentID", "CollectorID", "StartDate", "EndDate"]
    assert list(ex.data.columns)[5:] == SM_QUESTIONS
    assert "LastName" in ex.personal_columns
    assert ex.data.iloc[0, 4 + 5] == "It’s fine"  # 0x92 decoded as a curly apostrophe
    assert ex.data["StartDate"].tolist()[0] == "8/26/2016 5:53" and len(ex.data) == 4


def test_surveymonkey_xlsx_native_dates(tmp_path):
    rows = grid_of(FIXTURES / "surveymonkey.csv")

    def native(r, c, v):
        if r >= 2 and c == 2:
            return dt.datetime.strptime(v, "%m/%d/%Y %I:%M:%S %p")
        return v or None

    ex = read_export(write_xlsx(tmp_path / "sm.xlsx", rows, convert=native))
    assert ex.format == "surveymonkey" and ex.sheet == "Sheet1"
    assert list(ex.data.columns)[5:] == SM_QUESTIONS
    assert ex.data["Start Date"].tolist()[0] == "2023-07-31 16:21:36"
    from_csv = read_export(FIXTURES / "surveymonkey.csv").data
    assert ex.data.equals(from_csv.assign(**{"Start Date": ex.data["Start Date"]}))  # only the date cells differ


# ---- Google Forms ----------------------------------------------------------------------------------------------


def test_google_forms_grid_titles_spaces_and_duplicates():
    ex = read_export(FIXTURES / "google_forms.csv")
    assert ex.format == "google_forms"
    assert list(ex.data.columns) == ["Timestamp", "Which organisation do you work for?",
                                     "How well do we live these principles? [Trust]",
                                     "How well do we live these principles? [Open communication]",
                                     "How important is each principle? [Trust]",
                                     "How important is each principle? [Open communication]",
                                     "Which topics should the workshop cover?", "Comments", "Comments.1"]  # fmt: skip
    assert ex.personal_columns == ["Email Address"] and ex.bookkeeping == ["Timestamp"]
    assert ex.data["Which topics should the workshop cover?"].tolist()[0] == "Goals, Roles"
    assert ex.data["Comments"].fillna("").tolist() == ["Good year", "", ""]
    assert ex.data["Comments.1"].fillna("").tolist() == ["Keep going", "More meetings", ""]


# ---- Microsoft Forms -------------------------------------------------------------------------------------------


def test_microsoft_forms_csv_anonymous_and_non_breaking_spaces():
    ex = read_export(FIXTURES / "microsoft_forms.csv")
    assert ex.format == "microsoft_forms"
    assert ex.personal_columns == ["Email", "Name"]
    assert ex.bookkeeping == ["ID", "Start time", "Completion time", "Last modified time"]
    assert "We keep our promises to each other" in ex.data.columns  # non-breaking space tidied
    assert "anonymous" not in ex.data.to_csv()
    assert ex.data["Which topics?"].tolist()[:2] == ["Goals;Roles;", "Roles;"]


def test_microsoft_forms_xlsx(tmp_path):
    rows = grid_of(FIXTURES / "microsoft_forms.csv")

    def native(r, c, v):
        if r >= 1 and c in (1, 2):
            return dt.datetime.strptime(v, "%m/%d/%y %H:%M:%S")
        if r >= 1 and c == 0:
            return int(v)
        return v or None

    ex = read_export(write_xlsx(tmp_path / "ms.xlsx", rows, title="Form1", convert=native))
    assert ex.format == "microsoft_forms" and ex.sheet == "Form1"
    assert ex.data["ID"].tolist() == ["1", "2", "3"]
    assert ex.data["Completion time"].tolist()[0] == "2024-01-05 10:04:12"
    assert ex.data["We share bad news early"].tolist() == ["Strongly agree", "N/A", "Agree"]


def test_microsoft_forms_localised_headers_drop_email_and_name_by_position():
    ex = read_export(FIXTURES / "microsoft_forms_ja.csv")
    assert ex.format == "microsoft_forms"
    assert ex.personal_columns == ["メール", "名前"]
    text = ex.data.to_csv()
    assert "taro@example.jp" not in text and "山田" not in text
    assert ex.data["私たちは約束を守る"].tolist() == ["4", "2"]


# ---- Generic ---------------------------------------------------------------------------------------------------


def test_generic_wide_semicolon_with_bom():
    ex = read_export(FIXTURES / "generic_wide.csv")
    assert ex.format == "generic" and ex.details["layout"] == "wide" and ex.bookkeeping == []
    assert list(ex.data.columns) == ["respondent", "organisation", "role", "trust_current", "trust_importance",
                                     "remarks"]  # fmt: skip
    assert ex.data["remarks"].tolist()[0] == "Fine, thanks"
    assert ex.data["trust_current"].isna().tolist() == [False, False, True]


def test_generic_tidy_is_pivoted_one_row_per_respondent():
    ex = read_export(FIXTURES / "generic_tidy.tsv")
    assert ex.format == "generic" and ex.details["layout"] == "tidy (one row per answer)"
    assert list(ex.data.columns) == ["respondent", "organisation", "trust_current", "trust_importance"]
    assert ex.data.fillna("").values.tolist() == [
        ["a1", "Northwind", "4", "5"],
        ["a2", "Contoso", "2", "N/A"],
        ["a3", "Contoso", "3", ""],
    ]
    assert ex.meta["row"].tolist() == [2, 4, 6]  # each respondent's first row (the header is row 1)


def test_generic_tidy_answer_given_twice_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("respondent,question,answer\na1,q1,4\na1,q2,3\na1,q1,5\n")
    expected = r"t.csv', row 4, column 'question', value 'q1': respondent 'a1' answers this question twice"
    with pytest.raises(ExportFormatError, match=expected):
        read_export(path)


def test_generic_tidy_respondent_with_two_organisations_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "respondent,organisation,question,answer\na1,Northwind,q1,4\na2,Contoso,q1,2\n"
        "a1,Northwind,q2,3\na1,Contoso,q3,3\n"
    )
    expected = r"row 5, column 'organisation', value 'Contoso': respondent 'a1' has more than one 'organisation'"
    with pytest.raises(ExportFormatError, match=expected):
        read_export(path)


# ---- Unrecognisable files and forcing a format -----------------------------------------------------------------


def test_unrecognised_export_names_the_first_cells(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("1,2\n3,4\n")  # a header of numbers is no export any reader knows
    expected = (
        r"odd.csv': cannot recognise the export format \(first header "
        r"cells \['1', '2'\]\); expected one of \['qualtrics', "
    )
    with pytest.raises(ExportFormatError, match=expected):
        read_export(path)


def test_one_column_text_file_is_not_an_export(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nabout the survey\n")
    with pytest.raises(FileFormatError, match=r"notes.txt', row 1: the first line has no ',', ';' or tab delimiter"):
        read_export(path)


def test_binary_and_old_excel_files_are_refused(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FileFormatError, match=r"image.csv': a binary file, not a text table"):
        read_export(path)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(FileFormatError, match=r"old.xls': the old binary Excel format \(.xls\) is not read"):
        read_export(xls)
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    with pytest.raises(ExportFormatError, match=r"empty.xlsx', sheet 'Sheet': empty; expected a header row"):
        read_export(empty)


def test_forcing_a_format(tmp_path):
    ex = read_export(FIXTURES / "microsoft_forms.csv", format="generic")
    assert ex.format == "generic" and "Email" in ex.personal_columns and "Name" in ex.personal_columns
    with pytest.raises(ExportFormatError, match=r"unknown format 'questionpro'; expected one of \['qualtrics'"):
        read_export(FIXTURES / "microsoft_forms.csv", format="questionpro")
    short = tmp_path / "short.csv"
    short.write_text("Respondent,Trust\n")
    expected = r"short.csv': does not have the layout of a 'qualtrics' export .*the detected format is 'generic'"
    with pytest.raises(ExportFormatError, match=expected):
        read_export(short, format="qualtrics")
    with pytest.raises(PartnerDataError, match=r"missing.csv': not found"):
        read_export(tmp_path / "missing.csv")


def test_cp1252_after_the_first_megabyte_and_undecodable_text(tmp_path):
    path = tmp_path / "long.csv"
    filler = "".join(f"r{i},Agree\r\n" for i in range(120_000))  # > 1 MiB of plain ASCII
    path.write_bytes(("respondent,Trust\r\n" + filler).encode() + b"r_last,Caf\xe9 \x92ok\x92\r\n")
    ex = read_export(path)
    assert ex.format == "generic" and ex.data["Trust"].iloc[-1] == "Café ’ok’"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"respondent,Trust\r\nr1,\x81\xff\r\n")
    with pytest.raises(FileFormatError, match=r"bad.csv', row 2: the text is neither UTF-8 nor Windows-1252"):
        read_export(bad)


def test_limesurvey_code_headers_submitdate_marks_unfinished(tmp_path):
    path = tmp_path / "lime.csv"
    path.write_text(
        "id,submitdate,lastpage,startlanguage,seed,Q1,Q2[SQ001]\n"
        "1,2024-05-01 10:00:00,3,en,123,Northwind,A4\n"
        "2,,1,en,456,Contoso,\n"
    )
    ex = read_export(path)
    assert ex.format == "limesurvey" and ex.meta["finished"].tolist() == [True, False]
    assert ex.bookkeeping == ["id", "submitdate", "lastpage", "startlanguage", "seed"]
    assert list(ex.data.columns)[-2:] == ["Q1", "Q2[SQ001]"]


# ---- platforms recognised from their own columns (defects 2, 4, 5) ------------------------------------------


def test_surveymonkey_resaved_with_one_header_row_keeps_its_first_respondent(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(
        "RespondentID,How often do you travel by plane?,Gender\n"
        "3436139758,Once a year or less,Male\n"
        "3434278696,Never,Female\n"
    )
    ex = read_export(path)
    assert ex.format == "surveymonkey" and ex.details["layout"] == "one header row (re-saved)"
    assert ex.data["RespondentID"].tolist() == ["3436139758", "3434278696"]  # row 2 is a respondent
    assert ex.meta["row"].tolist() == [2, 3]
    two = tmp_path / "two.csv"
    two.write_text("RespondentID,Trust,\n,Response,Other\n3436139758,Agree,x\n")
    ex2 = read_export(two)
    assert ex2.details["layout"] == "two header rows" and ex2.data["RespondentID"].tolist() == ["3436139758"]


def test_alchemer_partial_and_disqualified_are_unfinished(tmp_path):
    path = tmp_path / "alchemer.csv"
    path.write_text(
        "Response ID,Time Started,Date Submitted,Status,Contact ID,IP Address,Trust\n"
        "1,2016-01-01 10:00:00,2016-01-01 10:05:00,Complete,,203.0.113.9,Agree\n"
        "2,2016-01-01 10:01:00,2016-01-01 10:06:00,Partial,,203.0.113.8,Agree\n"
        "3,2016-01-01 10:02:00,2016-01-01 10:07:00,Disqualified,,203.0.113.7,\n"
    )
    ex = read_export(path)
    assert ex.format == "alchemer" and ex.meta["finished"].tolist() == [True, False, False]
    assert ex.personal_columns == ["Contact ID", "IP Address"] and list(ex.data.columns)[-1] == "Trust"
    assert ex.bookkeeping == ["Response ID", "Time Started", "Date Submitted", "Status"]


def test_limesurvey_full_text_headers_date_submitted_marks_incomplete(tmp_path):
    path = tmp_path / "lime.csv"
    path.write_text(
        "Response ID,Date submitted,Last page,Start language,Seed,How do you rate us?\u00a0 [Trust]\n"
        "1,1980-01-01 00:00:00,3,en,11,good\n"
        "2,,1,en,12,\n"
    )
    ex = read_export(path)
    assert ex.format == "limesurvey" and ex.meta["finished"].tolist() == [True, False]
    assert list(ex.data.columns)[-1] == "How do you rate us? [Trust]"  # the non-breaking space tidied
    both = tmp_path / "both.csv"
    both.write_text("id. Response ID,submitdate. Date submitted,lastpage. Last page,Q1\n1,,2,x\n2,2024-01-01,3,y\n")
    assert read_export(both).meta["finished"].tolist() == [False, True]


def test_typeform_response_type_partial_is_unfinished_and_network_id_dropped(tmp_path):
    path = tmp_path / "typeform.csv"
    path.write_text(
        "#,<strong>Do you trust us?</strong>,Response Type,Start Date (UTC),Stage Date (UTC),"
        "Submit Date (UTC),Network ID,Tags\n"
        "abc1,Agree,completed,2024-01-01 10:00:00,,2024-01-01 10:05:00,8f3a1c,\n"
        "abc2,Agree,partial,2024-01-01 10:01:00,2024-01-01 10:02:00,,9e2b4d,\n"
    )
    ex = read_export(path)
    assert ex.format == "typeform" and ex.meta["finished"].tolist() == [True, False]
    assert ex.personal_columns == ["Network ID"]
    assert ex.questions["<strong>Do you trust us?</strong>"] == "Do you trust us?"
    old = tmp_path / "old.csv"
    old.write_text(
        "#,Q,Start Date (UTC),Submit Date (UTC),Network ID\nt1,A,2018-01-01,2018-01-01,n1\nt2,B,2018-01-01,,n2\n"
    )
    assert read_export(old).meta["finished"].tolist() == [True, False]


def test_qualtrics_xlsx_with_two_header_rows_and_no_import_id_row(tmp_path):
    tags = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "Q1", "Q5_1"]
    texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Response ID",
             "Which organisation do you work for?", "We keep our promises"]  # fmt: skip
    data = [
        ["2026-03-01 10:00:00", "2026-03-01 10:05:00", "IP Address", 100, "True", "R_1", "Contoso", "Agree"],
        ["2026-03-01 10:00:00", "2026-03-01 10:05:00", "Survey Preview", 100, "True", "R_2", "Contoso", "Agree"],
        ["2026-03-01 10:00:00", "2026-03-01 10:05:00", "IP Address", 40, "False", "R_3", "Contoso", ""],
    ]
    ex = read_export(write_xlsx(tmp_path / "q.xlsx", [tags, texts, *data]))
    assert ex.format == "qualtrics" and ex.details["layout"] == "two header rows (export tags, question text)"
    assert ex.data["ResponseId"].tolist() == ["R_1", "R_2", "R_3"]  # the question-text row is no response
    assert ex.questions["Q5_1"] == "We keep our promises" and ex.meta["row"].tolist() == [3, 4, 5]
    assert ex.meta["preview"].tolist() == [False, True, False] and ex.meta["finished"].tolist() == [True, True, False]
