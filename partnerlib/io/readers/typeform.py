"""Typeform CSV/XLSX exports: one header row.

The first column, ``#``, is the response's token; then one column per
question headed by its title (Typeform keeps the title's HTML, e.g.
``<strong>Are you self-employed?</strong>``: tags are removed from question
texts, names stay as written); then Typeform's own columns ``Response Type``
(newer exports: ``completed`` or ``partial``), ``Start Date (UTC)``, ``Stage
Date (UTC)``, ``Submit Date (UTC)``, ``Network ID`` (a hash of the
respondent's network: personal data, dropped), ``Tags`` and ``Ending``.
Recognised by ``#`` first and ``Submit Date (UTC)`` or ``Network ID``.  A
``partial`` response, or one with no submit date, is unfinished.
"""

from __future__ import annotations

import pandas as pd

from ..tables import Table
from ._base import Reader, column_of, strip_header

BOOKKEEPING = ("#", "Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)", "Tags",
               "Ending")  # fmt: skip
_MARKERS = {"submit date (utc)", "network id"}


class TypeformReader(Reader):
    """Reader for Typeform exports (columns named by their header text)."""

    name = "typeform"
    bookkeeping = BOOKKEEPING

    def detect(self, grid: pd.DataFrame) -> bool:
        """``#`` in the first header cell and Typeform's submit date or network id among the headers."""
        if grid.shape[1] < 3 or len(grid) < 1 or strip_header(grid.iat[0, 0]) != "#":
            return False
        return bool(_MARKERS & {strip_header(v).casefold() for v in grid.iloc[0]})

    def flags(self, table: Table, names: list[str]) -> dict:
        """``Response Type`` partial, or no ``Submit Date (UTC)``, marks an unfinished response."""
        body = table.text().iloc[1:]
        kind, submitted = column_of(names, body, "Response Type"), column_of(names, body, "Submit Date (UTC)")
        if kind is not None:
            return {"finished": (kind.fillna("").str.strip().str.casefold() != "partial").to_numpy(dtype=bool)}
        return {} if submitted is None else {"finished": submitted.notna().to_numpy()}
