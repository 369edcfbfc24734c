"""KPI workbooks read into the tidy KPI table: :func:`read_kpis`.

Partners attach measurable KPIs to their big-picture goal (*goal* KPIs: fewer
complaints, faster resolution, better review scores) and track KPIs of the
partnership itself (*partnership* KPIs: engagement, scope of work delivered,
meetings held versus planned).  Clients keep them in one of two layouts:

**long**: one row per KPI and period::

    kpi | kind | partner | period | actual | target | direction | unit

**wide**: one row per KPI, one column per period (headers holding a year,
such as ``2025``, ``FY2025`` or ``2025-Q3``)::

    kpi | kind | partner | unit | direction | target | 2024 | 2025 | 2026

``partner`` (an organisation or ``joint``; ``Joint``/``both``/blank read as ``joint``) may be left out;
``kind`` may be left out when the sheet's name says it (``Goal KPIs``,
``Partnership KPIs``); ``notes``, ``description``, ``definition``,
``source``, ``owner`` and ``comments`` columns are allowed and ignored.
The scorecard of a period is :func:`partnerlib.analysis.kpis.kpi_scorecard`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from ..exceptions import PartnerDataError, shorten
from ..schemas import KPI_COLUMNS, validate_kpis
from ..vocabulary import KPI_DIRECTIONS, KPI_KINDS
from .sheets import Sheet, is_blank, read_sheets
from .tables import open_workbook

IGNORED = ("notes", "note", "description", "definition", "source", "owner", "comments", "comment")
#: Cell texts that mean "not measured this period" (read as a missing actual, never as 0).
NOT_AVAILABLE = ("n/a", "na", "n.a.", "not available", "-", "–", "—")
_DIRECTION_WORDS = {
    "higher": "higher",
    "higher is better": "higher",
    "up": "higher",
    "increase": "higher",
    "lower": "lower",
    "lower is better": "lower",
    "down": "lower",
    "decrease": "lower",
}
_PERCENT_WORDS = ("%", "percent", "per cent", "pct")
#: A currency sign and the ISO codes it stands for: ``$1,200`` is in the unit of a KPI whose unit is ``USD``.
CURRENCY_CODES = {"$": ("USD",), "£": ("GBP",), "€": ("EUR",), "¥": ("JPY", "CNY")}
_PERIOD_HEADER = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_NUMBER = re.compile(
    r"""^(?P<cur>[£$€¥])?\s*
                          (?P<num>[-+\u2212]?(?:\d{1,3}(?:[,\u00a0\u202f\ ]\d{3})+|\d+)(?:\.\d+)?|[-+\u2212]?\.\d+)
                          \s*(?P<unit>%|[^\d\s][^\d]*)?$""",
    re.X,
)


def normalise_unit(unit) -> str:
    """Unit text tidied for comparison: ``"Percent"`` -> ``"%"``, ``"Days"`` -> ``"days"``; blank -> ``""``."""
    if is_blank(unit):
        return ""
    text = " ".join(str(unit).split())
    return "%" if text.casefold() in _PERCENT_WORDS else text


def same_unit(a: str, b: str) -> bool:
    """True where two units are the same: case and a plural ``s`` aside, and a currency sign equal to its code."""
    fold = [u if u == "%" else u.casefold().rstrip("s") for u in (a, b)]
    if fold[0] == fold[1]:
        return True
    for sign, codes in CURRENCY_CODES.items():
        folded = {c.casefold() for c in codes}
        if (a == sign and fold[1] in folded) or (b == sign and fold[0] in folded):
            return True
    return False


def parse_number(value) -> tuple[float, str]:
    """Read one KPI cell as ``(number, unit written in the cell)``.

    The rule:

    - native numbers are taken as they are (a cell formatted as a percentage
      is read as the percentage it shows, ``0.85`` -> ``85`` with unit ``%``);
    - blank, ``n/a``, ``na``, ``n.a.``, ``not available`` and a lone dash
      mean *not measured*: the result is NaN (the scorecard shows ``no data``);
    - text numbers may carry thousands separators in groups of three
      (``1,234``, ``1 234``), a decimal point (``12.5``), a leading currency
      sign (``£1,200``: unit ``£``; also ``$``, ``€``, ``¥``), a trailing ``%``
      (``85%``: 85, unit ``%``) or a trailing unit word (``12 days``: 12, unit
      ``days``), and a minus sign;
    - anything else, including decimal commas (``12,5``), is an error.

    Raises
    ------
    PartnerDataError
        Saying what was expected (the caller adds where).
    """
    if isinstance(value, bool):
        raise PartnerDataError("TRUE/FALSE is not a KPI value; expected a number such as 1,234, 85% or 12 days")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return (float("nan"), "") if (isinstance(value, float) and math.isnan(value)) else (float(value), "")
    if is_blank(value) or str(value).strip().casefold() in NOT_AVAILABLE:
        return float("nan"), ""
    text = " ".join(str(value).replace("\u00a0", " ").split())
    m = _NUMBER.match(text)
    if not m:
        raise PartnerDataError(
            "not a number; expected a number such as 1234, 1,234, 12.5, 85%, £1,200 or 12 days "
            "(decimal point, not comma), or n/a where not measured"
        )
    if m["cur"] and m["unit"]:
        raise PartnerDataError(
            "both a currency sign and a unit; expected a number with one unit, such as £1,200 or 12 days"
        )
    digits = re.sub(r"[,\u00a0\u202f ]", "", m["num"]).replace("\u2212", "-")
    return float(digits), m["cur"] or normalise_unit(m["unit"])


def _tidy(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _partner(value) -> str:
    text = _tidy(value)
    return "joint" if not text or text.casefold() in ("joint", "both") else text


def _direction(value) -> str:
    text = _tidy(value).casefold()
    if not text:
        raise PartnerDataError(
            "the KPI has no direction; expected 'higher' or 'lower' (is better), since a KPI "
            "cannot be judged without knowing which way is good"
        )
    if text not in _DIRECTION_WORDS:
        raise PartnerDataError(
            f"unknown direction; expected {' or '.join(repr(d) for d in KPI_DIRECTIONS)} (is better)"
        )
    return _DIRECTION_WORDS[text]


def _kind(value, sheet: Sheet) -> str:
    text = _tidy(value).casefold()
    if not text and sheet.name:
        found = [k for k in KPI_KINDS if k in sheet.name.casefold()]
        if len(found) == 1:
            return found[0]
    text = text.removesuffix(" kpi")
    if text not in KPI_KINDS:
        raise PartnerDataError(
            "expected kind 'goal' (a KPI of the partners' goal) or 'partnership' (a KPI of the "
            "partnership itself)" + ("" if text else "; or name the sheet 'Goal KPIs' / 'Partnership KPIs'")
        )
    return text


def _value_and_unit(value, unit: str, kpi: str) -> tuple[float, str]:
    number, written = parse_number(value)
    if written and unit and not same_unit(written, unit):
        raise PartnerDataError(
            f"KPI {shorten(repr(kpi))}: unit '{written}' differs from the KPI's unit '{unit}'; expected values in "
            f"'{unit}'"
        )
    return number, written


def _layout(sheet: Sheet) -> tuple[str, dict[str, int], list[tuple[int, str]]]:
    """Decide long or wide; return the layout, known column positions and the period columns of a wide sheet."""
    known: dict[str, int] = {}
    periods, unknown = [], []
    for i, h in enumerate(sheet.header):
        key = h.casefold()
        key = "actual" if key == "value" else key
        if key in KPI_COLUMNS and key not in known:
            known[key] = i
        elif key in IGNORED:
            continue
        elif _PERIOD_HEADER.search(h):
            periods.append((i, h))
        else:
            unknown.append(h)
    layout = "long" if "period" in known else "wide"
    if layout == "long":
        unknown += [h for _, h in periods]
    elif not periods:
        raise sheet.error(
            f"neither layout: no 'period' column (long layout) and no column headed by a year such "
            f"as 2025 (wide layout); the header is {shorten(str(sheet.header))}"
        )
    if unknown:
        expected = (
            KPI_COLUMNS
            if layout == "long"
            else [c for c in KPI_COLUMNS if c not in ("period", "actual")] + ["<one column per period>"]
        )
        raise sheet.error(
            f"unexpected columns {shorten(str(unknown))} in a {layout} KPI sheet; expected {expected} (plus any of "
            f"{list(IGNORED[:6])}); check spelling"
        )
    missing = [
        c
        for c in (["kpi", "period", "actual", "direction"] if layout == "long" else ["kpi", "direction"])
        if c not in known
    ]
    if missing:
        raise sheet.error(f"no column {missing} in a {layout} KPI sheet; the header is {shorten(str(sheet.header))}")
    return layout, known, periods


def _row_records(sheet: Sheet, number: int, row: list, layout, known, periods) -> list[dict]:
    """The tidy records of one KPI row (one per period), errors located at their cell."""

    def cell(col):
        return row[known[col]] if col in known else None

    def at(col):
        return sheet.at(number, sheet.header[known[col]] if col in known else col, cell(col))

    kpi = _tidy(cell("kpi"))
    if not kpi:
        raise sheet.error("blank KPI name; expected every row to name its KPI", number, "kpi")
    with at("kind"):
        kind = _kind(cell("kind"), sheet)
    with at("direction"):
        direction = _direction(cell("direction"))
    base = {
        "kpi": kpi,
        "kind": kind,
        "partner": _partner(cell("partner")),
        "direction": direction,
        "unit": normalise_unit(cell("unit")),
    }
    with at("target"):
        target, t_unit = _value_and_unit(cell("target"), base["unit"], kpi)
    cells = [(_tidy(cell("period")), known["actual"])] if layout == "long" else [(h, i) for i, h in periods]
    values, units = [], {t_unit} - {""}
    for period, i in cells:
        if not period:
            raise sheet.error("blank period; expected the period the row measures (e.g. 2025)", number, "period")
        with sheet.at(number, sheet.header[i], row[i]):
            actual, unit = _value_and_unit(row[i], base["unit"], kpi)
        values.append((period, actual))
        units |= {unit} - {""}
    if not base["unit"] and len(units) > 1:
        raise sheet.error(
            f"KPI {shorten(repr(kpi))}: values written in different units {sorted(units)}; expected one unit per KPI",
            number,
            "kpi",
            kpi,
        )
    if not base["unit"] and units:
        base["unit"] = units.pop()
    return [{**base, "period": p, "actual": a, "target": target, "_row": number} for p, a in values]


def _check_consistent(sheet_of: dict, records: list[dict]) -> None:
    """One value per KPI, partner and period; the same direction, kind and unit on every row of a KPI."""
    seen: dict[tuple, dict] = {}
    first_of_kpi: dict[tuple, dict] = {}
    for r in records:
        sheet = sheet_of[id(r)]
        key = (r["kpi"], r["partner"], r["period"])
        if key in seen:
            first = seen[key]
            raise sheet.error(
                f"KPI {shorten(repr(r['kpi']))} of {shorten(repr(r['partner']))} for period {shorten(r['period'])} "
                "appears again (first "
                f"at {_where(sheet_of[id(first)], first)}); expected one value per KPI, partner and "
                "period",
                r["_row"],
                value=r["kpi"],
            )
        seen[key] = r
        first = first_of_kpi.setdefault((r["kpi"], r["partner"]), r)
        for col in ("direction", "kind", "unit"):
            if r[col] != first[col]:
                raise sheet.error(
                    f"KPI {shorten(repr(r['kpi']))} has {col} {shorten(repr(first[col]))} at "
                    f"{_where(sheet_of[id(first)], first)}"
                    f"; expected the same {col} on every row of a KPI",
                    r["_row"],
                    col,
                    r[col],
                )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _value_columns(layout: str, known: dict[str, int], periods: list[tuple[int, str]]) -> list[int]:
    """The positions of a KPI sheet's value cells: actual (or one per period) and target."""
    values = [known["actual"]] if layout == "long" else [i for i, _ in periods]
    return values + ([known["target"]] if "target" in known else [])


def _hidden_values(sheet: Sheet, blanks: dict[tuple[int, int], str]) -> None:
    """Refuse a blank value cell of a workbook that is not blank in Excel: a formula without a saved result, or a
    cell of a merged range (only its top-left cell holds the value).  ``blanks``: (row, column number) -> KPI.

    openpyxl reads both as empty, so the worksheet's XML is read for them (it is within the limits the workbook
    was read under); a formula whose saved result is empty text (``=IF(A2="","",A2)``) is a blank as written.
    """
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

    refs = {f"{get_column_letter(col)}{row}" for row, col in blanks}
    wb = open_workbook(sheet.path)
    try:
        with wb[sheet.name]._get_source() as source:  # the worksheet's XML in the workbook's zip
            formulas: dict[tuple[int, int], str] = {}
            merged: list[tuple[int, int, int, int]] = []
            for _, element in iterparse(source, events=("end",)):
                if element.tag == f"{_MAIN}c" and element.get("r") in refs:
                    formula, cached = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
                    no_result = cached is None or (not cached.text and element.get("t") != "str")
                    if formula is not None and no_result:
                        formulas[coordinate_to_tuple(element.get("r", ""))] = formula.text or "(shared formula)"
                elif element.tag == f"{_MAIN}mergeCell":
                    lo_col, lo_row, hi_col, hi_row = range_boundaries(element.get("ref", ""))
                    merged.append((lo_row or 0, lo_col or 0, hi_row or 0, hi_col or 0))
                if element.tag in (f"{_MAIN}row", f"{_MAIN}mergeCell"):
                    element.clear()
    finally:
        wb.close()
    for (row, col), kpi in sorted(blanks.items()):
        cell = f"{get_column_letter(col)}{row}"
        if (row, col) in formulas:
            raise sheet.error(
                f"KPI {shorten(repr(kpi))}: cell {cell} holds the formula ={shorten(formulas[row, col])} but no "
                "saved result (the "
                "workbook was last saved by a program that does not calculate), so it would read as no data; open "
                "and save it in Excel or LibreOffice, or write the value",
                row,
                sheet.header[col - 1],
            )
        for lo_row, lo_col, hi_row, hi_col in merged:
            if lo_row <= row <= hi_row and lo_col <= col <= hi_col and (row, col) != (lo_row, lo_col):
                span = f"{get_column_letter(lo_col)}{lo_row}:{get_column_letter(hi_col)}{hi_row}"
                raise sheet.error(
                    f"KPI {shorten(repr(kpi))}: cell {cell} is part of the merged cells {span}, whose value stands in "
                    f"{get_column_letter(lo_col)}{lo_row} only, so it would read as no data; unmerge the cells and "
                    "write the value in each (or n/a where not measured)",
                    row,
                    sheet.header[col - 1],
                )


def _where(sheet: Sheet, record: dict) -> str:
    return f"{'sheet ' + repr(sheet.name) + ', ' if sheet.name else ''}row {record['_row']}"


def read_kpis(path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a KPI file: a CSV, or every worksheet of an XLSX workbook (or only ``sheet``).

    Each sheet may be in the long or the wide layout (see the module notes):
    a sheet with a ``period`` column is long; otherwise every column headed
    by a year (``2025``, ``FY2025``, ``2025-Q3``) is a period column.  Numbers
    are read by the rule of :func:`parse_number`.

    Returns
    -------
    DataFrame
        The tidy KPI table, one row per KPI, partner and period: ``kpi``,
        ``kind`` (``goal``/``partnership``), ``partner`` (``joint`` where not
        given), ``period`` (text), ``actual`` and ``target`` (float; NaN =
        not measured / no target), ``direction`` (``higher``/``lower`` is
        better), ``unit`` (``""`` where none; taken from the values, e.g.
        ``%``, when the unit column is blank).  Rows are in file order.

    Raises
    ------
    PartnerDataError
        Naming file, sheet, row, column and value (and the KPI): a value that
        is not a number, a KPI without a direction, an unknown kind or
        direction, an unexpected column, a unit that differs from the KPI's
        unit, the same KPI, partner and period twice, a KPI whose direction,
        kind or unit differs between rows.
    """
    sheets = read_sheets(path, sheet)
    if not sheets:
        raise PartnerDataError(
            f"no KPI table found; expected a header row with {KPI_COLUMNS} (long layout) or "
            "kpi, direction and one column per period (wide layout)",
            path=path,
        )
    records, sheet_of = [], {}
    for s in sheets:
        layout, known, periods = _layout(s)
        blanks: dict[tuple[int, int], str] = {}  # (row, column number) of an empty value cell -> its KPI
        values = _value_columns(layout, known, periods)
        for number, row in zip(s.row_numbers, s.rows):
            for r in _row_records(s, number, row, layout, known, periods):
                records.append(r)
                sheet_of[id(r)] = s
            blanks |= {(number, i + 1): _tidy(row[known["kpi"]]) for i in values if is_blank(row[i])}
        if blanks and s.name is not None:
            _hidden_values(s, blanks)
    _check_consistent(sheet_of, records)
    frame = pd.DataFrame([{c: r[c] for c in KPI_COLUMNS} for r in records], columns=KPI_COLUMNS)
    frame = frame.astype({c: "str" for c in ("kpi", "kind", "partner", "period", "direction", "unit")})
    frame = frame.astype({"actual": float, "target": float})
    return validate_kpis(frame, path)
