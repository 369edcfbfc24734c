import pytest

from partnerlib import CodebookError, load_codebook
from partnerlib.io.codebook import normalise_label

BASE = {
    "scale": {"min": 1, "max": 5, "labels": {"Agree": 4}, "not_applicable": ["Don't know"]},
    "respondent": {"partner": "Q1"},
    "principles": {"Trust": [{"item": "t1", "current": "Q5_1", "importance": "Q6_1"}]},
}


def with_(**changes):
    cb = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    cb.update(changes)
    return cb


def test_labels_are_matched_without_case_or_spacing():
    cb = load_codebook(BASE)
    assert cb.labels == {"agree": 4.0}
    assert normalise_label("  AGREE\u00a0") == "agree"
    assert "don't know" in cb.not_applicable
    assert cb.scale == (1.0, 5.0)
    assert cb.exclude_previews and cb.exclude_incomplete


def test_partner_three_forms():
    assert load_codebook(with_(respondent={"partner": "Q1"})).partner.column == "Q1"
    spec = load_codebook(
        with_(respondent={"partner": {"column": "Q1", "values": {1: "Northwind", 2: "Contoso"}}})
    ).partner
    assert spec.values == {"1": "Northwind", "2": "Contoso"}
    assert load_codebook(with_(respondent={"partner": {"value": "Northwind"}})).partner.value == "Northwind"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"scale": {"min": 5, "max": 1}}, "min (5) must be below max (1)"),
        ({"scale": {"min": 1}}, "scale: missing 'max' (the highest scale point)"),
        ({"scale": {"min": 1, "max": 5, "labels": {"Agree": 7}}}, "scale: label 'Agree': 7 is outside the scale 1-5"),
        ({"respondent": {"role": "Q2"}}, "respondent: missing 'partner' (the column holding the respondent's"),
        (
            {"respondent": {"partner": {"column": "Q1", "value": "X"}}},
            "respondent.partner: give exactly one of 'column'",
        ),
        ({"respondent": {"partner": 5}}, "respondent.partner: expected a column name, {column: ..., values: ...}"),
        ({"principles": {"Trust": []}}, "principles.Trust: expected a non-empty list"),
        (
            {"principles": {"Trust": [{"item": "t1"}]}},
            "principles.Trust[1]: needs a 'current' or an 'importance' column",
        ),
        (
            {"principles": {"Trust": [{"item": "t1", "curent": "Q5_1"}]}},
            "principles.Trust[1]: unknown keys ['curent']; expected some of ['current', 'importance', 'item',",
        ),
        (
            {"principles": {"Trust": [{"item": "t1", "current": "Q5_1", "reverse": "no"}]}},
            "principles.Trust[1].reverse: expected true or false, got 'no'",
        ),
        (
            {"principles": {"Trust": [{"item": "t", "current": "A"}], "Respect": [{"item": "t", "current": "B"}]}},
            "item name 't' is used twice",
        ),
        ({"colour": "blue"}, "top level: unknown keys ['colour']; expected some of ['comments',"),
        # a final newline (or any line break or outer space) in a name or period made a group of its own
        ({"period": "2026\n"}, "codebook period: '2026\\n': expected a name of at most 100 characters without line"),
        ({"principles": {"Trust\n": [{"current": "A"}]}}, "principles: principle 'Trust\\n': expected a name"),
        ({"principles": {"T": [{"item": "t1\n", "current": "A"}]}}, "principles.T[1].item: 't1\\n': expected a name"),
        # silently wrong results before: the last of two labels (or codes) that read the same won
        (
            {"scale": {"min": 1, "max": 5, "labels": {"Agree": 4, " agree": 5}}},
            "scale: labels 'Agree' (4) and ' agree' (5) are the same answer (case and spaces are ignored) with two",
        ),
        (
            {"respondent": {"partner": {"column": "Q1", "values": {1: "Northwind", "1": "Contoso"}}}},
            "respondent.partner: values: codes 1 and '1' are the same answer (case and spaces are ignored) with two",
        ),
        # silently wrong results before: the answer counted as not applicable, never as the scale point
        (
            {"scale": {"min": 1, "max": 5, "labels": {"Neutral": 3}, "not_applicable": [" NEUTRAL"]}},
            "scale: not_applicable answer ' NEUTRAL' is also the scale label 'Neutral'",
        ),
        (
            {"scale": {"min": 1, "max": 5, "not_applicable": [3]}},
            "scale: not_applicable answer 3 is a point of the scale 1-5; expected a code outside the scale (e.g. 6)",
        ),
        # reversing an importance rating was silently ignored
        (
            {"principles": {"Trust": [{"item": "t1", "importance": "Q6_1", "reverse": True}]}},
            "principles.Trust[1]: reverse: true on a statement with only an 'importance' column",
        ),
        # one column under two statements counted the same answers twice
        (
            {"principles": {"Trust": [{"current": "Q5_1"}], "Respect": [{"current": "Q5_1 "}]}},
            "principles.Respect[1].current: column 'Q5_1' is already principles.Trust[1].current",
        ),
        (
            {"principles": {"Trust": [{"current": "Q5_1", "importance": "Q5_1"}]}},
            "principles.Trust[1].importance: column 'Q5_1' is already principles.Trust[1].current",
        ),
        ({"respondent": {"partner": "Q1", "attributes": ["score"]}}, "clash with the tidy table's own columns"),
    ],
)
def test_errors_name_the_key_and_what_was_expected(changes, message):
    with pytest.raises(CodebookError) as err:
        load_codebook(with_(**changes))
    assert message in str(err.value)
    assert str(err.value).startswith("codebook ")


def test_yaml_file_errors_name_the_file(tmp_path):
    path = tmp_path / "cb.yml"
    path.write_text("scale: [1, 5\n")
    with pytest.raises(CodebookError, match=r"cb.yml'.*not valid YAML"):
        load_codebook(path)
    with pytest.raises(CodebookError, match=r"missing.yml': codebook not found"):
        load_codebook(tmp_path / "missing.yml")


def test_not_applicable_codes_outside_the_scale_are_kept():
    cb = load_codebook(with_(scale={"min": 1, "max": 5, "labels": {"Agree": 4}, "not_applicable": [6, "N/A"]}))
    assert cb.not_applicable == frozenset({"6", "n/a"})
