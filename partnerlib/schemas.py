"""pandera schemas of the package's tidy tables: the contracts between the readers and the analysis.

Each reader checks the table it builds; each analysis function that takes a
table from outside checks it again, so a hand-made table is held to the same
rules as a read one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .exceptions import PartnerDataError
from .vocabulary import ACTION_STATUSES, KPI_DIRECTIONS, KPI_KINDS, MEASURES

_CATEGORY_COLUMNS = ("respondent", "partner", "role", "period", "principle", "item", "measure")
#: The columns of the tidy KPI table, in order.
KPI_COLUMNS = ["kpi", "kind", "partner", "period", "actual", "target", "direction", "unit"]
#: Objectives are rated on this scale (importance to each partner, how well the partnership serves them).
OBJECTIVE_SCALE = (1, 5)


def _categorical(*checks: pa.Check) -> pa.Column:
    """A non-null categorical column of any categories.

    The dtype is checked by a plain ``isinstance`` rather than by pandera's dtype matching, which builds a
    parametrised dtype from the column's categories one by one (0.14 s for the 100,000 pseudonyms of a large
    export's ``respondent`` column).
    """
    is_categorical = pa.Check(lambda s: isinstance(s.dtype, pd.CategoricalDtype), error="categorical dtype")
    return pa.Column(checks=[is_categorical, *checks], nullable=False)


def responses_schema(attributes=()) -> pa.DataFrameSchema:
    """Schema of ``Survey.responses``: categorical keys, a finite float score, measure in current/importance."""
    columns = {c: _categorical() for c in _CATEGORY_COLUMNS}
    # Checked on the categories (a handful) rather than on every row: a categorical's values are its categories.
    columns["measure"] = _categorical(
        pa.Check(lambda s: set(s.cat.categories) <= set(MEASURES), error="measure in {current, importance}")
    )
    columns["score"] = pa.Column(
        "float64",
        pa.Check(lambda s: pd.Series(np.isfinite(s.to_numpy()), index=s.index), error="finite score"),
        nullable=False,
    )
    for a in attributes:
        columns[a] = _categorical()
    return pa.DataFrameSchema(columns, strict=True, ordered=True)


def _validate(schema: pa.DataFrameSchema, frame: pd.DataFrame, path, what: str, inplace: bool = False) -> pd.DataFrame:
    try:
        return schema.validate(frame, inplace=inplace)
    except (SchemaError, SchemaErrors) as exc:
        raise PartnerDataError(f"{what}: {exc}", path=path) from exc


def validate_responses(frame: pd.DataFrame, *, attributes=(), path=None) -> pd.DataFrame:
    """Validate a responses table (read from ``path``), raising :class:`PartnerDataError` naming the failed check.

    The frame itself is returned (the schema coerces nothing, so there is nothing to copy).
    """
    return _validate(
        responses_schema(attributes), frame, path, "the tidy responses table failed its schema check", inplace=True
    )


#: The tidy KPI table (checked when it is built and when it is scored).
KPI_SCHEMA = pa.DataFrameSchema(
    {
        "kpi": pa.Column(str),
        "kind": pa.Column(str, pa.Check.isin(KPI_KINDS)),
        "partner": pa.Column(str),
        "period": pa.Column(str),
        "actual": pa.Column(float, nullable=True, coerce=True),
        "target": pa.Column(float, nullable=True, coerce=True),
        "direction": pa.Column(str, pa.Check.isin(KPI_DIRECTIONS)),
        "unit": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def validate_kpis(kpis: pd.DataFrame, path=None) -> pd.DataFrame:
    """Check a KPI table against :data:`KPI_SCHEMA`, raising :class:`PartnerDataError` naming the failed check."""
    return _validate(
        KPI_SCHEMA,
        kpis,
        path,
        f"not a tidy KPI table with columns {KPI_COLUMNS} (kind in "
        f"{list(KPI_KINDS)}, direction in {list(KPI_DIRECTIONS)})",
    )


#: The objectives table: one row per objective and partner.
OBJECTIVES_SCHEMA = pa.DataFrameSchema(
    {
        "objective": pa.Column(str),
        "owner": pa.Column(str),
        "partner": pa.Column(str),
        "importance": pa.Column(float, pa.Check.in_range(*OBJECTIVE_SCALE), coerce=True),
        "served": pa.Column(float, pa.Check.in_range(*OBJECTIVE_SCALE), nullable=True, coerce=True),
    },
    strict=True,
    ordered=True,
    unique=["objective", "partner"],
)


def validate_objectives(frame: pd.DataFrame, path=None) -> pd.DataFrame:
    """Check an objectives table against :data:`OBJECTIVES_SCHEMA`."""
    return _validate(
        OBJECTIVES_SCHEMA,
        frame,
        path,
        "not an objectives table (objective, owner, partner, "
        "importance 1-5, served 1-5 or missing; one row per objective and partner)",
    )


#: The actions register as :func:`partnerlib.read_actions` returns it (other columns allowed).
ACTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, unique=True),
        "period": pa.Column(str),
        "principle": pa.Column(str, nullable=True),
        "action": pa.Column(str),
        "owner": pa.Column(str, nullable=True),
        "due": pa.Column(
            nullable=True,
            checks=pa.Check(
                lambda s: pd.api.types.is_datetime64_any_dtype(s), element_wise=False, error="due must be dates"
            ),
        ),
        "status": pa.Column(str, pa.Check.isin(ACTION_STATUSES)),
        "notes": pa.Column(str, nullable=True),
    },
    strict=False,
)


def validate_actions(frame: pd.DataFrame, path=None) -> pd.DataFrame:
    """Check an actions register against :data:`ACTIONS_SCHEMA`."""
    return _validate(ACTIONS_SCHEMA, frame, path, "the actions table failed its schema check")
