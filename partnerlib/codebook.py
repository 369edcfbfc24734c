"""The codebook: how one survey export maps onto partnership principles.

A codebook is a small YAML file (or the same structure as a dict) that says
which export columns hold the respondent's organisation and role, which hold
the *current* and *importance* ratings of each statement, how text answers
translate into scale points, and which answers mean "not applicable".
See the README for a full example.  :func:`load_codebook` validates it and
returns a frozen :class:`Codebook`; nothing else in the package reads YAML
codebooks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .exceptions import CodebookError

_KNOWN_TOP = {"period", "scale", "respondent", "principles", "comments", "exclude", "salt", "questions", "metadata"}
#: Top-level keys written by ``partnerlib codebook init`` for reference; accepted and ignored.
REFERENCE_KEYS = ("questions", "metadata")
_KNOWN_STATEMENT = {"item", "current", "importance", "reverse", "text"}


def normalise_label(value: Any) -> str:
    """Return the form in which answers and labels are compared.

    Case is ignored, surrounding white space (including non-breaking spaces)
    is removed, and runs of inner white space count as one space, so that
    ``" Strongly  agree"`` matches ``"Strongly agree"``.
    """
    text = str(value).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class GroupSpec:
    """Where a grouping variable (partner, role) comes from.

    Exactly one of ``column`` (an export column, optionally recoded through
    ``values``) or ``value`` (one constant for the whole export) is set.
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
    """A validated codebook.  Build it with :func:`load_codebook`."""

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
    source: str = "<dict>"
    principle_order: tuple[str, ...] = field(default=())

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
        if self.respondent_id:
            cols.append(self.respondent_id)
        return list(dict.fromkeys(cols))


def _fail(source: str, where: str, message: str) -> CodebookError:
    return CodebookError(f"Codebook {source}: {where}: {message}")


def _group_spec(raw: Any, source: str, key: str) -> GroupSpec:
    if isinstance(raw, str):
        return GroupSpec(column=raw)
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"column", "values", "value"}
        if unknown:
            raise _fail(source, f"respondent.{key}", f"unknown keys {sorted(unknown)}; expected 'column' "
                        "(with optional 'values') or 'value'")
        if ("column" in raw) == ("value" in raw):
            raise _fail(source, f"respondent.{key}", "give exactly one of 'column' (an export column) or "
                        "'value' (one organisation for the whole export)")
        if "value" in raw:
            return GroupSpec(value=str(raw["value"]))
        values = raw.get("values")
        if values is not None:
            if not isinstance(values, Mapping) or not values:
                raise _fail(source, f"respondent.{key}.values", "expected a mapping of export codes to names, "
                            "e.g. {1: Northwind, 2: Contoso}")
            values = {normalise_label(_plain_number(k)): str(v) for k, v in values.items()}
        return GroupSpec(column=str(raw["column"]), values=values)
    raise _fail(source, f"respondent.{key}", f"expected a column name, {{column: ..., values: ...}} or "
                f"{{value: ...}}, got {raw!r}")


def _plain_number(value: Any) -> Any:
    """``1.0 -> "1"`` so that numeric codes match however the export wrote them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _number(raw: Any, source: str, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or math.isnan(raw):
        raise _fail(source, where, f"expected a number, got {raw!r}")
    return float(raw)


def load_codebook(codebook: "str | Path | Mapping | Codebook") -> Codebook:
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
        Naming the codebook and the key that is wrong, and what was expected.
    """
    if isinstance(codebook, Codebook):
        return codebook
    source = "<dict>"
    if isinstance(codebook, (str, Path)):
        path = Path(codebook)
        source = f"'{path}'"
        if not path.is_file():
            raise CodebookError(f"Codebook {source}: file not found")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CodebookError(f"Codebook {source}: not valid YAML: {exc}") from exc
    else:
        raw = codebook
    if not isinstance(raw, Mapping):
        raise CodebookError(f"Codebook {source}: expected a mapping at the top level, got {type(raw).__name__}")
    unknown = set(raw) - _KNOWN_TOP
    if unknown:
        raise _fail(source, "top level", f"unknown keys {sorted(unknown)}; expected some of {sorted(_KNOWN_TOP)}")

    scale = raw.get("scale")
    if not isinstance(scale, Mapping) or "min" not in scale or "max" not in scale:
        raise _fail(source, "scale", "expected a mapping with 'min' and 'max' (e.g. min: 1, max: 5)")
    smin = _number(scale["min"], source, "scale.min")
    smax = _number(scale["max"], source, "scale.max")
    if smin >= smax:
        raise _fail(source, "scale", f"min ({smin:g}) must be below max ({smax:g})")
    labels: dict[str, float] = {}
    for label, number in (scale.get("labels") or {}).items():
        num = _number(number, source, f"scale.labels['{label}']")
        if not smin <= num <= smax:
            raise _fail(source, f"scale.labels['{label}']", f"{num:g} is outside the scale {smin:g}-{smax:g}")
        labels[normalise_label(label)] = num
    na = scale.get("not_applicable") or []
    if isinstance(na, (str, int, float)):
        na = [na]
    not_applicable = frozenset(normalise_label(_plain_number(v)) for v in na)

    resp = raw.get("respondent")
    if not isinstance(resp, Mapping) or "partner" not in resp:
        raise _fail(source, "respondent", "expected a mapping with at least 'partner' (the column holding the "
                    "respondent's organisation, or {value: Name})")
    unknown = set(resp) - {"id", "partner", "role", "attributes"}
    if unknown:
        raise _fail(source, "respondent", f"unknown keys {sorted(unknown)}; expected id, partner, role, attributes")
    partner = _group_spec(resp["partner"], source, "partner")
    role = _group_spec(resp["role"], source, "role") if resp.get("role") is not None else None
    attributes = resp.get("attributes") or []
    if isinstance(attributes, str):
        attributes = [attributes]
    reserved = {"respondent", "partner", "role", "period", "principle", "item", "measure", "score", "answered"}
    clash = reserved.intersection(attributes)
    if clash:
        raise _fail(source, "respondent.attributes", f"{sorted(clash)} clash with the tidy table's own columns; "
                    "rename them in the export or leave them out")

    principles = raw.get("principles")
    if not isinstance(principles, Mapping) or not principles:
        raise _fail(source, "principles", "expected a mapping of principle names to lists of statements")
    statements: list[Statement] = []
    seen_items: set[str] = set()
    for principle, items in principles.items():
        if not isinstance(items, list) or not items:
            raise _fail(source, f"principles.{principle}", "expected a non-empty list of statements "
                        "({item: ..., current: COLUMN, importance: COLUMN})")
        for i, st in enumerate(items, start=1):
            where = f"principles.{principle}[{i}]"
            if not isinstance(st, Mapping):
                raise _fail(source, where, f"expected a mapping, got {st!r}")
            unknown = set(st) - _KNOWN_STATEMENT
            if unknown:
                raise _fail(source, where, f"unknown keys {sorted(unknown)}; expected some of "
                            f"{sorted(_KNOWN_STATEMENT)}")
            if not st.get("current") and not st.get("importance"):
                raise _fail(source, where, "needs a 'current' or an 'importance' column")
            item = str(st.get("item") or f"{principle}_{i}")
            if item in seen_items:
                raise _fail(source, where, f"item name '{item}' is used twice; item names must be unique")
            seen_items.add(item)
            statements.append(Statement(
                principle=str(principle), item=item,
                current=str(st["current"]) if st.get("current") else None,
                importance=str(st["importance"]) if st.get("importance") else None,
                reverse=bool(st.get("reverse", False)),
                text=str(st["text"]) if st.get("text") else None,
            ))

    comments = raw.get("comments") or []
    if isinstance(comments, str):
        comments = [comments]
    exclude = raw.get("exclude") or {}
    if not isinstance(exclude, Mapping) or set(exclude) - {"previews", "incomplete"}:
        raise _fail(source, "exclude", "expected {previews: true|false, incomplete: true|false}")
    period = raw.get("period")
    return Codebook(
        scale_min=smin, scale_max=smax, labels=labels, not_applicable=not_applicable,
        partner=partner, role=role,
        respondent_id=str(resp["id"]) if resp.get("id") else None,
        attributes=tuple(str(a) for a in attributes),
        statements=tuple(statements),
        comments=tuple(str(c) for c in comments),
        period=None if period is None else str(period),
        exclude_previews=bool(exclude.get("previews", True)),
        exclude_incomplete=bool(exclude.get("incomplete", True)),
        salt=None if raw.get("salt") is None else str(raw["salt"]),
        source=source,
        principle_order=tuple(str(p) for p in principles),
    )
