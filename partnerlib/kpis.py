"""KPIs: the client's measures of its goal and of the partnership, and the scorecard of a period.

Partners attach measurable KPIs to their big-picture goal (*goal* KPIs: fewer
complaints, faster resolution, better review scores) and track KPIs of the
partnership itself (*partnership* KPIs: engagement, scope of work delivered,
meetings held versus planned).  Clients keep them in one of two layouts,
both read by :func:`read_kpis`:

**long**: one row per KPI and period::

    kpi | kind | partner | period | actual | target | direction | unit

**wide**: one row per KPI, one column per period (headers holding a year,
such as ``2025``, ``FY2025`` or ``2025-Q3``)::

    kpi | kind | partner | unit | direction | target | 2024 | 2025 | 2026

``partner`` (an organisation or ``joint``; ``Joint``/``both``/blank read as ``joint``) may be left out;
``kind`` may be left out when the sheet's name says it (``Goal KPIs``,
``Partnership KPIs``); ``notes``, ``description``, ``definition``,
``source``, ``owner`` and ``comments`` columns are allowed and ignored.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .exceptions import PartnerDataError
from .sheets import Sheet, is_blank, read_sheets

KINDS = ("goal", "partnership")
DIRECTIONS = ("higher", "lower")
STATUSES = ("on track", "watch", "off track", "no target", "no data")
COLUMNS = ["kpi", "kind", "partner", "period", "actual", "target", "direction", "unit"]
IGNORED = ("notes", "note", "description", "definition", "source", "owner", "comments", "comment")
#: Cell texts that mean "not measured this period" (read as a missing actual, never as 0).
NOT_AVAILABLE = ("n/a", "na", "n.a.", "not available", "-", "–", "—")
_DIRECTION_WORDS = {"higher": "higher", "higher is better": "higher", "up": "higher", "increase": "higher",
                    "lower": "lower", "lower is better": "lower", "down": "lower", "decrease": "lower"}
_PERCENT_WORDS = ("%", "percent", "per cent", "pct")
_PERIOD_HEADER = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_NUMBER = re.compile(r"""^(?P<cur>[£$€])?\s*
                          (?P<num>[-+\u2212]?(?:\d{1,3}(?:[,\u00a0\u202f\ ]\d{3})+|\d+)(?:\.\d+)?|[-+\u2212]?\.\d+)
                          \s*(?P<unit>%|[^\d\s][^\d]*)?$""", re.X)


#: pandera schema of the tidy KPI table (checked when it is built and when it is scored).
KPI_SCHEMA = pa.DataFrameSchema({
    "kpi": pa.Column(str), "kind": pa.Column(str, pa.Check.isin(KINDS)), "partner": pa.Column(str),
    "period": pa.Column(str), "actual": pa.Column(float, nullable=True, coerce=True),
    "target": pa.Column(float, nullable=True, coerce=True),
    "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)), "unit": pa.Column(str),
}, strict=True, ordered=True)


def validate_kpis(kpis: pd.DataFrame, where: str = "KPI table") -> pd.DataFrame:
    """Check a KPI table against :data:`KPI_SCHEMA`, raising :class:`PartnerDataError` naming the failed check."""
    try:
        return KPI_SCHEMA.validate(kpis)
    except (SchemaError, SchemaErrors) as exc:
        raise PartnerDataError(f"{where}: not a tidy KPI table with columns {COLUMNS} "
                               f"(kind in {list(KINDS)}, direction in {list(DIRECTIONS)}): {exc}") from exc


def normalise_unit(unit) -> str:
    """Unit text tidied for comparison: ``"Percent"`` -> ``"%"``, ``"Days"`` -> ``"days"``; blank -> ``""``."""
    if is_blank(unit):
        return ""
    text = " ".join(str(unit).split())
    return "%" if text.casefold() in _PERCENT_WORDS else text


def _same_unit(a: str, b: str) -> bool:
    fold = [u.casefold().rstrip("s") if u != "%" else u for u in (a, b)]
    return fold[0] == fold[1]


def parse_number(value, place: str) -> tuple[float, str]:
    """Read one KPI cell as ``(number, unit written in the cell)``.

    The rule:

    - native numbers are taken as they are (a cell formatted as a percentage
      is read as the percentage it shows, ``0.85`` -> ``85`` with unit ``%``);
    - blank, ``n/a``, ``na``, ``n.a.``, ``not available`` and a lone dash
      mean *not measured*: the result is NaN (the scorecard shows ``no data``);
    - text numbers may carry thousands separators in groups of three
      (``1,234``, ``1 234``), a decimal point (``12.5``), a leading currency
      sign (``£1,200``: unit ``£``), a trailing ``%`` (``85%``: 85, unit ``%``)
      or a trailing unit word (``12 days``: 12, unit ``days``), and a minus sign;
    - anything else, including decimal commas (``12,5``), is an error.

    Raises
    ------
    PartnerDataError
        Naming ``place`` and saying what was expected.
    """
    if isinstance(value, bool):
        raise PartnerDataError(f"{place}: TRUE/FALSE is not a KPI value; expected a number such as 1,234, 85% "
                               "or 12 days")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return (float("nan"), "") if (isinstance(value, float) and math.isnan(value)) else (float(value), "")
    if is_blank(value) or str(value).strip().casefold() in NOT_AVAILABLE:
        return float("nan"), ""
    text = " ".join(str(value).replace("\u00a0", " ").split())
    m = _NUMBER.match(text)
    if not m:
        raise PartnerDataError(f"{place}: not a number; expected a number such as 1234, 1,234, 12.5, 85%, "
                               "£1,200 or 12 days (decimal point, not comma), or n/a where not measured")
    digits = re.sub(r"[,\u00a0\u202f ]", "", m["num"]).replace("\u2212", "-")
    unit = m["cur"] or normalise_unit(m["unit"])
    if m["cur"] and m["unit"]:
        raise PartnerDataError(f"{place}: both a currency sign and a unit; expected a number with one unit, "
                               "such as £1,200 or 12 days")
    return float(digits), unit


def _tidy(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _partner(value) -> str:
    text = _tidy(value)
    return "joint" if not text or text.casefold() in ("joint", "both") else text


def _direction(value, place: str) -> str:
    text = _tidy(value).casefold()
    if not text:
        raise PartnerDataError(f"{place}: the KPI has no direction; expected 'higher' or 'lower' (is better), "
                               "since a KPI cannot be judged without knowing which way is good")
    if text not in _DIRECTION_WORDS:
        raise PartnerDataError(f"{place}: unknown direction; expected 'higher' or 'lower' (is better)")
    return _DIRECTION_WORDS[text]


def _kind(value, sheet: Sheet, place: str) -> str:
    text = _tidy(value).casefold()
    if not text and sheet.name:
        words = sheet.name.casefold()
        found = [k for k in KINDS if k in words]
        if len(found) == 1:
            return found[0]
    if text.endswith(" kpi"):
        text = text[:-4]
    if text not in KINDS:
        raise PartnerDataError(f"{place}: expected kind 'goal' (a KPI of the partners' goal) or 'partnership' "
                               "(a KPI of the partnership itself)" + ("" if text else
                                                                      "; or name the sheet 'Goal KPIs' / "
                                                                      "'Partnership KPIs'"))
    return text


def _value_and_unit(value, unit: str, place: str) -> tuple[float, str]:
    number, written = parse_number(value, place)
    if written and unit and not _same_unit(written, unit):
        raise PartnerDataError(f"{place}: unit '{written}' differs from the KPI's unit '{unit}'; expected values "
                               f"in '{unit}'")
    return number, written


def _layout(sheet: Sheet) -> tuple[str, dict[str, int], list[tuple[int, str]]]:
    """Decide long or wide; return the layout, known column positions and the period columns of a wide sheet."""
    known = {}
    periods, unknown = [], []
    for i, h in enumerate(sheet.header):
        key = h.casefold()
        key = "actual" if key == "value" else key
        if key in COLUMNS and key not in known:
            known[key] = i
        elif key in IGNORED:
            continue
        elif _PERIOD_HEADER.search(h):
            periods.append((i, h))
        else:
            unknown.append(h)
    if "period" in known:
        layout = "long"
        need = ["kpi", "period", "actual", "direction"]
        if periods:
            unknown += [h for _, h in periods]
    else:
        layout = "wide"
        need = ["kpi", "direction"]
        if not periods:
            raise PartnerDataError(f"{sheet.place()}: neither layout: no 'period' column (long layout) and no "
                                   f"column headed by a year such as 2025 (wide layout); the header is "
                                   f"{sheet.header}")
    if unknown:
        expected = COLUMNS if layout == "long" else \
            [c for c in COLUMNS if c not in ("period", "actual")] + ["<one column per period>"]
        raise PartnerDataError(f"{sheet.place()}: unexpected columns {unknown} in a {layout} KPI sheet; expected "
                               f"{expected} (plus any of {list(IGNORED[:6])}); check spelling")
    missing = [c for c in need if c not in known]
    if missing:
        raise PartnerDataError(f"{sheet.place()}: no column {missing} in a {layout} KPI sheet; the header is "
                               f"{sheet.header}")
    return layout, known, periods


def _sheet_records(sheet: Sheet) -> list[dict]:
    layout, known, periods = _layout(sheet)

    def cell(row, col):
        return row[known[col]] if col in known else None

    def where(number, col, value):
        name = sheet.header[known[col]] if col in known else col
        return sheet.place(number, name, value)

    records = []
    for number, row in zip(sheet.row_numbers, sheet.rows):
        kpi = _tidy(cell(row, "kpi"))
        if not kpi:
            raise PartnerDataError(f"{where(number, 'kpi', None)}: blank KPI name; expected every row to name "
                                   "its KPI")
        base = {"kpi": kpi, "kind": _kind(cell(row, "kind"), sheet, where(number, "kind", cell(row, "kind"))),
                "partner": _partner(cell(row, "partner")),
                "direction": _direction(cell(row, "direction"), where(number, "direction", cell(row, "direction"))),
                "unit": normalise_unit(cell(row, "unit"))}
        target, t_unit = _value_and_unit(cell(row, "target"), base["unit"], where(number, "target",
                                                                                   cell(row, "target")))
        found_units = {t_unit} - {""}
        values = []
        if layout == "long":
            period = _tidy(cell(row, "period"))
            if not period:
                raise PartnerDataError(f"{where(number, 'period', None)}: blank period; expected the period "
                                       "the row measures (e.g. 2025)")
            actual, a_unit = _value_and_unit(cell(row, "actual"), base["unit"],
                                             where(number, "actual", cell(row, "actual")))
            values.append((period, actual, number))
            found_units |= {a_unit} - {""}
        else:
            for i, header in periods:
                actual, a_unit = _value_and_unit(row[i], base["unit"], sheet.place(number, header, row[i]))
                values.append((header, actual, number))
                found_units |= {a_unit} - {""}
        if not base["unit"] and found_units:
            if len(found_units) > 1:
                raise PartnerDataError(f"{where(number, 'kpi', kpi)}: values written in different units "
                                       f"{sorted(found_units)}; expected one unit per KPI")
            base["unit"] = found_units.pop()
        for period, actual, num in values:
            records.append({**base, "period": period, "actual": actual, "target": target,
                            "_place": sheet.place(num)})
    return records


def read_kpis(path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a KPI file: a CSV, or every worksheet of an XLSX workbook (or only ``sheet``).

    Each sheet may be in the long or the wide layout (see the module notes):
    a sheet with a ``period`` column is long; otherwise every column headed
    by a year (``2025``, ``FY2025``, ``2025-Q3``) is a period column.  Numbers
    are read by the rule of :func:`parse_number`.

    Parameters
    ----------
    path : str or Path
    sheet : str, optional
        Read only this worksheet of a workbook.

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
        Naming file, sheet, row, column and value: a value that is not a
        number, a KPI without a direction, an unknown kind or direction, an
        unexpected column, a unit that differs from the KPI's unit, the same
        KPI, partner and period twice, a KPI whose direction, kind or unit
        differs between rows.
    """
    sheets = read_sheets(path, sheet)
    if not sheets:
        raise PartnerDataError(f"file '{path}': no KPI table found; expected a header row with {COLUMNS} "
                               "(long layout) or kpi, direction and one column per period (wide layout)")
    records = [r for s in sheets for r in _sheet_records(s)]
    seen: dict[tuple, dict] = {}
    first_of_kpi: dict[tuple, dict] = {}
    for r in records:
        key = (r["kpi"], r["partner"], r["period"])
        if key in seen:
            raise PartnerDataError(f"{r['_place']}, value {r['kpi']!r}: KPI '{r['kpi']}' of '{r['partner']}' "
                                   f"for period {r['period']} appears again (first at {seen[key]['_place']}); "
                                   "expected one value per KPI, partner and period")
        seen[key] = r
        first = first_of_kpi.setdefault((r["kpi"], r["partner"]), r)
        for col in ("direction", "kind", "unit"):
            if r[col] != first[col]:
                raise PartnerDataError(f"{r['_place']}, column '{col}', value {r[col]!r}: KPI '{r['kpi']}' has "
                                       f"{col} {first[col]!r} at {first['_place']}; expected the same {col} on "
                                       "every row of a KPI")
    frame = pd.DataFrame([{c: r[c] for c in COLUMNS} for r in records], columns=COLUMNS)
    for c in ("kpi", "kind", "partner", "period", "direction", "unit"):
        frame[c] = frame[c].astype("str")
    for c in ("actual", "target"):
        frame[c] = frame[c].astype(float)
    frame.attrs["source"] = str(path)
    return validate_kpis(frame, f"file '{path}'")


def period_order(kpis: pd.DataFrame) -> list[str]:
    """The KPI periods in time order: sorted as text (``2024`` < ``2025`` < ``2025-Q3`` < ``2026``)."""
    col = kpis["period"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        present = set(col.dropna().astype(str))
        return [str(c) for c in col.cat.categories if str(c) in present]
    return sorted(set(col.dropna().astype(str)))


def kpi_status(actual, target, direction, *, tolerance: float = 0.05) -> np.ndarray:
    """Status of KPI values against their targets.

    - ``no data`` where ``actual`` is missing; ``no target`` where ``target`` is;
    - ``shortfall`` = ``target - actual`` for *higher is better*, ``actual -
      target`` for *lower is better*;
    - ``on track`` where ``shortfall <= 0`` (the target is met in the KPI's direction);
    - ``watch`` where ``0 < shortfall <= tolerance * |target|`` (missed by at
      most the tolerance, 5 % of the target by default);
    - ``off track`` otherwise.

    Comparisons allow for floating-point rounding (1e-9 relative), so a value
    exactly on a boundary gets the better status.
    """
    actual = np.asarray(actual, float)
    target = np.asarray(target, float)
    higher = np.asarray(direction, object) == "higher"
    shortfall = np.where(higher, target - actual, actual - target)
    slack = 1e-9 * np.maximum(1.0, np.abs(target))
    status = np.where(shortfall <= slack, "on track",
                      np.where(shortfall <= tolerance * np.abs(target) + slack, "watch", "off track")).astype(object)
    status[np.isnan(target)] = "no target"
    status[np.isnan(actual)] = "no data"
    return status


def kpi_scorecard(kpis: pd.DataFrame, period, *, tolerance: float = 0.05) -> pd.DataFrame:
    """The scorecard of one period: each KPI against its target, its change and its run off track.

    Parameters
    ----------
    kpis : DataFrame
        The tidy table of :func:`read_kpis`.
    period : str
        The period to score (``"2026"``).
    tolerance : float
        The share of ``|target|`` by which a KPI may miss its target and still
        be on ``watch`` rather than ``off track`` (default 0.05 = 5 %).

    Returns
    -------
    DataFrame
        One row per KPI and partner (goal KPIs first, then partnership KPIs,
        each in file order): ``kpi``, ``kind``, ``partner``, ``unit``,
        ``direction``, ``period``, ``actual``, ``target``, then

        - ``status``: see :func:`kpi_status` (``on track``, ``watch``,
          ``off track``, ``no target``, ``no data``);
        - ``shortfall``: by how much the target is missed in the KPI's
          direction (``<= 0`` = met; NaN without actual or target);
        - ``previous_period``: the period before ``period`` among all the
          table's periods (see :func:`period_order`), ``previous``: the KPI's
          actual then;
        - ``change``: ``actual - previous``;
        - ``improved``: True where the change goes the KPI's way (``change > 0``
          for *higher*, ``< 0`` for *lower*), False where it does not (including
          no change), missing where either value is;
        - ``periods_off_track``: how many periods in a row, ending with
          ``period``, the KPI has been ``off track`` (0 if it is not off track now).

    Raises
    ------
    PartnerDataError
        If ``period`` is not in the table.
    """
    kpis = validate_kpis(kpis)
    period = str(period)
    order = period_order(kpis)
    if period not in order:
        raise PartnerDataError(f"KPI period {period!r} not found; the KPI table has periods {order}")
    idx = order.index(period)
    prev = order[idx - 1] if idx > 0 else None
    keys = ["kpi", "partner"]
    frame = kpis.copy()
    frame["period"] = frame["period"].astype(str)
    frame["status"] = kpi_status(frame["actual"], frame["target"], frame["direction"], tolerance=tolerance)
    info = frame.drop_duplicates(keys)[keys + ["kind", "unit", "direction"]]
    info = info.assign(_order=np.arange(len(info)))
    status = frame.pivot(index=keys, columns="period", values="status").reindex(columns=order)
    actual = frame.pivot(index=keys, columns="period", values="actual").reindex(columns=order)
    target = frame.pivot(index=keys, columns="period", values="target").reindex(columns=order)
    out = info.set_index(keys)
    out["period"] = period
    out["actual"] = actual[period]
    out["target"] = target[period]
    out["status"] = status[period].fillna("no data")
    higher = out["direction"] == "higher"
    out["shortfall"] = np.where(higher, out["target"] - out["actual"], out["actual"] - out["target"])
    out["previous_period"] = prev if prev is not None else pd.NA
    out["previous"] = actual[prev] if prev is not None else np.nan
    out["change"] = out["actual"] - out["previous"]
    improved = np.where(higher, out["change"] > 0, out["change"] < 0)
    out["improved"] = pd.array([pd.NA if np.isnan(c) else bool(i) for c, i in zip(out["change"], improved)],
                               dtype="boolean")
    runs = []
    for key in out.index:
        n = 0
        for p in reversed(order[:idx + 1]):
            if status.loc[key, p] != "off track":
                break
            n += 1
        runs.append(n)
    out["periods_off_track"] = np.asarray(runs, dtype=int)
    out["status"] = pd.Categorical(out["status"], categories=list(STATUSES))
    out = out.reset_index()
    out["_kind"] = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    out = out.sort_values(["_kind", "_order"], kind="stable").drop(columns=["_kind", "_order"])
    cols = ["kpi", "kind", "partner", "unit", "direction", "period", "actual", "target", "status", "shortfall",
            "previous_period", "previous", "change", "improved", "periods_off_track"]
    return out[cols].reset_index(drop=True)
