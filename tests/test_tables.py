"""The one table-reading layer (partnerlib.io.tables) on files as real platforms and hostile users write them."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from partnerlib import FileFormatError, LimitExceededError, PartnerDataError
from partnerlib.io.actions import read_actions
from partnerlib.io.kpis import read_kpis
from partnerlib.io.objectives import read_objectives
from partnerlib.io.readers import read_export
from partnerlib.io.roster import read_roster
from partnerlib.io.tables import read_table
from partnerlib.settings import Limits

from .conftest import FIXTURES, SAMPLE
from .crafted_xlsx import sheet_xml, write_raw_xlsx, write_rows_xlsx


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# ---- defect 1: a wrong <dimension ref="A1"/> -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "fmt", "header_rows"), [("microsoft_forms.csv", "microsoft_forms", 1), ("qualtrics_choice_text.csv",
                                         "qualtrics", 3)]
)  # fmt: skip
def test_export_declaring_dimension_a1_is_read_at_its_real_extent(tmp_path, fixture, fmt, header_rows):
    # Microsoft Forms and Qualtrics downloads declare A1 for hundreds of cells; trusting it saw one cell ('ID').
    rows = csv_rows(FIXTURES / fixture)
    ex = read_export(write_rows_xlsx(tmp_path / "export.xlsx", rows, dimension="A1"))
    assert ex.format == fmt
    assert ex.data.shape[0] == len(rows) - header_rows
    assert ex.data.equals(read_export(FIXTURES / fixture).data)


def _shown(cell):
    """A cell as the sheet shows it (a percentage-formatted number as its text), as tables.py reads it."""
    if isinstance(cell.value, (int, float)) and "%" in (cell.number_format or ""):
        return f"{cell.value * 100:.12g}%"
    return cell.value


def test_kpi_workbook_declaring_dimension_a1_reads_every_sheet_and_cell(tmp_path):
    wb = load_workbook(SAMPLE / "kpis.xlsx")
    sheets = {ws.title: sheet_xml([[_shown(c) for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets}
    crafted = write_raw_xlsx(tmp_path / "kpis.xlsx", sheets)
    expected = read_kpis(SAMPLE / "kpis.xlsx")
    assert len(expected) == 30 and read_kpis(crafted).equals(expected)


@pytest.mark.parametrize(
    ("name", "reader"), [("objectives", read_objectives), ("actions", read_actions), ("roster", read_roster)]
)
def test_client_sheets_declaring_dimension_a1_read_like_their_csv(tmp_path, name, reader):
    rows = csv_rows(SAMPLE / f"{name}.csv")
    crafted = write_rows_xlsx(tmp_path / f"{name}.xlsx", rows, dimension="A1")
    expected = reader(SAMPLE / f"{name}.csv")
    assert len(expected) > 1 and reader(crafted).equals(expected)


# ---- the opposite: a huge declared dimension, a million empty styled cells -------------------------------------

_MEASURE = """
import json, resource, sys, time
from partnerlib.io.tables import read_table
from partnerlib.settings import Limits
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    table = read_table(sys.argv[1])
    outcome = {"shape": list(table.cells.shape), "rows": table.rows.tolist()}
except Exception as exc:
    outcome = {"error": f"{type(exc).__name__}: {exc}"}
outcome["seconds"] = time.perf_counter() - start
# What the reading added to the interpreter's peak (its imports alone take 250-650 MB, more under coverage).
outcome["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(outcome))
"""


def _measured_read(path: Path) -> dict:
    """Read ``path`` in a fresh interpreter, returning what came out, the seconds taken and the peak memory."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_sheet_declaring_a1_xfd1048576_is_read_quickly_at_its_real_extent(tmp_path):
    path = write_raw_xlsx(tmp_path / "huge.xlsx", {"S": sheet_xml([["a", "b"], [1, 2]], dimension="A1:XFD1048576")})
    out = _measured_read(path)
    assert out.get("shape") == [2, 2] and out["rows"] == [1, 2]
    assert out["seconds"] < 10 and out["peak_mb"] < 300


def test_a_million_empty_styled_cells_are_refused_within_bounds(tmp_path):
    xml = sheet_xml([["a", "b"], [1, 2]], dimension="A1:ALL1002", styled_empty=(1000, 1000))
    path = write_raw_xlsx(tmp_path / "styled.xlsx", {"S": xml})
    out = _measured_read(path)
    assert out["seconds"] < 10 and out["peak_mb"] < 300
    assert out["error"] == (
        f"LimitExceededError: file '{path}', sheet 'S': the worksheet holds 1,000,000 formatted but empty cells "
        "for 4 cells with a value (more than Limits.max_empty_cells = 100,000); in Excel, select the rows and "
        "columns beyond the data, delete them and save again, or save the sheet as CSV"
    )


def test_a_few_empty_styled_cells_below_the_data_are_read_as_nothing(tmp_path):
    path = write_raw_xlsx(tmp_path / "s.xlsx", {"S": sheet_xml([["a", "b"], [1, 2]], styled_empty=(50, 20))})
    table = read_table(path)
    assert table.cells.shape == (2, 2) and table.rows.tolist() == [1, 2]
    with pytest.raises(LimitExceededError, match=r"1,000 formatted but empty cells for 4 cells with a value"):
        read_table(path, limits=Limits(max_empty_cells=100))


# ---- issue 17, reading part: encodings changing part-way, look-alike characters, short rows --------------------


def test_a_file_whose_encoding_changes_part_way_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("org,Trust\nSociété Générale,Agree\n".encode() + "Société Générale,Agree\n".encode("cp1252"))
    with pytest.raises(FileFormatError, match=r"mixed.csv', row 3: the text changes encoding part-way"):
        read_table(path)


def test_a_row_with_fewer_fields_than_the_header_is_refused_not_padded(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text('org,role,Trust\nContoso,Staff,Agree\n\n"Contoso\nLogistics",Staff,Agree\nContoso,Agree\n')
    expected = r"short.csv', row 5: 2 fields where the first row has 3; expected every row as wide as the header"
    with pytest.raises(FileFormatError, match=expected):
        read_table(path)
    fine = tmp_path / "fine.csv"
    fine.write_text('org,role,Trust\nContoso,,\n\n"a ""quoted"", one",Staff,Agree\n,,\n')
    assert read_table(fine).rows.tolist() == [1, 2, 4]  # blank lines and ",," rows are not short rows


GROUP_CODEBOOK = {"period": "2026", "scale": {"min": 1, "max": 5, "labels": {"Agree": 4}},
                  "respondent": {"partner": "org", "role": "role"},
                  "principles": {"Trust": [{"item": "t", "current": "Trust"}]}}  # fmt: skip


@pytest.mark.parametrize(
    ("value", "column", "problem"),
    [
        ("Cont\u200boso", "org", r"an invisible character U\+200B \(ZERO WIDTH SPACE\) at position 5"),
        ("\u0421ontoso", "org", r"a Cyrillic Capital Letter Es \(U\+0421\) among Latin letters in 'Сontoso'"),
        ("Sta\u00adff", "role", r"an invisible character U\+00AD \(SOFT HYPHEN\)"),
        ("SociÃ©tÃ© GÃ©nÃ©rale", "org", r"'Ã©', UTF-8 text read as Windows-1252 \(mojibake\)"),
    ],
)
def test_invisible_or_look_alike_characters_in_a_group_are_an_error(tmp_path, value, column, problem):
    from partnerlib import read_survey

    rows = [["Contoso", "Staff", "Agree"], ["Contoso", "Staff", "Agree"]]
    rows[1][0 if column == "org" else 1] = value
    path = tmp_path / "e.csv"
    path.write_text("org,role,Trust\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(PartnerDataError, match=rf"e.csv', row 3, column '{column}', value .*: the .* holds {problem}"):
        read_survey(path, GROUP_CODEBOOK)


# ---- defect 8: one layer, the same rules for every reader -----------------------------------------------------


def test_every_client_sheet_reader_accepts_semicolons_and_windows_1252_and_names_rows_alike(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(
        "partner;role;invited\r\nSociété Générale;Staff;5\r\n;;\r\nContoso;Manager;x\r\n".encode("cp1252")
    )
    with pytest.raises(PartnerDataError, match=r"roster.csv', row 4, column 'invited', value 'x'"):
        read_roster(roster)  # row 4 as a spreadsheet shows it, the blank row 3 counted
    roster.write_bytes("partner;role;invited\r\nSociété Générale;Staff;5\r\n".encode("cp1252"))
    assert read_roster(roster)["partner"].tolist() == ["Société Générale"]
    rows = csv_rows(SAMPLE / "actions.csv")
    actions = tmp_path / "actions.csv"
    actions.write_bytes(("\n".join(",".join(r) for r in rows[:2]) + "\n").encode() + b"A9,2025,Trust,Do \x81 it,,,,\n")
    with pytest.raises(FileFormatError, match=r"actions.csv', row 3: the text is neither UTF-8 nor Windows-1252"):
        read_actions(actions)  # was an UnboundLocalError


# ---- the two text parsers: pyarrow for rectangular files, pandas (with the row checks) for the rest -----------

_EDGE_FILES = {
    "crlf_bom.csv": '\ufeffid,name,score\r\n1,Ann,4\r\n2,"Bo, Jr",5\r\n',
    "quoted_line_break.csv": 'id,comment\n1,"first line\nsecond line"\n2,"say ""hi"""\n',
    "trailing_blank_row.csv": "id,score\n1,4\n,\n2,5\n",
    "blank_lines.csv": "id,score\n\n1,4\n\n\n2,5\n",
    "leading_zeros_and_flags.csv": "id,code,flag,when\n007,1.50,True,2026-03-01\n008,2,false,\n",
    "semicolon.csv": "id;name\n1;Société\n2;Zoë\n",
    "tab.tsv": "id\tname\n1\tA\n2\t\n",
    "no_final_newline.csv": "id,score\n1,4\n2,5",
    "header_only.csv": "id,score\n",
    "quoted_blank.csv": 'id,text\n1,""\n2," "\n',
    "blank_lines_crlf.csv": "id,score\r\n\r\n1,4\r\n\r\n2,5\r\n",
    "quoted_empty_line.csv": 'id,comment\n1,"first\n\nthird"\n\n2,x\n',
    "trailing_blank_lines.csv": "id,score\n1,4\n\n\n",
}


@pytest.mark.parametrize("name", sorted(_EDGE_FILES))
def test_pyarrow_and_pandas_give_the_same_table(tmp_path, monkeypatch, name):
    from partnerlib.io import tables

    path = tmp_path / name
    path.write_bytes(_EDGE_FILES[name].encode("utf-8"))
    fast = read_table(path)
    monkeypatch.setattr(tables, "_read_fast", lambda *a: (None, None))
    checked = read_table(path)
    assert fast.cells.astype(object).where(fast.cells.notna(), None).values.tolist() == (
        checked.cells.astype(object).where(checked.cells.notna(), None).values.tolist()
    )
    assert fast.rows.tolist() == checked.rows.tolist()


def test_a_rectangular_file_is_parsed_by_pyarrow_and_keeps_its_text(tmp_path, monkeypatch):
    from partnerlib.io import tables

    path = tmp_path / "t.csv"
    path.write_text("id,code,flag\n007,1.50,True\n", encoding="utf-8")
    monkeypatch.setattr(tables, "_read_checked", lambda *a: pytest.fail("the pandas path was taken"))
    table = read_table(path)
    assert table.cells.iloc[1].tolist() == ["007", "1.50", "True"]  # never a number or a boolean
    assert str(table.cells.dtypes.iloc[0]) == "str"


@pytest.mark.parametrize("name", ["blank_lines.csv", "blank_lines_crlf.csv", "quoted_empty_line.csv"])
def test_a_file_with_empty_lines_is_parsed_by_pyarrow_and_keeps_its_row_numbers(tmp_path, monkeypatch, name):
    from partnerlib.io import tables

    path = tmp_path / name
    path.write_bytes(_EDGE_FILES[name].encode("utf-8"))
    monkeypatch.setattr(tables, "_read_checked", lambda *a: pytest.fail("the pandas path was taken"))
    table = read_table(path)
    # Row numbers as a spreadsheet program shows them: each empty line is a row, a quoted line break is not.
    expected = {"blank_lines.csv": [1, 3, 6], "blank_lines_crlf.csv": [1, 3, 5], "quoted_empty_line.csv": [1, 2, 4]}
    assert table.rows.tolist() == expected[name]


def test_windows_1252_file_reads_the_same_through_pyarrow(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("id;name\n1;Société Générale\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252" and table.cells.iloc[1, 1] == "Société Générale"


@pytest.mark.parametrize(("text", "row"), [("a,b\n1,2\n3\n", 3), ("a,b\n1,2\n3,4,5\n", 3)], ids=["short", "wide"])
def test_a_ragged_row_still_gets_the_checked_message(tmp_path, text, row):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as err:
        read_table(path)
    assert err.value.row == row and "as wide as the header" in str(err.value)


def test_the_first_byte_that_is_not_utf8_is_found_across_chunk_boundaries():
    import random

    from partnerlib.io.tables import _first_non_utf8

    def reference(raw: bytes):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start
        return None

    rng = random.Random(7)
    alphabet = [0x41, 0x0A, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF]  # ASCII, é, €, 😀, junk
    for _ in range(2000):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        for chunk in (1, 2, 3, 5, 1 << 20):  # a multi-byte character split by every possible boundary
            assert _first_non_utf8(raw, chunk) == reference(raw), (raw, chunk)
