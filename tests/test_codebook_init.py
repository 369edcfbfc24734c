"""`partnerlib codebook init`: a starting codebook listing every question column, written atomically."""

import pytest
import yaml

from partnerlib import CodebookError, PartnerDataError, load_codebook, read_survey
from partnerlib.cli import main
from partnerlib.io.codebook_init import draft_codebook
from partnerlib.io.readers import read_export

from .conftest import FIXTURES


def test_draft_lists_columns_texts_and_answers_seen():
    draft = draft_codebook(read_export(FIXTURES / "qualtrics_choice_text.csv"))
    assert draft["questions"]["Q5_1"] == {
        "text": "Current - We keep our promises",
        "answers": {"Agree": 2, "Disagree": 1, "Strongly disagree": 1},
    }
    assert draft["questions"]["Q5_2"]["answers"] == {"4 - Agree": 1, "Agree": 1, "2 - Disagree": 1}
    assert draft["metadata"] == ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished",
                                 "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]  # fmt: skip
    # Known labels are filled in; "4 - Agree" is not guessed.
    assert draft["scale"]["labels"] == {"Agree": 4, "Disagree": 2, "Strongly disagree": 1}
    assert draft["respondent"] == {"id": "ResponseId", "partner": None, "role": None}
    assert draft["principles"] == {}


def test_free_text_is_counted_not_copied(tmp_path):
    path = tmp_path / "g.csv"
    long = "We should meet every month, with both leadership teams in the room"
    rows = [f"9/27/2022 11:{i:02d}:00,Agree,comment number {i}" for i in range(13)] + [
        f'9/27/2022 12:00:00,Agree,"{long}"'
    ]
    path.write_text("Timestamp,Trust,Comments\n" + "\n".join(rows) + "\n")
    draft = draft_codebook(read_export(path))
    assert draft["questions"]["Comments"]["answers"] == {"(14 other answers, free text or rare: not listed)": 14}
    assert draft["questions"]["Trust"]["answers"] == {"Agree": 14}


def test_a_respondents_own_words_never_reach_the_draft_but_scale_labels_do(tmp_path):
    # A name typed into a short id-like field by one respondent was listed verbatim (any column with up to 12
    # distinct answers was); a recurring scale label longer than 40 characters was hidden as free text.
    neutral = "Neither favorably nor unfavorably (neutral)"
    path = tmp_path / "g.csv"
    lines = ["Timestamp,Employee code,Han Solo,Rating"]
    for i in range(12):
        code = "Maria Gonzalez" if i == 0 else f"{i:03d}"
        view = neutral if i < 6 else ("Very favorably" if i < 11 else "Somewhat unfavorably")
        lines.append(f"9/27/2022 11:{i:02d}:00,{code},{view},{'4 - Agree' if i else '2'}")
    path.write_text("\n".join(lines) + "\n")
    draft = draft_codebook(read_export(path))
    text = str(draft)
    assert "Maria" not in text and "Somewhat unfavorably" not in text  # given by fewer than 5 respondents
    assert draft["questions"]["Han Solo"]["answers"] == {
        neutral: 6,
        "Very favorably": 5,
        "(1 other answers, free text or rare: not listed)": 1,
    }
    assert draft["questions"]["Rating"]["answers"] == {"4 - Agree": 11, "2": 1}  # numbers and numbered labels
    assert draft["questions"]["Employee code"]["answers"]["(1 other answers, free text or rare: not listed)"] == 1


@pytest.mark.parametrize(
    ("header", "rest", "expected"),
    [
        ("id,submitdate,lastpage,startlanguage,Q1", "1,2024-05-01,2,en,A", "id"),
        ("Response ID,Date submitted,Last page,Start language,Q1", "1,2024-05-01,2,en,A", "Response ID"),
        ("#,Q1,Start Date (UTC),Submit Date (UTC),Network ID", "abc,A,2018-01-01,2018-01-01,n1", "#"),
        ("Response ID,Time Started,Date Submitted,Status,Q1", "7,2016-01-01,2016-01-01,Complete,A", "Response ID"),
        ("ID,Start time,Completion time,Email,Name,Q1", "1,2026-03-01 10:00,2026-03-01 10:05,anonymous,,A", "ID"),
    ],
)
def test_response_id_is_pre_filled_for_every_platform(tmp_path, header, rest, expected):
    path = tmp_path / "e.csv"
    path.write_text(f"{header}\n{rest}\n")
    assert draft_codebook(read_export(path))["respondent"]["id"] == expected


def test_cli_writes_yaml_that_becomes_a_codebook_once_principles_are_filled(tmp_path, capsys):
    out = tmp_path / "cb.yml"
    assert main(["codebook", "init", str(FIXTURES / "surveymonkey.csv"), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text()
    assert text.startswith("# Starting codebook written by `partnerlib codebook init` from 'surveymonkey.csv'")
    assert "ann@example.org" not in text and "198.51.100" not in text  # personal data never reaches the draft
    raw = yaml.safe_load(text)
    with pytest.raises(CodebookError, match=r"respondent\.partner: expected a column name"):
        load_codebook(raw)  # unfinished on purpose: the consultant chooses the columns
    well = "How well do we live these principles? | Trust"
    raw.update(period="2023", principles={"Trust": [{"item": "trust", "current": well}]})
    raw["respondent"]["partner"] = "Which organisation do you work for?"
    s = read_survey(FIXTURES / "surveymonkey.csv", raw)
    assert s.responses["score"].tolist() == [4.0, 2.0, 3.0]


def test_cli_never_writes_over_the_export_or_an_existing_file(tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_bytes((FIXTURES / "google_forms.csv").read_bytes())
    before = export.read_bytes()
    assert main(["codebook", "init", str(export), "--out", str(export), "--force"]) == 2
    assert "is the export itself; an export is only read" in capsys.readouterr().err
    assert export.read_bytes() == before
    out = tmp_path / "cb.yml"
    out.write_text("mine\n")
    assert main(["codebook", "init", str(export), "--out", str(out)]) == 2
    assert f"file '{out}': already exists" in capsys.readouterr().err and out.read_text() == "mine\n"
    assert main(["codebook", "init", str(export), "--out", str(out), "--force"]) == 0
    assert "Timestamp" in yaml.safe_load(out.read_text())["metadata"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cb.yml", "export.csv"]  # no temporary file left


def test_cli_default_output_is_beside_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["codebook", "init", str(FIXTURES / "microsoft_forms.csv")]) == 0
    draft = yaml.safe_load((tmp_path / "microsoft_forms.codebook.yml").read_text())
    assert draft["respondent"]["id"] == "ID"
    assert list(draft["questions"]) == ["Organisation", "Role", "We keep our promises to each other",
                                        "We share bad news early", "Which topics?"]  # fmt: skip
    assert draft["scale"]["not_applicable"] == ["N/A"]


def test_cli_unreadable_export_is_one_message(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("nothing here\n")
    assert main(["codebook", "init", str(path), "--out", str(tmp_path / "x.yml")]) == 2
    assert "notes.txt', row 1: the first line has no ',', ';' or tab delimiter" in capsys.readouterr().err
    assert not (tmp_path / "x.yml").exists()
    with pytest.raises(PartnerDataError):
        draft_codebook(read_export(path))
