"""YAML configuration files (codebooks, manifests) read safely, and pydantic errors said in words.

:func:`load_yaml` reads a file in any encoding the table layer accepts
(UTF-8, UTF-16 with BOM, Windows-1252), refuses files beyond the bounds of
:class:`partnerlib.settings.Limits` (bytes, values, nesting) and any YAML alias
(``*name``: the "billion laughs" expands a few lines into gigabytes), checked
on the parser's events before anything is built, and parses with PyYAML's safe
(libyaml) loader.
:func:`validation_problems` turns a pydantic ``ValidationError`` into one
line per problem, naming the key (``principles.Trust[2]``) and what was expected.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..exceptions import PartnerDataError, shorten
from ..settings import LIMITS, Limits
from .tables import detect_encoding

#: PyYAML's libyaml (C) loader where it is built in: some ten times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


_RESOLVER = yaml.resolver.Resolver()


class _Mapping:
    """A mapping being parsed: the keys seen (with their line) and whether the next node is a key."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], int] = {}  # (resolved tag, text) of each key -> its line
        self.key_next = True


def _check_events(text: str, limits: Limits) -> None:
    """Refuse an alias, a key given twice in one mapping (YAML would silently keep the last), more than
    ``limits.max_yaml_nodes`` values or nesting deeper than ``limits.max_yaml_depth``, from the parser's events
    alone (nothing is built, so a "billion laughs" costs no more than its bytes)."""
    nodes = 0
    open_: list[_Mapping | None] = []  # the mappings and lists (None) being parsed, innermost last
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError(
                f"line {line}: a YAML alias (*{shorten(str(event.anchor))}); aliases are not accepted (they can "
                "expand a small file into gigabytes): write the values out"
            )
        if isinstance(event, _NODE_EVENTS):
            nodes += 1
            if nodes > limits.max_yaml_nodes:
                raise yaml.YAMLError(
                    f"line {line}: more than {limits.max_yaml_nodes:,} values (Limits.max_yaml_nodes); a codebook or "
                    "manifest holds far fewer"
                )
            parent = open_[-1] if open_ else None
            if parent is not None:
                if parent.key_next and isinstance(event, yaml.ScalarEvent):
                    key = (event.tag or _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit), event.value)
                    if key in parent.keys:  # 1 and '1' are two keys (int and text); Trust and 'Trust' one
                        raise yaml.YAMLError(
                            f"line {line}: the key {shorten(repr(event.value))} is given twice in one mapping (first "
                            f"at line {parent.keys[key]}); YAML would silently keep only the last: merge them"
                        )
                    parent.keys[key] = line
                parent.key_next = not parent.key_next
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_.append(_Mapping() if isinstance(event, yaml.MappingStartEvent) else None)
            if len(open_) > limits.max_yaml_depth:
                raise yaml.YAMLError(
                    f"line {line}: lists or mappings nested more than {limits.max_yaml_depth} deep "
                    "(Limits.max_yaml_depth)"
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            open_.pop()


#: Byte-order marks a text editor writes, longest first (UTF-32's begins with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decoded(raw: bytes, path: Path, error: type[PartnerDataError], what: str) -> str:
    """The text of a configuration file: by its byte-order mark; UTF-16 without one (every other byte NUL, as
    Notepad's "Unicode" may write); else UTF-8 or Windows-1252 (:func:`partnerlib.io.tables.detect_encoding`)."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    head = raw[:4096]
    if encoding is None and b"\x00" in head:
        if head[1::2].count(0) >= len(head) // 4 and not head[0::2].count(0):
            encoding = "utf-16-le"
        elif head[0::2].count(0) >= len(head) // 4 and not head[1::2].count(0):
            encoding = "utf-16-be"
        else:
            raise error(
                f"not a text {what}: it holds NUL bytes (a binary file); expected YAML text, saved as UTF-8", path=path
            )
    try:
        encoding = encoding or detect_encoding(raw, path)
    except PartnerDataError as exc:
        raise error(f"not a text {what}: {exc.problem}", path=path, row=exc.row) from None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not a text {what}: the bytes at line {line} are not {encoding.upper()}; expected YAML text, saved as "
            "UTF-8",
            path=path,
        ) from None


def load_yaml(
    path, *, error: type[PartnerDataError] = PartnerDataError, what: str = "file", limits: Limits = LIMITS
) -> Any:
    """The YAML document in ``path``.

    Raises
    ------
    PartnerDataError
        (of class ``error``) naming the file: missing, too large (bytes, values or nesting: ``limits``), not text,
        not valid YAML, or holding an alias.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} not found", path=path)
    size = path.stat().st_size
    if size > limits.max_yaml_bytes:
        raise error(
            f"{size:,} bytes, more than the {limits.max_yaml_bytes:,} a {what} may hold (Limits.max_yaml_bytes)",
            path=path,
        )
    text = _decoded(path.read_bytes(), path, error, what).lstrip("\ufeff")
    try:
        _check_events(text, limits)
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {shorten(str(exc), 4 * limits.max_value_text)}", path=path) from None


#: What a pydantic type error expected, in plain words.
_EXPECTED = {
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "dict_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
}


def key_path(loc) -> str:
    """A pydantic error location as a codebook key: ``("principles", "Trust", 1)`` -> ``principles.Trust[2]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{shorten(str(part))}" if out else shorten(str(part))
    return out or "top level"


def validation_problems(
    exc: ValidationError,
    *,
    expected_keys: Callable[[tuple], list[str] | None] | None = None,
    hints: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per problem of a pydantic validation error, ``"<key>: <what is wrong and expected>"``.

    Unknown keys at one place are reported together (``unknown keys ['colour']; expected some of [...]``,
    the known keys of that place from ``expected_keys(location)``); a missing key is followed by its hint
    from ``hints`` (keyed by :func:`key_path`).  A check of the whole document (empty location) writes its
    own key path at the start of its message.
    """
    hints = hints or {}
    unknown: dict[tuple, list[str]] = {}
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        message = err["msg"]
        if err["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        elif err["type"] == "missing":
            hint = hints.get(key_path(loc))
            message = f"missing '{loc[-1]}'" + (f" ({hint})" if hint else "")
            loc = loc[:-1]
        elif "input" in err:
            expected = _EXPECTED.get(err["type"], message[:1].lower() + message[1:])
            message = f"{expected}, got {shorten(repr(err['input']))}"
        lines.append(f"{key_path(loc)}: {message}" if loc else message)
    for where, keys in unknown.items():
        known = expected_keys(where) if expected_keys else None
        hint = f"; expected some of {sorted(known)}" if known else ""
        lines.insert(0, f"{key_path(where)}: unknown keys {shorten(str(sorted(keys)))}{hint}")
    return lines
