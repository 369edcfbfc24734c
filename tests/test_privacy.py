"""Personal-data detection, dropping and pseudonymisation."""

import hashlib

import pandas as pd
import pytest

from partnerlib.io.privacy import drop_personal_data, is_personal, pseudonymise


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
    assert list(kept.columns) == ["Q1", "Q2"] and dropped == ["Email", "名前"]


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
