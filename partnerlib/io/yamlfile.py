"""YAML configuration files (codebooks, manifests) read safely, and pydantic errors said in words.

:func:`load_yaml` reads a file in any encoding the table layer accepts
(UTF-8, UTF-16 with BOM, Windows-1252), refuses files over
:data:`MAX_YAML_BYTES` and any YAML alias (``*name``: the "billion laughs"
expands a few lines into gigabytes), and parses with PyYAML's safe loader.
:func:`validation_problems` turns a pydantic ``ValidationError`` into one
line per problem, naming the key (``principles.Trust[2]``) and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..exceptions import PartnerDataError
from .tables import detect_encoding

#: Largest configuration file read (a codebook of hundreds of statements is a few hundred KB).
MAX_YAML_BYTES = 10 * 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (anchors may be written, never referred to)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(
                f"line {event.start_mark.line + 1}: a YAML alias (*{event.anchor}); aliases "
                "are not accepted (they can expand a small file into gigabytes): write the "
                "values out"
            )
        return super().compose_node(parent, index)


def load_yaml(path, *, error: type[PartnerDataError] = PartnerDataError, what: str = "file") -> Any:
    """The YAML document in ``path``.

    Raises
    ------
    PartnerDataError
        (of class ``error``) naming the file: missing, too large, not text,
        not valid YAML, or holding an alias.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"{what} not found", path=path)
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise error(f"{size:,} bytes, more than the {MAX_YAML_BYTES:,} a {what} may hold", path=path)
    raw = path.read_bytes()
    try:
        text = raw.decode(detect_encoding(raw, path))
    except PartnerDataError as exc:
        raise error(f"not a text {what}: {exc.problem}", path=path) from None
    try:
        return yaml.load(text.lstrip("\ufeff"), Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML: {exc}", path=path) from exc


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
            out += f".{part}" if out else str(part)
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
            message = f"{expected}, got {err['input']!r}"
        lines.append(f"{key_path(loc)}: {message}" if loc else message)
    for where, keys in unknown.items():
        known = expected_keys(where) if expected_keys else None
        hint = f"; expected some of {sorted(known)}" if known else ""
        lines.insert(0, f"{key_path(where)}: unknown keys {sorted(keys)}{hint}")
    return lines
