"""The method's numbers and the input limits: values of another type are refused, never converted."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from partnerlib import Method
from partnerlib.settings import LIMITS, Limits


@pytest.mark.parametrize(
    "change, message",
    [
        ({"top": True}, "top\n  Input should be a valid integer"),  # before: read as 1
        ({"min_n": "7"}, "min_n\n  Input should be a valid integer"),  # before: read as 7
        ({"min_n": 7.5}, "min_n\n  Input should be a valid integer"),
        ({"allow_small_groups": "yes"}, "allow_small_groups\n  Input should be a valid boolean"),
        ({"confidence": "0.9"}, "confidence\n  Input should be a valid number"),
    ],
)
def test_method_values_of_another_type_are_refused(change, message):
    with pytest.raises(ValidationError, match=message):
        Method(**change)


def test_whole_numbers_are_numbers_and_the_limits_are_in_one_place():
    assert Method(confidence=1 - 0.1, difference_threshold=1).difference_threshold == 1.0
    assert Method(min_n=8).with_(top=5).top == 5
    assert Limits() == LIMITS
    assert (LIMITS.max_yaml_bytes, LIMITS.max_yaml_nodes, LIMITS.max_yaml_depth) == (10 * 1024**2, 200_000, 50)
    assert (LIMITS.max_name_chars, LIMITS.max_value_text) == (100, 200)
