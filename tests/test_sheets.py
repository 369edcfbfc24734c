"""Client spreadsheets: located cells, formula-injection escaping rules, reproducible XLSX bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

import partnerlib as pl
from partnerlib.io.sheets import read_sheets
from partnerlib.io.writing import escape_csv_cell, needs_escape, unescape_csv_cell, write_table, xlsx_bytes


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946", "'+44 20 7946"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''@x", "'''@x"),
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("-1e3", "-1e3"),
        ("plain", "plain"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_escape_rule_and_its_inverse(text, escaped):
    assert escape_csv_cell(text) == escaped
    assert unescape_csv_cell(escaped) == text
    assert needs_escape(text) == (escaped != text)


def test_csv_read_keeps_row_numbers_and_reads_excel_resaves(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("name;note\r\n\r\nCaf\xe9;'=x\r\n;\r\nB;2\r\n".encode("cp1252"))
    (sheet,) = read_sheets(path)
    assert sheet.name is None and sheet.header == ["name", "note"]
    assert sheet.rows == [["Café", "=x"], ["B", "2"]] and sheet.row_numbers == [3, 5]
    assert sheet.column("NOTE ") == 1 and sheet.column("other") is None


def test_values_right_of_the_header_are_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2,3\n")
    expected = (
        r"row 2, value '3': a value to the right of the last headed "
        "column"
    )
    with pytest.raises(pl.PartnerDataError, match=expected):
        read_sheets(path)


def test_xlsx_every_sheet_percent_cells_and_errors(tmp_path):
    wb = Workbook()
    wb.active.title = "One"
    wb.active.append(["a", "b"])
    wb.active.append([0.853, 2])
    wb.active["A2"].number_format = "0.0%"
    wb.create_sheet("Empty")
    wb.create_sheet("Two").append(["c"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["One", "Two"]  # the empty sheet is left out
    assert sheets[0].rows == [["85.3%", 2]]  # read as the sheet shows it
    assert [s.name for s in read_sheets(path, "Two")] == ["Two"]
    with pytest.raises(pl.PartnerDataError, match="no sheet 'Three'"):
        read_sheets(path, "Three")
    with pytest.raises(pl.PartnerDataError, match="a text file has no sheets"):
        (tmp_path / "x.csv").write_text("a\n1\n")
        read_sheets(tmp_path / "x.csv", "One")
    with pytest.raises(pl.PartnerDataError, match=r"x.txt', row 1: the first line has no ',', ';' or tab"):
        (tmp_path / "x.txt").write_text("a")
        read_sheets(tmp_path / "x.txt")
    with pytest.raises(pl.PartnerDataError, match="not found"):
        read_sheets(tmp_path / "missing.csv")
    (tmp_path / "bad.xlsx").write_text("not a zip")
    with pytest.raises(pl.PartnerDataError, match="not a readable XLSX workbook"):
        read_sheets(tmp_path / "bad.xlsx")


def test_xlsx_bytes_are_reproducible():
    tables = {"S": (["kpi", "2025"], [["=bad", 0.5], ["ok", 3]])}
    first, second = xlsx_bytes(tables), xlsx_bytes(tables)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    ws = load_workbook(io.BytesIO(first))["S"]
    assert ws["A2"].value == "=bad" and ws["A2"].data_type == "s" and ws["A2"].quotePrefix


def test_write_table_replaces_only_its_sheet(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes({"Keep": (["x"], [[1]]), "Mine": (["a"], [[1]])}))
    write_table(path, ["a", "b"], [[2, "=2"]], sheet="Mine")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Keep", "Mine"] and wb["Keep"]["A2"].value == 1
    assert [c.value for c in wb["Mine"][2]] == [2, "=2"]
    with pytest.raises(pl.PartnerDataError, match=r"expected a \.csv or \.xlsx file to write"):
        write_table(tmp_path / "t.ods", ["a"], [])
