"""What every export reader returns, and how a reader builds it.

A reader turns one export (a :class:`partnerlib.io.tables.Table`) into a
:class:`RawExport`: the answers as text, one row per response, with columns
named the way a codebook names them, and the platform's own bookkeeping
(previews, test responses, unfinished responses) translated into the same
boolean columns for every platform.  Personal data is removed here, before
anything else sees it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from ..privacy import drop_personal_data, identity_hashes
from ..tables import Table, tidy_text


@dataclass
class RawExport:
    """One survey export, read but not yet interpreted by a codebook.

    Attributes
    ----------
    path : Path
        Where the export was read from.
    format : str
        The registered reader that read it (``"qualtrics"``, ...).
    data : DataFrame
        One row per response; one ``str`` column per question column, named as
        a codebook names it; blanks are missing.  Personal data is already gone.
    meta : DataFrame
        Same index as ``data``: ``row`` (the response's row in the file, as a
        spreadsheet program shows it), ``preview``, ``test`` and ``finished``
        (booleans; ``finished`` is True where the platform has no notion of it).
    questions : dict
        Column name -> question text as the export shows it (HTML tags removed).
    personal_columns : list of str
        Names of the columns dropped as personal data.
    personal_why : dict
        Each dropped column -> why it was dropped (its header, its content, or the platform's layout).
    identities : DataFrame
        Same index as ``data``: keyed hashes (``UInt64``) of the identity fields dropped as personal data (one
        column per kind: ``e-mail``, ``external reference``, ``recipient``, ``panel id``), blank where a cell
        identifies nobody.  They serve only to recognise the same respondent submitting twice.
    sheet : str or None
        The worksheet read, for XLSX files.
    details : dict
        What the reader found out about the file, e.g. ``layout``.
    bookkeeping : list of str
        The platform's own columns (response ids, dates, durations, status),
        which say nothing about the answers.
    """

    path: Path
    format: str
    data: pd.DataFrame
    meta: pd.DataFrame
    questions: dict[str, str] = field(default_factory=dict)
    personal_columns: list[str] = field(default_factory=list)
    personal_why: dict[str, str] = field(default_factory=dict)
    identities: pd.DataFrame = field(default_factory=pd.DataFrame)
    sheet: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    bookkeeping: list[str] = field(default_factory=list)


#: Response-id columns of the platforms, in order of preference (compared without case): Qualtrics, SurveyMonkey,
#: LimeSurvey / Alchemer, Microsoft Forms and LimeSurvey, Typeform, a tidy or hand-made table.
RESPONSE_ID_COLUMNS = ("ResponseId", "ResponseID", "Respondent ID", "RespondentID", "Response ID", "ID", "#",
                       "respondent", "respondent_id")  # fmt: skip


def response_id_column(columns) -> str | None:
    """The first of :data:`RESPONSE_ID_COLUMNS` among ``columns`` (compared without case), as spelled there."""
    folded = {str(c).casefold(): c for c in reversed(list(columns))}
    return next((folded[c.casefold()] for c in RESPONSE_ID_COLUMNS if c.casefold() in folded), None)


#: Header text as readers name columns (see :func:`partnerlib.io.tables.tidy_text`).
strip_header = tidy_text

_TAG = re.compile(r"<[^>]+>")


def question_text(value) -> str:
    """Question text as a reader shows it: HTML tags removed, entities decoded, white space tidied."""
    return tidy_text(html.unescape(_TAG.sub(" ", tidy_text(value))))


def unique_names(names) -> list[str]:
    """``names`` with repeats suffixed ``.1``, ``.2`` ... as pandas does (first one unchanged)."""
    seen: dict[str, int] = {}
    taken = set(names)
    unique = []
    for n in names:
        if n in seen:
            k = seen[n] + 1
            while f"{n}.{k}" in taken:
                k += 1
            seen[n] = k
            unique.append(f"{n}.{k}")
            taken.add(f"{n}.{k}")
        else:
            seen[n] = 0
            unique.append(n)
    return unique


def header_row(table: Table, index: int) -> list[str]:
    """The tidied cells of the table's ``index``-th row (0-based), as header names."""
    grid = table.text()
    if index >= len(grid):
        raise IndexError(f"header row {index + 1} missing: the file has {len(grid)} non-blank rows")
    return [tidy_text(v) for v in grid.iloc[index]]


class Reader:
    """Base of the platform readers: a subclass says how it recognises its platform and how columns are named.

    Class attributes: ``name`` (the format's registered name), ``layout`` (said in ``Survey.sources``),
    ``header_rows``, ``bookkeeping`` (the platform's own columns) and ``personal`` (column positions
    that always hold personal data).  :meth:`read` assembles the :class:`RawExport` from :meth:`names`
    (column names and question texts) and :meth:`flags` (previews, tests, unfinished responses).
    """

    name: ClassVar[str] = ""
    layout: ClassVar[str] = "one header row"
    header_rows: ClassVar[int] = 1
    bookkeeping: ClassVar[tuple[str, ...]] = ()
    personal: ClassVar[tuple[int, ...]] = ()

    def detect(self, grid: pd.DataFrame) -> bool:
        """True where ``grid`` (the file's text cells) looks like this platform's export."""
        raise NotImplementedError

    def names(self, table: Table) -> tuple[list[str], list[str]]:
        """The column names (as a codebook names them) and the question texts; default: the header row."""
        names = header_row(table, 0)
        return names, names

    def flags(self, table: Table, names: list[str]) -> dict:
        """``preview``, ``test`` and ``finished`` arrays aligned with the data rows (default: none given)."""
        return {}

    def own_columns(self, names: list[str]) -> tuple[str, ...]:
        """The platform's bookkeeping columns of this file (default: :attr:`bookkeeping`)."""
        return self.bookkeeping

    def header_count(self, table: Table) -> int:
        """How many header rows this file has (default: :attr:`header_rows`)."""
        return self.header_rows

    def layout_of(self, table: Table) -> str:
        """The layout said in ``Survey.sources`` (default: :attr:`layout`)."""
        return self.layout

    def read(self, table: Table) -> RawExport:
        """Read the export (see the platform's module)."""
        names, texts = self.names(table)
        return make_export(
            table,
            self.name,
            names,
            header_rows=self.header_count(table),
            questions=texts,
            details={"layout": self.layout_of(table)},
            personal=self.personal,
            bookkeeping=self.own_columns(names),
            **self.flags(table, names),
        )


def column_of(names: list[str], body: pd.DataFrame, *candidates: str) -> pd.Series | None:
    """The data column headed by the first of ``candidates`` present (compared without case), or None."""
    folded = [n.casefold() for n in names]
    for c in candidates:
        if c.casefold() in folded:
            return body.iloc[:, folded.index(c.casefold())].reset_index(drop=True)
    return None


def make_export(
    table: Table,
    fmt: str,
    names,
    *,
    header_rows: int,
    questions=None,
    preview=None,
    test=None,
    finished=None,
    details=None,
    personal=(),
    bookkeeping=(),
    body: pd.DataFrame | None = None,
    rows=None,
) -> RawExport:
    """Assemble a :class:`RawExport` from a table, its column names and its header rows.

    ``names`` become the column names (duplicates get ``.1``, ``.2`` suffixes
    as in pandas); personal-data columns are dropped, those recognised by
    name and the column positions listed in ``personal`` (columns a platform
    reserves for personal data whatever their localised header);
    ``preview``/``test``/``finished`` are boolean arrays aligned with the data
    rows (default: False, False, True).  ``body`` and ``rows`` default to the
    table's rows after ``header_rows`` and their row numbers (a tidy export
    passes its pivoted body instead); ``bookkeeping`` names (compared without
    case) the platform's own columns.
    """
    names = list(names)
    unique = unique_names(names)
    positional = [unique[i] for i in personal]
    body = table.text().iloc[header_rows:] if body is None else body
    rows = table.rows[header_rows:] if rows is None else rows
    data = body.set_axis(unique, axis=1).reset_index(drop=True)  # copy-on-write: no copy of the cells
    n = len(data)
    kept, why = drop_personal_data(data, also=positional)
    data, identities = kept, identity_hashes(data, why)
    meta = pd.DataFrame(
        {
            "row": np.asarray(rows, "int64"),
            "preview": np.zeros(n, bool) if preview is None else np.asarray(preview, bool),
            "test": np.zeros(n, bool) if test is None else np.asarray(test, bool),
            "finished": np.ones(n, bool) if finished is None else np.asarray(finished, bool),
        }
    )
    if questions is not None and not isinstance(questions, dict):
        questions = dict(zip(unique, questions))
    q = {c: question_text(t) for c, t in (questions or {}).items() if c in data.columns}
    folded = {b.casefold() for b in bookkeeping}
    return RawExport(
        path=table.path,
        format=fmt,
        data=data,
        meta=meta,
        questions=q,
        personal_columns=list(why),
        personal_why=why,
        identities=identities,
        sheet=table.sheet,
        details=dict(details or {}),
        bookkeeping=[c for c in data.columns if c.casefold() in folded],
    )
