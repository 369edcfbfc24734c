"""Client spreadsheets (KPIs, objectives, actions, roster) read as headed tables of located cells.

:func:`read_sheets` turns each table of :mod:`partnerlib.io.tables` into a
:class:`Sheet`: the first non-blank row is the header, every other row is
data, and every cell remembers its file, sheet, row (as a spreadsheet program
shows it) and column header, so that every error can name its place.  CSV
cells that :mod:`partnerlib.io.writing` protected against formula injection
(a leading ``'``) are read back as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import PartnerDataError
from ..settings import LIMITS, Limits
from .tables import Table, is_blank, read_tables, tidy_text
from .writing import unescape_csv_cell

__all__ = ["Sheet", "is_blank", "number_cell", "read_sheets", "tidy_text"]


@dataclass
class Sheet:
    """One headed table of a client spreadsheet, as found.

    Attributes
    ----------
    path : Path
        The file read.
    name : str or None
        The worksheet name (``None`` for a CSV file).
    header : list of str
        The column headers of the first non-blank row, tidied (:func:`tidy_text`).
    rows : list of list
        The data rows, each as long as ``header``.  CSV cells are ``str``;
        XLSX cells keep their native type (see :class:`partnerlib.io.tables.Table`).
        Blank cells are ``None``; fully blank rows are left out.
    row_numbers : list of int
        The row number of each data row, as a spreadsheet program shows it.
    header_row : int
        The row number of the header (usually 1).
    """

    path: Path
    name: str | None
    header: list[str]
    rows: list[list] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1

    def error(self, problem: str, row: int | None = None, column: str | None = None, value=None) -> PartnerDataError:
        """A :class:`PartnerDataError` located in this sheet (``row`` is a spreadsheet row number)."""
        return PartnerDataError(problem, path=self.path, sheet=self.name, row=row, column=column, value=value)

    @contextmanager
    def at(self, row: int | None = None, column: str | None = None, value=None) -> Iterator[None]:
        """Within the block, a :class:`PartnerDataError` without a location gets this cell's."""
        try:
            yield
        except PartnerDataError as exc:
            raise exc.located(path=self.path, sheet=self.name, row=row, column=column, value=value) from None

    def column(self, name: str) -> int | None:
        """Index of the column headed ``name`` (compared tidied and without case), or None."""
        want = tidy_text(name).casefold()
        for i, h in enumerate(self.header):
            if h.casefold() == want:
                return i
        return None


def number_cell(value) -> float | None:
    """A cell as a number: a number cell, or text that reads as one (``" 12 "``); ``None`` otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _cell(value, text_file: bool):
    if value is None or is_blank(value):
        return None
    return unescape_csv_cell(value) if text_file else value


def _sheet(table: Table) -> Sheet:
    """The headed sheet of one table: first row the header, a value right of the last headed column refused."""
    text_file = table.encoding is not None
    records = [[_cell(v, text_file) for v in row] for row in table.cells.itertuples(index=False)]
    if not records:
        return Sheet(table.path, table.sheet, [])
    header = [tidy_text(h) for h in records[0]]
    body, numbers = records[1:], [int(n) for n in table.rows[1:]]
    while header and header[-1] == "" and all(is_blank(r[len(header) - 1]) for r in body):
        header.pop()
    width = len(header)
    sheet = Sheet(table.path, table.sheet, header, header_row=int(table.rows[0]))
    for n, r in zip(numbers, body):
        extra = [v for v in r[width:] if not is_blank(v)]
        if extra:
            raise sheet.error(
                "a value to the right of the last headed column; expected every value under a column header",
                row=n,
                value=extra[0],
            )
        sheet.rows.append(list(r[:width]))
        sheet.row_numbers.append(n)
    for i, h in enumerate(header):
        if h == "" and any(not is_blank(r[i]) for r in sheet.rows):
            raise sheet.error(
                f"column {i + 1} has values but no header; expected a header above every column", row=sheet.header_row
            )
    return sheet


def read_sheets(path, sheet: str | None = None, *, limits: Limits = LIMITS) -> list[Sheet]:
    """Read a CSV file (one table) or an XLSX workbook (every sheet, or only ``sheet``) as headed sheets.

    Parameters
    ----------
    path : str or Path
        CSV (any encoding and delimiter :mod:`partnerlib.io.tables` reads) or XLSX.
    sheet : str, optional
        For a workbook, read only this worksheet.

    Returns
    -------
    list of Sheet
        Sheets with nothing on them are left out.

    Raises
    ------
    PartnerDataError
        The file is missing, unreadable, beyond the limits, or ``sheet`` is not in it.
    """
    found = [_sheet(t) for t in read_tables(Path(path), sheet, every=True, limits=limits)]
    return [s for s in found if s.header]
