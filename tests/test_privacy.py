"""Personal-data detection, dropping and pseudonymisation."""

import hashlib

import pandas as pd
import pytest

from partnerlib.io.privacy import drop_personal_data, identity_hashes, is_personal, personal_content, pseudonymise


@pytest.mark.parametrize(
    "header",
    [
        "IPAddress",
        "IP Address",
        "ipaddr",
        "RecipientEmail",
        "RecipientFirstName",
        "Email Address",
        "E-Mail-Adresse",
        "Email",
        "Name",
        "First Name",
        "LastName",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "Longitude",
        "Network ID",
        "PROLIFIC_PID",
        "Dirección de correo electrónico",
        "メールアドレス",
    ],
)
def test_personal_headers(header):
    assert is_personal(header)


@pytest.mark.parametrize(
    "header",
    [
        "Q1",
        "Q5_1",
        "Organisation",
        "Which organisation do you work for?",
        "Custom Data 1",
        "Respondent ID",
        "Timestamp",
        "Role",
        "Namespace",
    ],
)
def test_non_personal_headers(header):
    assert not is_personal(header)


def test_drop_personal_data_by_header_and_by_position():
    frame = pd.DataFrame({"Q1": ["a"], "Email": ["x@example.org"], "名前": ["山田"], "Q2": ["b"]})
    kept, dropped = drop_personal_data(frame, also=["名前"])
    assert list(kept.columns) == ["Q1", "Q2"] and list(dropped) == ["Email", "名前"]
    assert dropped == {"Email": "personal-data header", "名前": "the platform's personal-data column"}


def test_pseudonyms_are_keyed_hashes():
    ids = pd.Series(["R_1", "R_2"], index=[5, 6])
    out = pseudonymise(ids, b"salt")
    assert out.index.tolist() == [5, 6]
    assert out.tolist() == [
        hashlib.blake2b(b"R_1", key=b"salt", digest_size=6).hexdigest(),
        hashlib.blake2b(b"R_2", key=b"salt", digest_size=6).hexdigest(),
    ]
    assert out.str.fullmatch(r"[0-9a-f]{12}").all()
    assert pseudonymise(ids, b"other").tolist() != out.tolist()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Mail me: jo.smith+partner@contoso-logistics.example", "Mail me: [e-mail address removed]"),
        ("Call +44 20 7946 0958 any time", "Call [phone number removed] any time"),
        ("(555) 123-4567, ask for Jo", "[phone number removed], ask for Jo"),
        ("ring 0171-555 1234!", "ring [phone number removed]!"),
        ("Budget 2025-2026 went up 1,150,000 (12%)", "Budget 2025-2026 went up 1,150,000 (12%)"),
        ("ext 12345 and room 4.02", "ext 12345 and room 4.02"),
    ],
)
def test_contact_details_in_comments_are_masked_and_nothing_else(text, shown):
    from partnerlib.io.privacy import mask_contact_details

    assert mask_contact_details(pd.Series([text], dtype="str")).tolist() == [shown]


def test_comments_are_read_with_contact_details_masked(tmp_path):
    from partnerlib import read_survey

    from .conftest import write_qualtrics

    rows = [{"ORG": "A", "Q1_1": "Agree", "Q9": "Email jo@contoso.example or call 020 7946 0958."}]
    path = write_qualtrics(tmp_path / "export.csv", ["ORG", "Q1_1", "Q9"], rows)
    codebook = {
        "scale": {"min": 1, "max": 5, "labels": {"Disagree": 2, "Agree": 4}},
        "respondent": {"partner": {"column": "ORG"}},
        "principles": {"Trust": [{"current": "Q1_1"}]},
        "comments": ["Q9"],
    }
    survey = read_survey(path, codebook, period="2026")
    assert survey.comments["text"].tolist() == ["Email [e-mail address removed] or call [phone number removed]."]


def test_the_digest_a_render_record_publishes_does_not_key_the_pseudonyms(tmp_path):
    """Without a codebook salt, the key is a digest of the export; render.json publishes the export's SHA-256,
    so that digest must not be the key: holding the reports, nobody can map a known ResponseId to its pseudonym."""
    import csv

    from partnerlib import read_survey
    from partnerlib.render.cache import _sha256

    from .conftest import SAMPLE

    export = SAMPLE / "survey_2026.csv"
    survey = read_survey(export, SAMPLE / "codebook.yml", period="2026")
    published = bytes.fromhex(_sha256(export.read_bytes()))
    with open(export, newline="", encoding="utf-8-sig") as fh:
        ids = [row["ResponseId"] for row in csv.DictReader(fh)][2:]  # after the two further header rows
    guessed = set(pseudonymise(pd.Series(ids, dtype="str"), published))
    assert len(survey.respondents) > 50 and not guessed & set(survey.respondents["respondent"].astype(str))
    # and the key is still a function of the export alone: a second read gives the same pseudonyms
    again = read_survey(export, SAMPLE / "codebook.yml", period="2026")
    assert again.respondents["respondent"].tolist() == survey.respondents["respondent"].tolist()


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["203.0.113.9", "198.51.100.23", "2001:db8::8a2e:370:7334", ""], "IP addresses"),
        (["ann@example.org", "bo.li@example.co.uk", None], "e-mail addresses"),
        (["+44 20 7946 0958", "(212) 555-0187", "0049 30 1234567"], "phone numbers"),
    ],
)
def test_personal_data_is_found_by_content_whatever_the_header(values, kind):
    # A Chinese platform's 来自IP column ("from IP") was kept: its header is no English field name.
    frame = pd.DataFrame({"Q1": ["a", "b", "c", "d"][: len(values)], "来自": values})
    assert personal_content(frame["来自"]) == kind
    kept, why = drop_personal_data(frame)
    assert list(kept.columns) == ["Q1"] and why == {"来自": f"holds {kind}"}


@pytest.mark.parametrize(
    "values",
    [
        ["3292879998", "3292879989", "3292765432"],  # SurveyMonkey respondent ids: bare digits are ids
        ["2026-03-01 10:00:00", "2026-03-02 11:00:00"],
        ["5", "4", "3"],
        ["$50,000 - $99,999", "$25,000 - $49,999"],
        ["Contact me at ann@example.org please", "no"],  # a comment mentioning an address is masked, not dropped
    ],
)
def test_ordinary_answers_are_not_personal_by_content(values):
    assert personal_content(pd.Series(values)) is None


@pytest.mark.parametrize("header", ["IP-Adresse", "Adresse IP", "E-Mail-Adresse", "Nombre", "Prénom", "来自IP",
                                    "Teléfono", "Courriel", "token", "Access code"])  # fmt: skip
def test_localised_personal_headers(header):
    assert is_personal(header)


def test_a_long_consent_question_mentioning_email_is_not_a_personal_column():
    consent = "Do you agree that we may contact you by e-mail about the results of this survey?"
    assert not is_personal(consent)
    kept, why = drop_personal_data(pd.DataFrame({consent: ["Yes", "No"]}))
    assert list(kept.columns) == [consent] and why == {}


def test_identity_fields_are_hashed_for_comparison_only():
    frame = pd.DataFrame({"Email": ["A@x.org ", "a@x.org", "anonymous", None], "token": ["t1", "t2", "t1", "t3"]})
    ids = identity_hashes(frame, ["Email", "token"])
    assert list(ids.columns) == ["e-mail", "recipient"]
    assert ids["e-mail"].iloc[0] == ids["e-mail"].iloc[1] and ids["e-mail"].iloc[2:].isna().all()
    assert ids["recipient"].iloc[0] == ids["recipient"].iloc[2] != ids["recipient"].iloc[1]
    assert "a@x.org" not in ids.to_csv() and "t1" not in ids.to_csv()
