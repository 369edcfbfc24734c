"""The exceptions and warnings of partnerlib.

Every exception raised on purpose is a :class:`PartnerlibError`.  Problems
with a client's data or a consultant's configuration are
:class:`PartnerDataError` (also a :class:`ValueError`); they carry where the
problem is as attributes (``path``, ``sheet``, ``row``, ``column``,
``value``) and what is wrong (``problem``), and their message is composed
from those fields: ``file 'x.csv', sheet 'S', row 4, column 'Q5_1', value
'Aagree': not a scale answer ...``.  Code that handles an error reads its
fields, never its message.  Rendering problems (a missing browser, a failed
print) are :class:`RenderError`, a family of their own.

Data that can be used but is doubtful (identical answers, straight-lining,
unequal denominators) gives a :class:`PartnerDataWarning`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .settings import LIMITS

#: Longest value text quoted in a message (:attr:`partnerlib.settings.Limits.max_value_text`); longer values are cut
#: with "…" (a whole comment is never echoed).
MAX_VALUE_TEXT = LIMITS.max_value_text


def shorten(text: str, limit: int = MAX_VALUE_TEXT) -> str:
    """``text`` cut to ``limit`` characters, ending with ``…`` where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_place(path=None, *, sheet=None, row=None, column=None, value=None) -> str:
    """``"file 'x.csv', sheet 'S', row 4, column 'Q5_1', value 'Aagree'"``.

    Only the parts that are given appear, in that fixed order, so every
    message of the package names a location the same way.  A value longer
    than :data:`MAX_VALUE_TEXT` characters is shortened.
    """
    parts = []
    if path is not None:
        parts.append(f"file '{path}'")
    if sheet is not None:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    if value is not None:
        parts.append(f"value {shorten(repr(value))}")
    return ", ".join(parts)


class PartnerlibError(Exception):
    """Root of every exception partnerlib raises on purpose."""


class PartnerDataError(PartnerlibError, ValueError):
    """Input data or configuration that partnerlib cannot use as it is.

    Parameters
    ----------
    problem : str
        What is wrong and what was expected.
    path, sheet, row, column, value : optional
        Where: the file, the worksheet, the row as a spreadsheet program
        shows it, the column header and the offending value.

    Attributes
    ----------
    problem, path, sheet, row, column, value
        As given; the message is ``describe_place(...) + ": " + problem``.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ):
        self.problem = problem
        self.path = path
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        place = describe_place(path, sheet=sheet, row=row, column=column, value=value)
        super().__init__(f"{place}: {problem}" if place else problem)

    @property
    def place(self) -> dict:
        """The location fields as a dict (those given)."""
        fields = {"path": self.path, "sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value}
        return {k: v for k, v in fields.items() if v is not None}

    def located(self, **fields) -> PartnerDataError:
        """The same error with the location fields it lacks filled from ``fields`` (those it has are kept)."""
        merged = {**{k: v for k, v in fields.items() if v is not None}, **self.place}
        return type(self)(self.problem, **merged)

    def __reduce__(self):  # keyword fields survive pickling (errors cross process boundaries)
        return _rebuild, (type(self), self.problem, self.place)


def _rebuild(cls, problem, place):
    return cls(problem, **place)


class CodebookError(PartnerDataError):
    """A codebook that is malformed or does not fit the export."""


class FileFormatError(PartnerDataError):
    """A file that cannot be read as a table: binary, undecodable, mixed encodings, a damaged workbook."""


class ExportFormatError(FileFormatError):
    """A survey export whose layout cannot be recognised or parsed."""


class LimitExceededError(PartnerDataError):
    """An input larger than a bound of :class:`partnerlib.settings.Limits` (too many bytes, rows or cells)."""


class ManifestError(PartnerDataError):
    """A review manifest or notebook parameters that cannot be used.

    A manifest is checked whole: ``problems`` lists every problem found, one
    line each, each line naming the manifest and the review
    (``manifest 'reviews.yml', review 'acme': ...``); the message is those lines.
    """

    def __init__(self, problem: str, *, problems: list[str] | None = None, **place):
        super().__init__(problem, **place)
        self.problems = list(problems) if problems else [problem]

    def __reduce__(self):
        return _rebuild_manifest, (self.problem, self.problems, self.place)


def _rebuild_manifest(problem, problems, place):
    return ManifestError(problem, problems=problems, **place)


class RenderError(PartnerlibError):
    """A report that cannot be rendered as asked (a missing tool such as Chromium, a failed print)."""


class PartnerlibWarning(UserWarning):
    """Root of the warnings partnerlib gives."""


class PartnerDataWarning(PartnerlibWarning):
    """Data that can be used but is doubtful: identical answers, straight-lining, unequal denominators."""
