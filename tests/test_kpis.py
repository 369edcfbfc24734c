"""KPIs: both layouts, every parse rule and error, each scorecard status boundary, change and runs off track."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import partnerlib as pl
from partnerlib import Method
from partnerlib.analysis.kpis import kpi_scorecard, kpi_status
from partnerlib.io.kpis import parse_number, read_kpis

from .conftest import error_of, write_csv

WIDE = ["kpi", "kind", "partner", "unit", "direction", "target", "2024", "2025", "2026", "notes"]
LONG = ["kpi", "kind", "partner", "period", "actual", "target", "direction", "unit"]


def wide_workbook(path):
    wb = Workbook()
    goal = wb.active
    goal.title = "Goal KPIs"
    goal.append(["KPI", "Partner", "Unit", "Direction", "Target", 2024, 2025, 2026])  # kind from the sheet name
    goal.append(["Patient complaints", "Northwind Health", None, "lower is better", "1,000", "1,234", 980, "n/a"])
    goal.append(["Resolution time", None, "days", "Lower", 10, "14 days", 11, 10.4])
    part = wb.create_sheet("Partnership KPIs")
    part.append(["kpi", "kind", "unit", "direction", "target", "2024", "2025", "2026", "notes"])
    part.append(["Survey engagement", "partnership", "%", "higher", 0.6, 0.48, 0.56, 0.63, "response rate"])
    for row in range(2, 3):
        for col in "EFGH":
            part[f"{col}{row}"].number_format = "0%"
    wb.save(path)
    return path


EXPECTED = pd.DataFrame(
    {
        "kpi": ["Patient complaints"] * 3 + ["Resolution time"] * 3 + ["Survey engagement"] * 3,
        "kind": ["goal"] * 6 + ["partnership"] * 3,
        "partner": ["Northwind Health"] * 3 + ["joint"] * 6,
        "period": ["2024", "2025", "2026"] * 3,
        "actual": [1234.0, 980.0, np.nan, 14.0, 11.0, 10.4, 48.0, 56.0, 63.0],
        "target": [1000.0] * 3 + [10.0] * 3 + [60.0] * 3,
        "direction": ["lower"] * 6 + ["higher"] * 3,
        "unit": [""] * 3 + ["days"] * 3 + ["%"] * 3,
    }
)


def test_wide_workbook_every_sheet(tmp_path):
    got = read_kpis(wide_workbook(tmp_path / "kpis.xlsx"))
    pd.testing.assert_frame_equal(
        got, EXPECTED.astype({c: "str" for c in EXPECTED.columns if c not in ("actual", "target")})
    )


def test_one_sheet_only(tmp_path):
    got = read_kpis(wide_workbook(tmp_path / "kpis.xlsx"), sheet="Partnership KPIs")
    assert got["kpi"].unique().tolist() == ["Survey engagement"]
    assert got["actual"].tolist() == pytest.approx([48.0, 56.0, 63.0])
    with pytest.raises(pl.PartnerDataError, match=r"no sheet 'Targets'; the workbook has \['Goal KPIs', "):
        read_kpis(tmp_path / "kpis.xlsx", sheet="Targets")


def test_long_layout_gives_the_same_table(tmp_path):
    rows = [
        [r.kpi, r.kind, r.partner, r.period, "n/a" if math.isnan(r.actual) else r.actual, r.target, r.direction, r.unit]
        for r in EXPECTED.itertuples()
    ]
    rows[0][4] = "1,234"  # as a client would type it
    rows[6][4] = "48%"
    got = read_kpis(write_csv(tmp_path / "kpis.csv", LONG, rows))
    pd.testing.assert_frame_equal(
        got, EXPECTED.astype({c: "str" for c in EXPECTED.columns if c not in ("actual", "target")})
    )


def test_long_layout_accepts_value_and_infers_units(tmp_path):
    path = write_csv(
        tmp_path / "k.csv",
        ["kpi", "kind", "period", "value", "target", "direction"],
        [
            ["On-time delivery", "goal", "2025", "91%", "95%", "higher"],
            ["On-time delivery", "goal", "2026", "96 %", "95%", "higher"],
        ],
    )
    got = read_kpis(path)
    assert got["unit"].tolist() == ["%", "%"] and got["actual"].tolist() == [91.0, 96.0]
    assert got["partner"].tolist() == ["joint", "joint"]
    path = write_csv(
        tmp_path / "j.csv",
        ["kpi", "partner", "kind", "period", "value", "direction"],
        [["A", "Joint", "goal", "2025", "1", "higher"], ["B", "Both", "goal", "2025", "1", "higher"]],
    )
    assert read_kpis(path)["partner"].tolist() == ["joint", "joint"]


@pytest.mark.parametrize(
    "text, number, unit",
    [
        ("1,234", 1234.0, ""),
        ("1 234", 1234.0, ""),
        ("1,234,567.5", 1234567.5, ""),
        ("12.5", 12.5, ""),
        ("85%", 85.0, "%"),
        ("85 %", 85.0, "%"),
        ("12 days", 12.0, "days"),
        ("£1,200", 1200.0, "£"),
        ("\u22123", -3.0, ""),
        ("-0.5", -0.5, ""),
        (".5", 0.5, ""),
        ("7 percent", 7.0, "%"),
        (12, 12.0, ""),
        (0.25, 0.25, ""),
    ],
)
def test_parse_number_rule(text, number, unit):
    assert parse_number(text) == (pytest.approx(number), unit)


@pytest.mark.parametrize("text", ["n/a", "N/A", "na", "n.a.", "Not available", "-", "—", "", None, float("nan")])
def test_not_available_means_not_measured(text):
    value, unit = parse_number(text)
    assert math.isnan(value) and unit == ""


@pytest.mark.parametrize("text", ["12,5", "1,23", "abc", "1.2.3", "(5)", "12 days 3", "£5 k", "TRUE"])
def test_parse_errors_name_the_cell(tmp_path, text):
    value = True if text == "TRUE" else text
    wb = Workbook()
    ws = wb.active
    ws.title = "Goal KPIs"
    ws.append(["kpi", "unit", "direction", "target", "2025", "2026"])
    ws.append(["Complaints", "", "lower", 100, 90, value])
    path = tmp_path / "k.xlsx"
    wb.save(path)
    with pytest.raises(pl.PartnerDataError) as err:
        read_kpis(path)
    assert f"file '{path}', sheet 'Goal KPIs', row 2, column '2026', value {value!r}" in str(err.value)
    assert "expected a number" in str(err.value)


# fmt: off
SHEET_ERRORS = [
    (WIDE, ["Complaints", "goal", "", "", "", "100", "1", "2", "3", ""],
     "row 2, column 'direction': the KPI has no direction; expected 'higher' or 'lower'"),
    (WIDE, ["Complaints", "goal", "", "", "sideways", "100", "1", "2", "3", ""],
     "row 2, column 'direction', value 'sideways': unknown direction"),
    (WIDE, ["Complaints", "outcome", "", "", "lower", "100", "1", "2", "3", ""],
     "row 2, column 'kind', value 'outcome': expected kind 'goal'"),
    (WIDE, ["Complaints", "goal", "", "days", "lower", "100", "1", "3 weeks", "3", ""],
     "row 2, column '2025', value '3 weeks': KPI 'Complaints': unit 'weeks' differs from the KPI's unit 'days'"),
    (WIDE, ["Complaints", "goal", "", "", "lower", "100", "1 day", "2%", "3", ""],
     "KPI 'Complaints': values written in different units ['%', 'day']"),
    (WIDE, ["", "goal", "", "", "lower", "100", "1", "2", "3", ""], "row 2, column 'kpi': blank KPI name"),
    (["kpi", "kind", "traget", "direction", "2025"], ["Complaints", "goal", "100", "lower", "90"],
     "unexpected columns ['traget'] in a wide KPI sheet"),
    (["kpi", "kind", "target", "2025"], ["Complaints", "goal", "100", "90"], "no column ['direction']"),
    (["kpi", "kind", "target", "direction"], ["Complaints", "goal", "100", "lower"], "neither layout"),
]
# fmt: on


@pytest.mark.parametrize("header, row, message", SHEET_ERRORS)
def test_sheet_errors(tmp_path, header, row, message):
    assert message in error_of(read_kpis, write_csv(tmp_path / "k.csv", header, [row]))


def test_long_layout_errors(tmp_path):
    rows = [
        ["Complaints", "goal", "joint", "2025", "90", "100", "lower", ""],
        ["Complaints", "goal", "joint", "2025", "80", "100", "lower", ""],
    ]
    expected = (
        r"row 3, value 'Complaints': KPI 'Complaints' of 'joint' for "
        r"period 2025 appears again \(first at .*row 2\)"
    )
    with pytest.raises(pl.PartnerDataError, match=expected):
        read_kpis(write_csv(tmp_path / "a.csv", LONG, rows))
    rows[1][3], rows[1][6] = "2026", "higher"
    expected = r"row 3, column 'direction', value 'higher': KPI 'Complaints' has direction 'lower'"
    with pytest.raises(pl.PartnerDataError, match=expected):
        read_kpis(write_csv(tmp_path / "b.csv", LONG, rows))
    rows[1][6], rows[1][3] = "lower", ""
    with pytest.raises(pl.PartnerDataError, match=r"row 3, column 'period': blank period"):
        read_kpis(write_csv(tmp_path / "c.csv", LONG, rows))


# -------------------------------------------------------------------------------------------- scorecard


@pytest.mark.parametrize(
    "actual, target, direction, status",
    [
        (100, 100, "higher", "on track"),
        (101, 100, "higher", "on track"),
        (95, 100, "higher", "watch"),
        (94.99, 100, "higher", "off track"),
        (10, 10, "lower", "on track"),
        (10.5, 10, "lower", "watch"),
        (10.51, 10, "lower", "off track"),
        (9, 10, "lower", "on track"),
        (-10.5, -10, "higher", "watch"),
        (-10.6, -10, "higher", "off track"),
        (0.1, 0, "lower", "off track"),
        (5, np.nan, "higher", "no target"),
        (np.nan, 10, "lower", "no data"),
    ],
)
def test_status_boundaries(actual, target, direction, status):
    assert kpi_status([actual], [target], [direction])[0] == status


def test_tolerance_moves_the_watch_boundary():
    assert kpi_status([90], [100], ["higher"], method=Method(kpi_tolerance=0.10))[0] == "watch"
    assert kpi_status([90], [100], ["higher"], method=Method(kpi_tolerance=0.05))[0] == "off track"


def history():
    rows = []
    for period, a, b, c in [("2023", 50, 12, 5), ("2024", 70, 11, 5), ("2025", 80, 12, np.nan), ("2026", 85, 12, 7)]:
        rows.append(("Scope delivered", "partnership", "joint", period, a, 90.0, "higher", "%"))
        rows.append(("Resolution days", "goal", "Northwind Health", period, b, 10.0, "lower", "days"))
        rows.append(("Review score", "goal", "joint", period, c, np.nan, "higher", ""))
    return pd.DataFrame(rows, columns=LONG)


def test_scorecard_change_improvement_and_runs():
    card = kpi_scorecard(history(), "2026").set_index("kpi")
    assert card.index.tolist() == ["Resolution days", "Review score", "Scope delivered"]  # goal KPIs first
    scope = card.loc["Scope delivered"]
    assert scope["status"] == "off track" and scope["shortfall"] == pytest.approx(5.0)
    assert scope["previous_period"] == "2025" and scope["previous"] == 80 and scope["change"] == 5
    assert bool(scope["improved"]) is True
    assert scope["periods_off_track"] == 4  # 50, 70, 80, 85 all more than 4.5 below 90
    res = card.loc["Resolution days"]
    assert res["status"] == "off track" and res["change"] == 0 and not res["improved"]  # no change: not improved
    assert res["periods_off_track"] == 4  # 12, 11, 12, 12: each more than 0.5 above 10
    review = card.loc["Review score"]
    assert review["status"] == "no target" and pd.isna(review["improved"]) and review["periods_off_track"] == 0


def test_scorecard_runs_count_back_to_the_first_period_not_off_track():
    card = kpi_scorecard(history(), "2024").set_index("kpi")
    assert card.loc["Resolution days", "periods_off_track"] == 2  # 2023: 12, 2024: 11, both > 10.5
    assert card.loc["Resolution days", "change"] == -1 and card.loc["Resolution days", "improved"]
    first = kpi_scorecard(history(), "2023").set_index("kpi")
    assert pd.isna(first.loc["Scope delivered", "previous_period"]) and pd.isna(first.loc["Scope delivered", "change"])
    h = history()
    h.loc[(h["kpi"] == "Resolution days") & (h["period"] == "2025"), "actual"] = 10.2  # watch in 2025
    card = kpi_scorecard(h, "2026").set_index("kpi")
    assert card.loc["Resolution days", "periods_off_track"] == 1
    expected = r"KPI period '2030' not found; the KPI table has periods \['2023', '2024', '2025', '2026'\]"
    with pytest.raises(pl.PartnerDataError, match=expected):
        kpi_scorecard(history(), "2030")


def _kpi_workbook(path, change):
    wb = Workbook()
    ws = wb.active
    ws.title = "Goal KPIs"
    ws.append(["kpi", "direction", "unit", "target", "2025", "2026"])
    ws.append(["Complaints", "lower", "", 10, 14, 12])
    ws.append(["Resolution days", "lower", "days", 3, 5, None])
    change(ws)
    wb.save(path)  # openpyxl saves formulas without a result, as any program that does not calculate
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda ws: ws.__setitem__("F3", "=E3-1"),
            "row 3, column '2026': KPI 'Resolution days': cell F3 holds the formula =E3-1 but no saved result",
        ),
        (
            lambda ws: (ws.__setitem__("E3", 5), ws.merge_cells("E3:F3")),
            "row 3, column '2026': KPI 'Resolution days': cell F3 is part of the merged cells E3:F3, whose value "
            "stands in E3 only, so it would read as no data; unmerge the cells",
        ),
        (
            lambda ws: ws.merge_cells("D2:D3"),
            "row 3, column 'target': KPI 'Resolution days': cell D3 is part of the merged cells D2:D3",
        ),
    ],
)
def test_values_excel_shows_but_openpyxl_reads_as_empty_are_errors(tmp_path, change, message):
    # Before, each of these read as "no data" (a missing actual or target) without a word.
    path = _kpi_workbook(tmp_path / "kpis.xlsx", change)
    with pytest.raises(pl.PartnerDataError) as err:
        read_kpis(path)
    assert str(err.value).startswith(f"file '{path}', sheet 'Goal KPIs', {message}")


def test_blank_value_cells_and_formulas_with_results_still_read(tmp_path):
    def change(ws):
        ws["E2"] = "=10+4"  # a formula, saved below with its result as Excel does
        ws.merge_cells("A5:B5")  # a merged title under the table is no value cell
        ws["A5"] = None

    path = _kpi_workbook(tmp_path / "kpis.xlsx", change)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = (
        parts[sheet]
        .replace(b"<f>10+4</f><v />", b"<f>10+4</f><v>14</v>")
        .replace(b"<f>10+4</f><v></v>", b"<f>10+4</f><v>14</v>")
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    kpis = read_kpis(path)
    assert kpis["actual"].tolist()[:2] == [14.0, 12.0]
    assert math.isnan(kpis["actual"].iloc[3])  # F3 left blank: not measured, as before


def test_public_api_reexports():
    assert pl.read_kpis is read_kpis and pl.kpi_scorecard is kpi_scorecard


def test_demo_workbook():
    from .conftest import SAMPLE

    kpis = read_kpis(SAMPLE / "kpis.xlsx")
    assert kpis.groupby("kind")["kpi"].nunique().to_dict() == {"goal": 5, "partnership": 5}
    at = kpis.set_index(["kpi", "period"])["actual"]
    assert at[("Complaint resolution time", "2024")] == 14  # typed as "14 days"
    assert at[("Emergency orders", "2024")] == 1480  # typed as "1,480"
    assert np.isnan(at[("Review actions completed on time", "2024")])  # typed as "n/a"
    assert at[("Survey engagement (response rate)", "2026")] == pytest.approx(63)  # 68 of 108 invited: 63 %
    card = kpi_scorecard(kpis, "2026").set_index("kpi")
    assert card["status"].astype(str).to_dict() == {
        "Patient complaints about supply delays": "on track",
        "Complaint resolution time": "watch",
        "Ward review score": "off track",
        "On-time deliveries": "on track",
        "Emergency orders": "off track",
        "Survey engagement (response rate)": "on track",
        "Joint scope of work delivered": "off track",
        "Steering meetings held (planned 12)": "on track",
        "Operational reviews held (planned 48)": "watch",
        "Review actions completed on time": "off track",
    }
    assert card.loc["Review actions completed on time", "periods_off_track"] == 2  # 2024 was not measured


def test_scorecard_checks_its_input_against_the_schema():
    bad = history().assign(direction="up")
    expected = r"^not a tidy KPI table .*direction in \['higher', 'lower'\]"
    with pytest.raises(pl.PartnerDataError, match=expected):
        kpi_scorecard(bad, "2026")
    with pytest.raises(pl.PartnerDataError, match="not a tidy KPI table"):
        kpi_scorecard(history().drop(columns="unit"), "2026")


@pytest.mark.parametrize(
    ("unit", "written", "ok"),
    [("USD", "$1,200", True), ("GBP", "£1,200", True), ("EUR", "€1,200", True), ("JPY", "¥1,200", True),
     ("CNY", "¥1,200", True), ("usd", "$1,200", True), ("EUR", "$1,200", False), ("GBP", "¥1,200", False)],
)  # fmt: skip
def test_a_currency_sign_and_its_code_are_one_unit(tmp_path, unit, written, ok):
    path = write_csv(tmp_path / "k.csv", WIDE, [["Savings", "goal", "", unit, "higher", "1000", written, "", "", ""]])
    if ok:
        got = read_kpis(path)
        assert got["actual"].tolist()[0] == 1200.0 and got["unit"].tolist()[0] == unit
    else:
        message = error_of(read_kpis, path)
        assert f"row 2, column '2024', value '{written}': KPI 'Savings': unit '{written[0]}' differs" in message
