"""likert_counts against hand counts."""

import pandas as pd
import pytest

from partnerlib import Method, PartnerDataError, likert_counts
from partnerlib.analysis.likert import point_columns

from .conftest import tidy

# fmt: off
ROWS = tidy([
    ("r1", "A", "P", "a", "current", 5), ("r1", "A", "P", "b", "current", 4),
    ("r2", "A", "P", "a", "current", 5), ("r2", "A", "P", "b", "current", 1),
    ("r3", "B", "P", "a", "current", 3),
    ("r1", "A", "P", "a", "importance", 2),
])
NOT_APPLICABLE = pd.DataFrame({"respondent": ["r3", "r4"], "partner": ["B", "B"], "principle": ["P", "P"],
                               "item": ["b", "b"], "measure": ["current", "current"]}).astype("category")
# fmt: on


def test_counts_per_statement_with_not_applicable_apart():
    c = likert_counts(
        ROWS, not_applicable=NOT_APPLICABLE, scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)
    ).set_index("item")
    assert point_columns(c) == ["1", "2", "3", "4", "5"]
    assert c.loc["a", ["1", "2", "3", "4", "5"]].tolist() == [0, 0, 1, 0, 2]
    assert c.loc["b", ["1", "2", "3", "4", "5"]].tolist() == [1, 0, 0, 1, 0]
    assert c.loc["a", "not applicable"] == 0 and c.loc["b", "not applicable"] == 2
    assert (c.loc["a", "n"], c.loc["a", "answers"]) == (3, 3)
    assert (c.loc["b", "n"], c.loc["b", "answers"]) == (2, 2)


def test_counts_per_principle_and_importance():
    c = likert_counts(ROWS, level="principle", scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)).iloc[0]
    assert [c[p] for p in "12345"] == [1, 0, 1, 1, 2] and c["n"] == 3 and c["answers"] == 5
    imp = likert_counts(ROWS, measure="importance", scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)).iloc[
        0
    ]
    assert imp["item"] == "a" and [imp[p] for p in "12345"] == [0, 1, 0, 0, 0]


def test_groups_below_minimum_are_hidden_with_their_complement():
    rows = []
    for g, size in {"A": 3, "B": 2, "C": 4}.items():
        rows += [(f"{g}{i}", g, "P", "a", "current", 3) for i in range(size)]
    c = likert_counts(
        tidy(rows), by="partner", scale=(1, 5), method=Method(min_n=3, allow_small_groups=True)
    ).set_index("partner")
    # B (2) is below 3; A (3) is the next smallest and is hidden too, else B = total - A - C
    assert c["suppressed"].to_dict() == {"A": True, "B": True, "C": False}
    assert c.loc[["A", "B"], ["3", "n", "answers"]].isna().all().all()
    assert c.loc["C", "3"] == 4


def test_seven_point_scale_has_seven_columns():
    rows = tidy([(f"r{i}", "A", "P", "a", "current", v) for i, v in enumerate([7, 6, 6, 1, 4])])
    c = likert_counts(rows, scale=(1, 7), method=Method(min_n=1, allow_small_groups=True)).iloc[0]
    assert c.index.tolist()[c.index.get_loc("1") : c.index.get_loc("7") + 1] == list("1234567")
    assert [c[p] for p in "1234567"] == [1, 0, 0, 1, 0, 2, 1]


def test_fractional_score_is_an_error_naming_it():
    with pytest.raises(PartnerDataError, match=r"score 2\.5 \(a\) is not a whole point of the scale 1-5"):
        likert_counts(
            tidy([("r1", "A", "P", "a", "current", 2.5)]), scale=(1, 5), method=Method(min_n=1, allow_small_groups=True)
        )
