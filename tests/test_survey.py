"""read_survey on small Qualtrics exports: every rule checked against what the table holds."""

import numpy as np
import pandas as pd
import pytest

from partnerlib import CodebookError, PartnerDataError, read_survey, read_surveys
from partnerlib.io.survey import quality_summary, respondent_counts, select_period

QUESTIONS = ["Q1", "Q2", "Q5_1", "Q5_2", "Q6_1", "Q6_2", "Q20"]


def codebook(**extra):
    cb = {
        "period": "2026",
        "scale": {
            "min": 1,
            "max": 5,
            "labels": {"Strongly disagree": 1, "Disagree": 2, "Neutral": 3, "Agree": 4, "Strongly agree": 5},
            "not_applicable": ["Don't know", -99],
        },
        "respondent": {"id": "ResponseId", "partner": "Q1", "role": "Q2"},
        "principles": {
            "Trust": [
                {"item": "t1", "current": "Q5_1", "importance": "Q6_1"},
                {"item": "t2", "current": "Q5_2", "importance": "Q6_2", "reverse": True},
            ]
        },
        "comments": ["Q20"],
    }
    cb.update(extra)
    return cb


def answer(partner="Northwind", role="Manager", c1="Agree", c2="Disagree", i1="5", i2="4", comment="", **meta):
    return {"Q1": partner, "Q2": role, "Q5_1": c1, "Q5_2": c2, "Q6_1": i1, "Q6_2": i2, "Q20": comment, **meta}


def test_tidy_table_scores_and_reverse_keying(qualtrics):
    path = qualtrics(QUESTIONS, [answer(), answer(partner="Contoso", c1="strongly AGREE ", c2="Strongly agree")])
    s = read_survey(path, codebook())
    r = s.responses
    assert list(r.columns) == ["respondent", "partner", "role", "period", "principle", "item", "measure", "score"]
    assert len(r) == 8
    first = r[r["respondent"] == r["respondent"].iloc[0]].set_index(["item", "measure"])["score"]
    # "Disagree" = 2 on a reverse-keyed statement becomes 1 + 5 - 2 = 4; importance is never reversed.
    assert first.to_dict() == {
        ("t1", "current"): 4.0,
        ("t1", "importance"): 5.0,
        ("t2", "current"): 4.0,
        ("t2", "importance"): 4.0,
    }
    second = r[r["partner"] == "Contoso"].set_index(["item", "measure"])["score"]
    assert second[("t2", "current")] == 1.0 and second[("t1", "current")] == 5.0
    assert s.scale == (1.0, 5.0)
    for col in ["respondent", "partner", "role", "period", "principle", "item", "measure"]:
        assert isinstance(r[col].dtype, pd.CategoricalDtype), col
    assert r["score"].dtype == np.float64
    assert s.respondents["answered"].tolist() == [4, 4]


def test_personal_data_is_dropped_and_ids_are_pseudonyms(qualtrics):
    path = qualtrics(QUESTIONS, [answer(ResponseId="R_abc"), answer(ResponseId="R_def")])
    s = read_survey(path, codebook())
    everything = pd.concat([s.responses.astype(str), s.respondents.astype(str), s.comments.astype(str)])
    text = everything.to_csv()
    for leaked in ["198.51.100", "jane1@example.org", "Doe", "R_abc", "51.5", "EXT1"]:
        assert leaked not in text
    assert "IPAddress" in s.sources["personal_columns_dropped"].iloc[0]
    assert "IPAddress: personal-data header; " in s.sources["personal_columns_why"].iloc[0]
    assert s.respondents["respondent"].str.fullmatch(r"[0-9a-f]{12}").all()
    again = read_survey(path, codebook())
    assert again.respondents["respondent"].tolist() == s.respondents["respondent"].tolist()


def test_exclusions_are_logged_with_their_reasons(qualtrics):
    rows = [
        answer(),  # 1 kept
        answer(Status="Survey Preview"),  # 2 preview
        answer(Status="Survey Test"),  # 3 test
        answer(Finished="False", Progress="40"),  # 4 incomplete
        answer(c1="Neutral", RecipientEmail="Jane1@example.org "),  # 5 the respondent of row 1 again: row 1 goes
        answer(c1="", c2="Don't know", i1="", i2="", partner="Contoso"),  # 6 no scored answer: empty
        answer(partner="Contoso", c1="Neutral"),  # 7 kept
    ]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    # rows as a spreadsheet shows the export: three header rows, so data row k is row k + 3
    assert s.dropped[["row", "reason", "detail"]].astype({"reason": str}).values.tolist() == [
        [4, "duplicate", "same e-mail as row 8"],
        [5, "preview", ""],
        [6, "test", ""],
        [7, "incomplete", ""],
        [9, "empty", ""],
    ]
    assert len(s.respondents) == 2


def test_incomplete_can_be_kept(qualtrics):
    rows = [answer(), answer(partner="Contoso", Finished="False", Progress="40")]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook(exclude={"incomplete": False}))
    assert len(s.respondents) == 2 and s.dropped.empty


def test_not_applicable_and_blank_answers_produce_no_row(qualtrics):
    rows = [answer(c1="Don't know", c2="", i1="-99")]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    assert s.responses[["item", "measure"]].astype(str).values.tolist() == [["t2", "importance"]]
    assert sorted(s.not_applicable[["item", "measure"]].astype(str).apply(tuple, axis=1)) == [
        ("t1", "current"),
        ("t1", "importance"),
    ]


def test_numeric_codes_are_accepted_within_the_scale(qualtrics):
    s = read_survey(qualtrics(QUESTIONS, [answer(c1="3", c2="1")]), codebook())
    cur = s.responses[s.responses["measure"] == "current"].set_index("item")["score"]
    assert cur.to_dict() == {"t1": 3.0, "t2": 5.0}


def test_unknown_label_is_an_error_naming_file_row_column_value(qualtrics):
    path = qualtrics(QUESTIONS, [answer(), answer(partner="Contoso", c2="Aagree")])
    with pytest.raises(PartnerDataError) as err:
        read_survey(path, codebook())
    msg = str(err.value)
    assert f"file '{path}'" in msg and "row 5" in msg and "column 'Q5_2'" in msg and "'Aagree'" in msg
    assert "never treated as missing" in msg


def test_score_outside_the_scale_is_an_error(qualtrics):
    with pytest.raises(PartnerDataError, match=r"row 4, column 'Q6_1', value '7'.*from 1 to 5"):
        read_survey(qualtrics(QUESTIONS, [answer(i1="7")]), codebook())


def test_missing_column_lists_near_matches(qualtrics):
    cb = codebook(principles={"Trust": [{"item": "t1", "current": "Q5_l"}]})
    with pytest.raises(CodebookError, match=r"column 'Q5_l' is not in the export \(near matches: \[[^]]*'Q5_1'"):
        read_survey(qualtrics(QUESTIONS, [answer()]), cb)


def test_personal_column_in_codebook_is_explained(qualtrics):
    cb = codebook(respondent={"partner": "Q1", "attributes": ["RecipientEmail"]})
    with pytest.raises(CodebookError, match="'RecipientEmail' is personal data and is dropped"):
        read_survey(qualtrics(QUESTIONS, [answer()]), cb)


def test_partner_from_coded_values_and_constant(qualtrics):
    rows = [answer(partner="1"), answer(partner="2", c1="Neutral")]
    cb = codebook(respondent={"partner": {"column": "Q1", "values": {1: "Northwind", 2: "Contoso"}}})
    assert read_survey(qualtrics(QUESTIONS, rows), cb).respondents["partner"].tolist() == ["Northwind", "Contoso"]
    cb = codebook(respondent={"partner": {"value": "Northwind"}})
    s = read_survey(qualtrics(QUESTIONS, rows, name="b.csv"), cb)
    assert s.respondents["partner"].tolist() == ["Northwind", "Northwind"]
    assert s.respondents["role"].tolist() == ["Not stated", "Not stated"]
    cb = codebook(respondent={"partner": {"column": "Q1", "values": {1: "Northwind"}}})
    with pytest.raises(PartnerDataError, match=r"row 5, column 'Q1', value '2': not one of the codebook's"):
        read_survey(qualtrics(QUESTIONS, rows, name="c.csv"), cb)


def test_comments_are_kept_without_personal_data(qualtrics):
    rows = [answer(comment="<script>alert(1)</script> works well"), answer(partner="Contoso", c1="Neutral")]
    s = read_survey(qualtrics(QUESTIONS, rows, texts={"Q20": "Anything else?"}), codebook())
    assert s.comments[["partner", "question", "text"]].astype(str).values.tolist() == [
        ["Northwind", "Anything else?", "<script>alert(1)</script> works well"]
    ]


def test_period_rules(qualtrics):
    path = qualtrics(QUESTIONS, [answer()])
    assert read_survey(path, codebook(), period="2025").respondents["period"].tolist() == ["2025"]
    cb = codebook()
    del cb["period"]
    with pytest.raises(PartnerDataError, match="no period given"):
        read_survey(path, cb)


def test_several_periods_combine_and_select(qualtrics):
    a = qualtrics(QUESTIONS, [answer()], name="a.csv")
    b = qualtrics(QUESTIONS, [answer(), answer(partner="Contoso", c1="Neutral")], name="b.csv")
    s = read_surveys({"2025": a, "2026": b}, codebook())
    assert s.periods == ["2025", "2026"]
    assert s.respondents.groupby("period", observed=True).size().to_dict() == {"2025": 1, "2026": 2}
    only = select_period(s.responses, "2026")
    assert set(only["period"].astype(str)) == {"2026"} and len(only) == 8
    with pytest.raises(
        PartnerDataError, match=r"period '2030' is not in the data; periods present: \['2025', '2026'\]"
    ):
        select_period(s.responses, "2030")


def test_export_file_is_not_modified(qualtrics):
    path = qualtrics(QUESTIONS, [answer()])
    before = path.read_bytes(), path.stat().st_mtime_ns
    read_survey(path, codebook())
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_respondent_counts_flag_groups_below_the_minimum(qualtrics):
    rows = [answer(c1=str(k % 5 + 1), ResponseId=f"R_n{k}") for k in range(5)] + [
        answer(partner="Contoso", role="Staff", c1=str(k + 1), ResponseId=f"R_c{k}") for k in range(2)
    ]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    counts = respondent_counts(s.respondents, min_n=5)
    # Groups in category order (organisations read from a column are sorted by name).
    assert counts.astype(str).values.tolist() == [
        ["Contoso", "Staff", "2", "True"],
        ["Northwind", "Manager", "5", "False"],
    ]
    assert list(respondent_counts(s.respondents, by=["partner"]).columns) == ["partner", "respondents"]


def test_duplicates_are_the_same_respondent_never_the_same_answers(qualtrics):
    rows = [
        answer(i1="5", i2="5", c1="Strongly agree", c2="Strongly disagree"),  # 1 straight-lines (5 everywhere)
        answer(i1="5", i2="5", c1="Strongly agree", c2="Strongly disagree"),  # 2 another person, same answers: kept
        answer(ResponseId="R_0005", c1="Neutral"),  # 3 first submission of R_0005: replaced by row 5
        answer(ExternalReference="EXT2", c1="Disagree"),  # 4 the panel member of row 2 again, later: row 2 goes
        answer(c1="Agree"),  # 5 R_0005's last finished submission: kept
        answer(ResponseId="R_0005", Finished="False", Progress="50"),  # 6 unfinished, later: stays incomplete
        answer(ResponseId="R_0005", c1="", c2="", i1="", i2=""),  # 7 no scored answer: empty wins
    ]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    assert s.dropped[["row", "reason", "detail"]].astype({"reason": str}).values.tolist() == [
        [5, "duplicate", "same external reference as row 7"],
        [6, "duplicate", "same response id as row 8"],
        [9, "incomplete", ""],
        [10, "empty", ""],
    ]
    assert len(s.respondents) == 3  # rows 4, 7, 8
    # Without the fix, rows 4 and 5 (equal answers) were one "duplicate": two people who agree are two people.
    mean = s.responses.query("item == 't1' and measure == 'current'")["score"].mean()
    assert mean == pytest.approx((5 + 2 + 4) / 3)


def test_identical_answers_and_straight_lining_are_warnings_with_counts(qualtrics):
    same = {"i1": "5", "i2": "5", "c1": "Strongly agree", "c2": "Strongly disagree"}  # 5 on all four (c2 reversed)
    rows = [answer(**same), answer(**same), answer(**same, partner="Contoso"), answer(c1="Neutral")]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    assert s.dropped.empty and len(s.respondents) == 4
    w = s.warnings.astype({"warning": str})
    assert w[["row", "warning"]].values.tolist() == [
        [4, "identical answers"], [4, "straight-lining"], [5, "identical answers"], [5, "straight-lining"],
        [6, "identical answers"], [6, "straight-lining"],
    ]  # fmt: skip
    assert w["detail"].iloc[0] == "3 responses give these answers (rows 4, 5, 6)"
    assert w["detail"].iloc[1] == "5 to all 4 statements"
    assert quality_summary(s.warnings, s.periods).values.tolist() == [
        ["2026", "identical answers", 3, "4, 5, 6"],
        ["2026", "straight-lining", 3, "4, 5, 6"],
    ]


def test_anonymous_identity_cells_identify_nobody(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text(
        "ID,Start time,Completion time,Email,Name,Organisation,Trust\n"
        "1,2026-03-01 10:00:00,2026-03-01 10:05:00,anonymous,,Contoso,Agree\n"
        "2,2026-03-01 10:01:00,2026-03-01 10:06:00,anonymous,,Contoso,Agree\n"
        "3,2026-03-01 10:02:00,2026-03-01 10:07:00,a@example.org,,Contoso,Agree\n"
        "3,2026-03-01 10:02:00,2026-03-01 10:07:00,a@example.org,,Contoso,Agree\n"
    )
    cb = {"period": "2026", "scale": {"min": 1, "max": 5, "labels": {"Agree": 4}}, "respondent": {"id": "ID",
          "partner": "Organisation"}, "principles": {"Trust": [{"item": "t", "current": "Trust"}]}}  # fmt: skip
    s = read_survey(path, cb)
    assert len(s.respondents) == 3
    assert s.dropped[["row", "reason", "detail"]].astype(str).values.tolist() == [
        ["4", "duplicate", "same response id as row 5"]
    ]


def test_blank_role_is_not_stated_and_blank_partner_is_an_error(qualtrics):
    rows = [
        answer(role=" Staff\u00a0 "),
        answer(partner="Contoso", role="", c1="Neutral"),
        answer(partner=" Contoso", role="Manager  ", c1="Agree", c2="Agree"),
    ]
    s = read_survey(qualtrics(QUESTIONS, rows), codebook())
    # White space is tidied; a blank role is "Not stated", listed last.
    assert s.respondents["role"].astype(str).tolist() == ["Staff", "Not stated", "Manager"]
    assert list(s.respondents["role"].cat.categories) == ["Manager", "Staff", "Not stated"]
    assert list(s.respondents["partner"].cat.categories) == ["Contoso", "Northwind"]
    rows = [answer(), answer(partner="  ", c1="Neutral")]
    expected = (
        r"row 5, column 'Q1': blank organisation \(partner\); every kept "
        r"response needs the respondent's organisation"
    )
    with pytest.raises(PartnerDataError, match=expected):
        read_survey(qualtrics(QUESTIONS, rows, name="b.csv"), codebook())


def test_one_group_spelled_two_ways_is_an_error_until_the_codebook_maps_it(qualtrics):
    rows = [answer(), answer(partner="contoso ", c1="Neutral"), answer(partner="Contoso", c1="Agree", c2="Agree")]
    path = qualtrics(QUESTIONS, rows)
    expected = (
        r"column 'Q1': the organisation \(partner\) is written in more than "
        r"one way \['Contoso', 'contoso'\]; expected one spelling per group"
    )
    with pytest.raises(PartnerDataError, match=expected):
        read_survey(path, codebook())
    cb = codebook(respondent={"partner": {"column": "Q1", "values": {"contoso": "Contoso", "Northwind": "Northwind"}}})
    assert read_survey(path, cb).respondents["partner"].astype(str).tolist() == ["Northwind", "Contoso", "Contoso"]
