"""The workshop's selections and anonymity guard, on a hand-built table of respondents."""

import numpy as np
import pandas as pd
import pytest

from partnerlib import PartnerDataError
from partnerlib.workshop.filters import (
    ALL,
    active,
    check_disclosure,
    differencing_message,
    filter_options,
    select,
    too_few_message,
)

#: Organisation A: 6 executives, 10 managers, 12 operational; B: 3, 9, 12 (52 in all).
GROUPS = {
    ("A", "Executive"): 6,
    ("A", "Manager"): 10,
    ("A", "Operational"): 12,
    ("B", "Executive"): 3,
    ("B", "Manager"): 9,
    ("B", "Operational"): 12,
}


@pytest.fixture
def respondents():
    rows = [(p, r) for (p, r), n in GROUPS.items() for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["partner", "role"])
    frame["partner"] = pd.Categorical(frame["partner"], categories=["B", "A", "C"])
    frame["role"] = pd.Categorical(frame["role"], categories=["Executive", "Manager", "Operational"])
    frame["respondent"] = [f"r{i}" for i in range(len(frame))]
    frame.attrs["scale"] = (1, 5)
    return frame


def test_messages_say_what_the_minimum_is():
    assert too_few_message(5) == "Too few responses to show (n < 5)"
    assert too_few_message(10) == "Too few responses to show (n < 10)"
    assert differencing_message(5).startswith("Too few responses to show (n < 5 left out by this filter)")


def test_active_drops_filters_that_keep_everyone():
    assert active({"partner": ALL, "role": "Manager", "site": None, "x": ""}) == {"role": "Manager"}
    assert active(None) == {}


def test_filter_options_follow_category_order_and_skip_absent_values(respondents):
    options = filter_options(respondents, ["partner", "role"])
    assert options == {"partner": ["All", "B", "A"], "role": ["All", "Executive", "Manager", "Operational"]}


def test_filter_options_name_a_missing_column(respondents):
    with pytest.raises(PartnerDataError, match=r"lacks filter columns \['site'\]"):
        filter_options(respondents, ["partner", "site"])


def test_select_keeps_matching_rows_and_attrs(respondents):
    out = select(respondents, {"partner": "A", "role": "Manager"})
    assert len(out) == 10
    assert set(out["partner"].astype(str)) == {"A"} and set(out["role"].astype(str)) == {"Manager"}
    assert out.attrs["scale"] == (1, 5)
    assert len(select(respondents, {"partner": ALL})) == 52
    assert len(select(respondents, {"partner": "C"})) == 0


def test_select_names_an_unknown_column(respondents):
    with pytest.raises(PartnerDataError, match="cannot filter on 'site'"):
        select(respondents, {"site": "Leeds"})


def test_everyone_and_one_organisation_are_shown_with_their_counts(respondents):
    assert check_disclosure(respondents, {}).n == 52
    verdict = check_disclosure(respondents, {"partner": "A"})
    assert verdict.ok and verdict.n == 28 and verdict.message == ""


def test_group_below_minimum_shows_only_the_message(respondents):
    verdict = check_disclosure(respondents, {"partner": "B", "role": "Executive"})
    assert not verdict.ok
    assert verdict.n is None
    assert verdict.message == "Too few responses to show (n < 5)"
    # with a minimum of 3 the same three executives may be shown... unless differencing reveals A's
    assert check_disclosure(respondents, {"partner": "B", "role": "Executive"}, min_n=3).ok


def test_group_whose_remainder_is_small_is_refused(respondents):
    # A's 6 executives are above the minimum, but "all executives" (9) is shown too: 9 - 6 = 3 would be B's.
    verdict = check_disclosure(respondents, {"partner": "A", "role": "Executive"})
    assert not verdict.ok and verdict.message == differencing_message(5)
    # the rule against the whole period: "not executives" would be 52 - 9; "A" alone leaves 24 out: fine
    assert check_disclosure(respondents, {"partner": "A"}).ok
    # ... while with a minimum of 25 the 24 left out of "A" are too few to be inferred safely
    assert check_disclosure(respondents, {"partner": "A"}, min_n=25).message == differencing_message(25)


def test_remainder_of_zero_is_no_disclosure():
    frame = pd.DataFrame({"partner": pd.Categorical(["A"] * 7), "role": pd.Categorical(["Manager"] * 7)})
    verdict = check_disclosure(frame, {"partner": "A", "role": "Manager"})
    assert verdict.ok and verdict.n == 7


def test_split_checks_each_compared_group(respondents):
    managers = check_disclosure(respondents, {"role": "Manager"}, split="partner")
    assert managers.ok and managers.n == 19
    executives = check_disclosure(respondents, {"role": "Executive"}, split="partner")
    assert not executives.ok and executives.message == too_few_message(5)
    assert check_disclosure(respondents, {}, split="partner").ok
    # without the split, the 9 executives together may be shown
    assert check_disclosure(respondents, {"role": "Executive"}).n == 9


def test_guard_counts_three_filters_on_many_respondents():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({c: pd.Categorical(rng.choice(list("abcd"), 5000)) for c in ["w", "x", "y", "z"]})
    verdict = check_disclosure(frame, {"w": "a", "x": "b", "y": "c"})
    expected = int(((frame["w"] == "a") & (frame["x"] == "b") & (frame["y"] == "c")).sum())
    assert verdict.n == expected
