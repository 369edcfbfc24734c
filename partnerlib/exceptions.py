"""The exception family of partnerlib.

Every error caused by a client's data or a consultant's configuration is a
:class:`PartnerDataError` (a :class:`ValueError`), so a notebook or the batch
runner can catch one type.  Messages name the file, sheet, row, column and
value involved and say what was expected.
"""

from __future__ import annotations


class PartnerDataError(ValueError):
    """Input data or configuration that partnerlib cannot use as it is."""


class CodebookError(PartnerDataError):
    """A codebook that is malformed or does not fit the export."""


class ExportFormatError(PartnerDataError):
    """A survey export whose layout cannot be recognised or parsed."""


class ManifestError(PartnerDataError):
    """A review manifest or notebook parameters that cannot be used."""


def describe_place(path=None, *, sheet=None, row=None, column=None, value=None) -> str:
    """Return ``"file 'x.csv', sheet 'S', row 4, column 'Q5_1', value 'Aagree'"``.

    Only the parts that are given appear, in that fixed order, so every
    message in the package names a location the same way.
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
        parts.append(f"value {value!r}")
    return ", ".join(parts)


class RenderError(PartnerDataError):
    """A report that cannot be rendered as asked (a missing tool such as Chromium, a failed print)."""
