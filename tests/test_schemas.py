"""The pandera schema of the tidy responses table."""

import numpy as np
import pandas as pd
import pytest

from partnerlib import PartnerDataError
from partnerlib.schemas import validate_responses


def frame(measure="current", score=4.0, **extra):
    cat = lambda v: pd.Categorical([v])  # noqa: E731
    return pd.DataFrame(
        {
            "respondent": cat("a1"),
            "partner": cat("Northwind"),
            "role": cat("Staff"),
            "period": cat("2026"),
            "principle": cat("Trust"),
            "item": cat("t1"),
            "measure": cat(measure),
            "score": [score],
            **extra,
        }
    )


def test_a_valid_table_passes_unchanged():
    good = frame()
    assert validate_responses(good).equals(good)
    assert validate_responses(frame(Region=pd.Categorical(["North"])), attributes=["Region"]).shape == (1, 9)


@pytest.mark.parametrize(
    "bad, check",
    [
        (frame(measure="satisfaction"), "measure in {current, importance}"),
        (frame(score=np.inf), "finite score"),
        (frame(score=np.nan), "score"),
        (frame().assign(partner=["Northwind"]), "partner"),  # not categorical
        (frame(extra=[1]), "extra"),  # strict: no unknown columns
    ],
)
def test_invalid_tables_raise_naming_the_check(bad, check):
    with pytest.raises(
        PartnerDataError, match=r"file 'x.csv': the tidy responses table failed its schema check"
    ) as err:
        validate_responses(bad, path="x.csv")
    assert check in str(err.value)
