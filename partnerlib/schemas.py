"""pandera schemas of the package's tidy tables, checked where they are built."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .exceptions import PartnerDataError

_CATEGORY_COLUMNS = ("respondent", "partner", "role", "period", "principle", "item", "measure")


def responses_schema(attributes=()) -> pa.DataFrameSchema:
    """Schema of ``Survey.responses``: categorical keys, a finite float score, measure in current/importance."""
    columns = {c: pa.Column(pd.CategoricalDtype, nullable=False) for c in _CATEGORY_COLUMNS}
    # Checked on the categories (a handful) rather than on every row: a categorical's values are its categories.
    columns["measure"] = pa.Column(pd.CategoricalDtype, pa.Check(
        lambda s: set(s.cat.categories) <= {"current", "importance"}, error="measure in {current, importance}"),
        nullable=False)
    columns["score"] = pa.Column("float64", pa.Check(lambda s: pd.Series(np.isfinite(s.to_numpy()), index=s.index),
                                                     error="finite score"), nullable=False)
    for a in attributes:
        columns[a] = pa.Column(pd.CategoricalDtype, nullable=False)
    return pa.DataFrameSchema(columns, strict=True, ordered=True)


def validate_responses(frame: pd.DataFrame, *, attributes=(), where: str = "") -> pd.DataFrame:
    """Validate a responses table, raising :class:`PartnerDataError` naming the failed check."""
    try:
        return responses_schema(attributes).validate(frame)
    except (SchemaError, SchemaErrors) as exc:
        raise PartnerDataError(f"{where}: the tidy responses table failed its schema check: {exc}") from exc
