"""The Qualtrics reader on the real public samples in ../shared/samples."""

import pytest

from partnerlib import read_survey
from partnerlib.io.readers import read_export

from .conftest import SHARED_SAMPLES

needs_samples = pytest.mark.skipif(not (SHARED_SAMPLES / "qualtrics").is_dir(), reason="../shared/samples absent")


@needs_samples
def test_three_row_sample_german_numeric():
    ex = read_export(SHARED_SAMPLES / "qualtrics" / "sample.csv")
    assert ex.format == "qualtrics" and ex.details["layout"] == "three header rows"
    assert len(ex.data) == 1 and ex.meta["row"].tolist() == [4]
    assert ex.data.loc[0, "Q1"] == "2" and ex.data.loc[0, "Q2"] == "Hello World!"
    assert ex.questions["Q1"] == "This is a multiple choice question."
    assert not ex.meta["preview"].any() and ex.meta["finished"].all()
    for personal in ["IPAddress", "RecipientEmail", "LocationLatitude", "LocationLongitude", "ExternalReference"]:
        assert personal not in ex.data.columns and personal in ex.personal_columns


@needs_samples
def test_legacy_sample_with_trailing_comma():
    ex = read_export(SHARED_SAMPLES / "qualtrics" / "sample_legacy.csv")
    assert ex.details["layout"] == "legacy two header rows"
    assert "ResponseID" in ex.data.columns and "Q1" in ex.data.columns
    assert ex.data.loc[0, "Q1"] == "2"
    assert not {"IPAddress", "EmailAddress", "Name", "LocationLatitude"} & set(ex.data.columns)
    assert ex.data.shape[1] == 8  # trailing empty column removed; personal columns gone


@needs_samples
def test_read_survey_on_the_real_sample():
    cb = {
        "period": "2017",
        "scale": {"min": 1, "max": 5},
        "respondent": {"id": "ResponseId", "partner": {"value": "Northwind"}},
        "principles": {"Trust": [{"item": "t1", "current": "Q1"}]},
        "comments": ["Q2"],
    }
    s = read_survey(SHARED_SAMPLES / "qualtrics" / "sample.csv", cb)
    assert s.responses["score"].tolist() == [2.0]
    assert s.comments["text"].tolist() == ["Hello World!"]
