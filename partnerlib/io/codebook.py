"""The codebook: how one survey export maps onto partnership principles.

A codebook is a small YAML file (or the same structure as a dict) that says
which export columns hold the respondent's organisation and role, which hold
the *current* and *importance* ratings of each statement, how text answers
translate into scale points, and which answers mean "not applicable".

Its layout is the pydantic model :class:`CodebookFile` (published as the JSON
Schema ``schemas/codebook.schema.json``, so an editor checks a codebook as it
is typed).  :func:`load_codebook` validates a file or dict against it and
returns the frozen :class:`Codebook` the readers use; nothing else in the
package reads codebooks.  Errors name the file and the key
(``principles.Trust[2]``) and say what was expected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from ..exceptions import CodebookError, shorten
from ..settings import LIMITS
from ..vocabulary import REVERSE_SCORED
from .tables import tidy_text
from .yamlfile import load_yaml, validation_problems

#: Columns of the tidy responses table; a codebook attribute may not take one of these names.
RESERVED_COLUMNS = ("respondent", "partner", "role", "period", "principle", "item", "measure", "score", "answered")


def normalise_label(value: Any) -> str:
    """Return the form in which answers and labels are compared.

    Case is ignored, surrounding white space (including non-breaking spaces)
    is removed, and runs of inner white space count as one space, so that
    ``" Strongly  agree"`` matches ``"Strongly agree"``.  ``1.0`` reads as ``"1"``.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


#: A name as the reports and the tidy tables show it: no line break or other control character, no outer space.
_PLAIN_NAME = re.compile(r"[^\x00-\x1f\x7f\s](?:[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s])?")


def plain_name(text: str, what: str = "") -> str:
    """``text`` where the whole of it is a plain name (:data:`_PLAIN_NAME`, matched with ``re.fullmatch``, so a
    final newline is refused) of at most :attr:`partnerlib.settings.Limits.max_name_chars` characters.

    Raises
    ------
    ValueError
        Saying ``what`` and what was expected.
    """
    if not _PLAIN_NAME.fullmatch(text) or len(text) > LIMITS.max_name_chars:
        raise ValueError(
            f"{what + ' ' if what else ''}{shorten(repr(text))}: expected a name of at most "
            f"{LIMITS.max_name_chars} characters without "
            "line breaks, tabs or spaces at either end"
        )
    return text


# --------------------------------------------------------------------------------------------- the file's layout


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Scalar = str | int | float


class ScaleSpec(_Spec):
    """``scale:`` the answer scale: its bounds, the labels of its points and the not-applicable answers."""

    min: float = Field(description="lowest scale point, e.g. 1")
    max: float = Field(description="highest scale point, e.g. 5")
    labels: dict[str, float] = Field(
        default_factory=dict, description="text answer -> scale point (case and outer spaces ignored)"
    )
    not_applicable: list[Scalar] = Field(
        default_factory=list, description="answers that mean 'don't know' / not applicable"
    )

    @field_validator("not_applicable", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, (str, int, float)) else value

    @model_validator(mode="after")
    def _within_scale(self):
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        for label, number in self.labels.items():
            if not self.min <= number <= self.max:
                raise ValueError(
                    f"label {shorten(repr(label))}: {number:g} is outside the scale {self.min:g}-{self.max:g}"
                )
        labels: dict[str, str] = {}
        for label, number in self.labels.items():
            first = labels.setdefault(normalise_label(label), label)
            if first != label and self.labels[first] != number:
                raise ValueError(
                    f"labels {shorten(repr(first))} ({self.labels[first]:g}) and {shorten(repr(label))} ({number:g}) "
                    "are the same answer (case and spaces are ignored) with two scale points; keep one"
                )
        for answer in self.not_applicable:
            key = normalise_label(answer)
            if key in labels:
                raise ValueError(
                    f"not_applicable answer {shorten(repr(answer))} is also the scale label {labels[key]!r}; an "
                    "answer is either a scale point or not applicable, so remove it from one of the two"
                )
            number = _number(key)
            if number is not None and self.min <= number <= self.max:
                raise ValueError(
                    f"not_applicable answer {shorten(repr(answer))} is a point of the scale "
                    f"{self.min:g}-{self.max:g}; expected a code outside the scale (e.g. {self.max + 1:g}) or a label"
                )
        return self


def _number(text: str) -> float | None:
    """``text`` as a finite number, or None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _group_shape(value):
    if isinstance(value, str):
        return {"column": value}
    if isinstance(value, Mapping):
        return value
    raise ValueError(
        f"expected a column name, {{column: ..., values: ...}} or {{value: ...}}, got {shorten(repr(value))}"
    )


class GroupSpecFile(_Spec):
    """Where a grouping variable comes from: an export ``column`` (optionally recoded by ``values``), or one
    ``value`` for the whole export."""

    column: str | None = Field(None, description="the export column holding the group")
    values: dict[Scalar, str] | None = Field(None, description="export code -> group name, e.g. {1: Northwind}")
    value: str | None = Field(None, description="one group for every response of the export")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.column is None) == (self.value is None):
            raise ValueError(
                "give exactly one of 'column' (an export column) or 'value' (one organisation for the whole export)"
            )
        if self.values is not None and not self.values:
            raise ValueError("values: expected a mapping of export codes to names, e.g. {1: Northwind, 2: Contoso}")
        names: dict[str, Scalar] = {}
        for code, name in (self.values or {}).items():
            first = names.setdefault(normalise_label(code), code)
            if first != code and self.values is not None and self.values[first] != name:
                raise ValueError(
                    f"values: codes {shorten(repr(first))} and {shorten(repr(code))} are the same answer (case and "
                    f"spaces are ignored) with two names, {shorten(repr(self.values[first]))} and "
                    f"{shorten(repr(name))}; keep one"
                )
        return self


Group = Annotated[GroupSpecFile, BeforeValidator(_group_shape, json_schema_input_type=str | GroupSpecFile)]


class RespondentSpec(_Spec):
    """``respondent:`` the response id and the grouping columns."""

    id: str | None = Field(None, description="response id column (always replaced by a keyed hash)")
    partner: Group = Field(description="the respondent's organisation")
    role: Group | None = Field(None, description="the respondent's role (blank: 'Not stated')")
    attributes: list[str] = Field(default_factory=list, description="extra grouping columns")

    @field_validator("attributes", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else (value or [])

    @field_validator("attributes")
    @classmethod
    def _not_reserved(cls, value):
        clash = sorted(set(RESERVED_COLUMNS).intersection(value))
        if clash:
            raise ValueError(
                f"{clash} clash with the tidy table's own columns; rename them in the export or leave them out"
            )
        return value


class StatementSpec(_Spec):
    """One statement of a principle: its rating columns."""

    item: str | None = Field(None, description="a unique name (default '<principle>_<n>')")
    current: str | None = Field(None, description="column rating how well it is lived today")
    importance: str | None = Field(None, description="column rating how much it matters")
    reverse: StrictBool = Field(False, description="negatively worded: the current rating is reversed")
    text: str | None = Field(None, description="the statement as respondents read it")

    @model_validator(mode="after")
    def _has_a_column(self):
        if not self.current and not self.importance:
            raise ValueError("needs a 'current' or an 'importance' column")
        if self.reverse and not self.current:
            raise ValueError(
                "reverse: true on a statement with only an 'importance' column; only the 'current' rating of a "
                "negatively worded statement is reversed (how much it matters never is), so remove 'reverse' or "
                "add the 'current' column"
            )
        return self


class OutcomeSpec(_Spec):
    """``outcome:`` the overall outcome statement that key drivers explain."""

    current: str = Field(description="column rating the outcome, e.g. 'Overall, this partnership works well'")
    text: str | None = Field(None, description="the statement as respondents read it")
    reverse: StrictBool = Field(False, description="negatively worded: the rating is reversed")


class ExcludeSpec(_Spec):
    """``exclude:`` which platform-flagged responses are left out."""

    previews: StrictBool = True
    incomplete: StrictBool = True


class CodebookFile(_Spec):
    """The layout of a codebook file (``codebook.yml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="partnerlib codebook")

    period: str | None = Field(None, description="the period of the export (read_survey(period=...) wins)")
    scale: ScaleSpec
    respondent: RespondentSpec
    principles: dict[str, list[StatementSpec]] = Field(
        description="principle -> its statements, in the order the report shows them"
    )
    comments: list[str] = Field(default_factory=list, description="free-text columns kept as comments")
    outcome: OutcomeSpec | None = Field(None, description="the overall outcome statement key drivers explain")
    exclude: ExcludeSpec = Field(default_factory=ExcludeSpec)
    salt: str | None = Field(None, description="key of the respondent hash (default: a digest of the export)")
    keywords: dict[str, list[str]] = Field(
        default_factory=dict,
        description="principle -> words that point a comment to it (besides its name and statements)",
    )
    norm: dict[str, str] = Field(
        default_factory=dict,
        description="principle -> the name its scores are pooled under in the portfolio norms (default: its own), "
        "e.g. {'Mutual trust': 'Trust'}",
    )
    sheet: str | None = Field(None, description="the worksheet holding the export, for a workbook (default: found)")
    questions: Any = Field(None, description="written by `codebook init` for reference; ignored")
    metadata: Any = Field(None, description="written by `codebook init` for reference; ignored")

    @field_validator("period", "salt", "sheet", mode="before")
    @classmethod
    def _as_text(cls, value):
        return None if value is None else str(value)

    @field_validator("period")
    @classmethod
    def _plain_period(cls, value):
        return None if value is None else plain_name(value)

    @field_validator("comments", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else (value or [])

    @model_validator(mode="after")
    def _statements(self):
        if not self.principles:
            raise ValueError("principles: expected a mapping of principle names to lists of statements")
        seen: set[str] = set()
        rated: dict[str, str] = {}  # tidied export column -> the key that first names it
        for principle, items in self.principles.items():
            plain_name(principle, "principles: principle")
            if not items:
                raise ValueError(
                    f"principles.{shorten(principle)}: expected a non-empty list of statements "
                    "({item: ..., current: COLUMN, importance: COLUMN})"
                )
            for i, st in enumerate(items, start=1):
                item = st.item or f"{principle}_{i}"
                plain_name(item, f"principles.{shorten(principle)}[{i}].item:")
                if item in seen:
                    raise ValueError(
                        f"principles.{shorten(principle)}[{i}]: item name {shorten(repr(item))} is used twice; item "
                        "names must be unique"
                    )
                seen.add(item)
                for measure in ("current", "importance"):
                    column = tidy_text(getattr(st, measure))
                    here = f"principles.{shorten(principle)}[{i}].{measure}"
                    if column and column in rated:
                        raise ValueError(
                            f"{here}: column {shorten(repr(column))} is already {rated[column]}; each export column "
                            "holds the ratings of one statement, so one of the two names the wrong column"
                        )
                    if column:
                        rated[column] = here
        for key, given in (("keywords", self.keywords), ("norm", self.norm)):
            unknown = sorted(set(given) - set(self.principles))
            if unknown:
                raise ValueError(
                    f"{key}: {unknown} are not principles of the codebook; expected some of {list(self.principles)}"
                )
        for principle, name in self.norm.items():
            plain_name(name, f"norm.{shorten(principle)}:")
        return self


_PLACES: dict[str, type[BaseModel]] = {
    "scale": ScaleSpec,
    "respondent": RespondentSpec,
    "exclude": ExcludeSpec,
    "outcome": OutcomeSpec,
    "partner": GroupSpecFile,
    "role": GroupSpecFile,
}
#: What a missing key is for, said after "missing '<key>'".
_HINTS = {
    "scale.min": "the lowest scale point, e.g. min: 1, max: 5",
    "scale.max": "the highest scale point",
    "respondent.partner": "the column holding the respondent's organisation, or {value: Name}",
    "scale": "min, max and labels of the answer scale",
    "respondent": "at least 'partner', the column holding the respondent's organisation",
    "principles": "principle names, each with its list of statements",
}


def _expected_keys(loc: tuple) -> list[str]:
    """The keys allowed at a place of a codebook (for "unknown keys" messages)."""
    if not loc:
        return list(CodebookFile.model_fields)
    if loc[0] == "principles":
        return list(StatementSpec.model_fields)
    return list(_PLACES.get(str(loc[-1]), CodebookFile).model_fields)


# --------------------------------------------------------------------------------------------- the codebook used


@dataclass(frozen=True)
class GroupSpec:
    """Where a grouping variable (partner, role) comes from.

    Exactly one of ``column`` (an export column, optionally recoded through
    ``values``, whose keys are :func:`normalise_label`-ed codes) or ``value``
    (one constant for the whole export) is set.
    """

    column: str | None = None
    values: Mapping[str, str] | None = None
    value: str | None = None


@dataclass(frozen=True)
class Statement:
    """One statement of a principle, rated on up to two measures."""

    principle: str
    item: str
    current: str | None
    importance: str | None
    reverse: bool = False
    text: str | None = None

    def columns(self) -> dict[str, str]:
        """Return ``{measure: column}`` for the measures this statement has."""
        return {m: c for m, c in (("current", self.current), ("importance", self.importance)) if c}


@dataclass(frozen=True)
class Codebook:
    """A validated codebook.  Build it with :func:`load_codebook`.

    Column names are tidied (:func:`partnerlib.io.tables.tidy_text`) as the
    readers tidy the export's headers, so they match however either was spaced.
    """

    scale_min: float
    scale_max: float
    labels: Mapping[str, float]
    not_applicable: frozenset[str]
    partner: GroupSpec
    statements: tuple[Statement, ...]
    role: GroupSpec | None = None
    respondent_id: str | None = None
    attributes: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    period: str | None = None
    exclude_previews: bool = True
    exclude_incomplete: bool = True
    salt: str | None = None
    sheet: str | None = None
    source: str = "<dict>"
    path: Path | None = None
    principle_order: tuple[str, ...] = field(default=())
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # principle -> comment-theme words
    norm: Mapping[str, str] = field(default_factory=dict)  # principle -> the name it is pooled under in the norms
    outcome: Statement | None = None

    @property
    def scale(self) -> tuple[float, float]:
        """The scale bounds ``(min, max)``."""
        return (self.scale_min, self.scale_max)

    def question_columns(self) -> list[str]:
        """Every export column the codebook names, in codebook order."""
        cols: list[str] = []
        for spec in (self.partner, self.role):
            if spec is not None and spec.column:
                cols.append(spec.column)
        cols += list(self.attributes)
        for st in self.statements:
            cols += list(st.columns().values())
        cols += list(self.comments)
        if self.outcome is not None:
            cols += list(self.outcome.columns().values())
        if self.respondent_id:
            cols.append(self.respondent_id)
        return list(dict.fromkeys(cols))

    def statement_text(self, item) -> str:
        """The statement text of ``item`` as respondents read it, or the item name where the codebook has none."""
        texts = {st.item: st.text for st in self.statements}
        return texts.get(str(item)) or str(item)

    def statement_label(self, item) -> str:
        """The statement text of ``item`` for charts and tables, marked "(reverse-scored)" where it is
        reverse-worded (:data:`partnerlib.vocabulary.REVERSE_SCORED`)."""
        text = self.statement_text(item)
        return f"{text} ({REVERSE_SCORED})" if str(item) in self.reversed_items() else text

    def reversed_items(self) -> tuple[str, ...]:
        """The items of the reverse-worded statements (their *current* answer is reversed into a score)."""
        return tuple(st.item for st in self.statements if st.reverse)

    def principle_of(self, item) -> str:
        """The principle the statement ``item`` belongs to."""
        return next(st.principle for st in self.statements if st.item == str(item))

    def point_labels(self, measure: str = "current") -> list[str] | None:
        """The answer label of each whole scale point, lowest first, for chart legends.

        Taken from ``scale.labels`` (the first label given for each point; for
        ``measure="importance"`` the last, where the importance labels follow the
        agreement labels); ``None`` where a point has no label.
        """
        by_point: dict[float, list[str]] = {}
        for label, value in self.labels.items():
            by_point.setdefault(value, []).append(label)
        points = [self.scale_min + k for k in range(int(self.scale_max - self.scale_min) + 1)]
        if not all(p in by_point for p in points):
            return None
        pick = 0 if measure == "current" else -1
        return [by_point[p][pick][:1].upper() + by_point[p][pick][1:] for p in points]


def _group(spec: GroupSpecFile) -> GroupSpec:
    if spec.value is not None:
        return GroupSpec(value=spec.value)
    values = None if spec.values is None else {normalise_label(k): str(v) for k, v in spec.values.items()}
    return GroupSpec(column=tidy_text(spec.column), values=values)


def _codebook(spec: CodebookFile, source: str, path: Path | None) -> Codebook:
    """The codebook the readers use, from its validated file layout."""
    statements = tuple(
        Statement(
            principle=str(principle),
            item=st.item or f"{principle}_{i}",
            current=tidy_text(st.current) or None,
            importance=tidy_text(st.importance) or None,
            reverse=st.reverse,
            text=st.text,
        )
        for principle, items in spec.principles.items()
        for i, st in enumerate(items, start=1)
    )
    scale = spec.scale
    return Codebook(
        scale_min=scale.min,
        scale_max=scale.max,
        labels={normalise_label(k): float(v) for k, v in scale.labels.items()},
        not_applicable=frozenset(normalise_label(v) for v in scale.not_applicable),
        partner=_group(spec.respondent.partner),
        role=_group(spec.respondent.role) if spec.respondent.role is not None else None,
        respondent_id=tidy_text(spec.respondent.id) or None,
        attributes=tuple(tidy_text(a) for a in spec.respondent.attributes),
        statements=statements,
        comments=tuple(tidy_text(c) for c in spec.comments),
        period=spec.period,
        exclude_previews=spec.exclude.previews,
        exclude_incomplete=spec.exclude.incomplete,
        salt=spec.salt,
        sheet=spec.sheet,
        source=source,
        path=path,
        principle_order=tuple(str(p) for p in spec.principles),
        keywords={str(p): tuple(str(w) for w in words) for p, words in spec.keywords.items()},
        norm={str(p): str(name) for p, name in spec.norm.items()},
        outcome=None
        if spec.outcome is None
        else Statement("", "outcome", tidy_text(spec.outcome.current), None, spec.outcome.reverse, spec.outcome.text),
    )


def load_codebook(codebook: str | Path | Mapping | Codebook) -> Codebook:
    """Read and validate a codebook.

    Parameters
    ----------
    codebook : path, dict or Codebook
        A YAML file, the same structure as a dict, or an already loaded
        :class:`Codebook` (returned unchanged).

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        Naming the codebook file, the key that is wrong, and what was expected
        (every problem found, one per line).
    """
    if isinstance(codebook, Codebook):
        return codebook
    path = None
    if isinstance(codebook, (str, Path)):
        path = Path(codebook)
        raw = load_yaml(path, error=CodebookError, what="codebook")
    else:
        raw = codebook
    if not isinstance(raw, Mapping):
        raise CodebookError(f"codebook: expected a mapping at the top level, got {type(raw).__name__}", path=path)
    try:
        spec = CodebookFile.model_validate(dict(raw))
    except ValidationError as exc:
        problems = validation_problems(exc, expected_keys=_expected_keys, hints=_HINTS)
        raise CodebookError("codebook " + "; ".join(problems), path=path) from None
    return _codebook(spec, f"'{path}'" if path else "<dict>", path)
