"""The actions register: reading, merging saves, formula-injection escaping, atomic writes, follow-up."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import partnerlib as pl
import partnerlib.io.atomic
from partnerlib import Method
from partnerlib.analysis.followup import action_followup
from partnerlib.io.actions import read_actions, save_actions

HEADER = ["id", "period", "principle", "action", "owner", "due", "status", "notes"]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER, title="Actions"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def register(**over):
    base = {
        "id": ["A1", "A2"],
        "period": ["2025", "2025"],
        "principle": ["Accountability", "Trust"],
        "action": ["Name an owner for every joint commitment", "Monthly open-book session"],
        "owner": ["Joint steering group", "Contoso"],
        "due": pd.to_datetime(["2025-09-30", "2025-12-31"]),
        "status": ["in progress", "done"],
        "notes": [pd.NA, "first held in May"],
    }
    base.update(over)
    return pd.DataFrame(base)


# ------------------------------------------------------------------------------------------------ reading


def test_read_csv_register_normalises_and_keeps_extra_columns(tmp_path):
    path = write_csv(
        tmp_path / "actions.csv",
        [
            ["A1", "2025", "Accountability", "Name owners", "Steering group", "2025-09-30", "In_Progress", "", "high"],
            [],
            ["A2", "2025", "Trust", "Open books", "", "", "", " keep  spaces ", ""],
        ],
        header=[*HEADER, "Priority"],
    )
    got = read_actions(path)
    assert list(got.columns) == [*HEADER, "Priority"]
    assert got["id"].tolist() == ["A1", "A2"]
    assert got["status"].tolist() == ["in progress", "not started"]  # blank status = not started
    assert got.loc[0, "due"] == pd.Timestamp("2025-09-30") and pd.isna(got.loc[1, "due"])
    assert got["notes"].iloc[1] == " keep  spaces "  # free text kept exactly
    assert pd.isna(got.loc[1, "owner"]) and got["Priority"].tolist()[0] == "high"
    assert pd.isna(got["Priority"].iloc[1])


def test_read_xlsx_register_with_native_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "actions.xlsx",
        [[7, 2025, "Respect", "Keep the joint away-day", "HR", dt.datetime(2025, 11, 1), "On hold", None]],
        header=["ID", " Period ", "Principle", "Action", "Owner", "Due", "Status", "Notes"],
    )
    got = read_actions(path)
    assert got.loc[0, "id"] == "7" and got.loc[0, "period"] == "2025"
    assert got.loc[0, "due"] == pd.Timestamp("2025-11-01") and got.loc[0, "status"] == "on hold"


@pytest.mark.parametrize(
    "rows, header, expected",
    [
        (
            [["A1", "2025", "Trust", "x", "", "", "blocked", ""]],
            HEADER,
            "row 2, column 'status', value 'blocked': unknown action status 'blocked'",
        ),
        (
            [["A1", "2025", "Trust", "x", "", "30/09/2025", "", ""]],
            HEADER,
            "row 2, column 'due', value '30/09/2025': due date '30/09/2025' is not a date; expected YYYY-MM-DD",
        ),
        ([["A1", "2025", "Trust", "x", "", "2025-02-30", "", ""]], HEADER, "is not a calendar date"),
        (
            [["A1", "2025", "Trust", "x", "", "", "", ""], ["", "2025", "Trust", "y", "", "", "", ""]],
            HEADER,
            "row 3, column 'id': blank id",
        ),
        (
            [["A1", "2025", "Trust", "x", "", "", "", ""], ["A1", "2025", "Trust", "y", "", "", "", ""]],
            HEADER,
            "row 3, column 'id', value 'A1': action id used again (first in row 2)",
        ),
        ([["A1", "2025", "Trust", "", "", "", "", ""]], HEADER, "row 2, column 'action': blank action"),
        ([["A1", "Trust", "x"]], ["id", "principle", "action"], "has no column ['period']"),
    ],
)
def test_read_errors_name_the_place(tmp_path, rows, header, expected):
    path = write_csv(tmp_path / "actions.csv", rows, header=header)
    with pytest.raises(pl.PartnerDataError) as err:
        read_actions(path)
    assert f"file '{path}'" in str(err.value)
    assert expected in str(err.value)


def test_an_action_naming_a_principle_the_codebook_lacks_is_refused(tmp_path):
    # Before, its follow-up was silently "not measured" for ever.
    rows = [["A1", "2025", "Trust", "x", "", "", "", ""], ["A2", "2025", "Acountability ", "y", "", "", "", ""]]
    path = write_csv(tmp_path / "actions.csv", rows)
    assert list(read_actions(path)["principle"]) == ["Trust", "Acountability"]  # without the codebook: as written
    with pytest.raises(pl.PartnerDataError) as err:
        read_actions(path, principles=("Trust", "Accountability"))
    assert str(err.value) == (
        f"file '{path}', row 3, column 'principle', value 'Acountability': not a principle of the codebook (did "
        "you mean 'Accountability'?); expected one of ['Trust', 'Accountability'] or blank (its gap could not be "
        "followed up)"
    )
    blank = write_csv(tmp_path / "blank.csv", [["A1", "2025", "", "x", "", "", "", ""]])
    assert read_actions(blank, principles=("Trust",))["principle"].isna().all()  # no principle named: allowed


def test_read_xlsx_error_names_the_sheet(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["A1", "2025", "Trust", "x", "", "", "wip", ""]], title="Register")
    with pytest.raises(pl.PartnerDataError, match=r"sheet 'Register', row 2, column 'status', value 'wip'"):
        read_actions(path)


# ------------------------------------------------------------------------------------------------ saving


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_save_then_read_round_trips(tmp_path, suffix):
    path = tmp_path / f"actions.{suffix}"
    frame = register()
    save_actions(frame, path)
    got = read_actions(path)
    assert got["id"].tolist() == ["A1", "A2"]
    assert got["due"].tolist() == list(frame["due"])
    assert got["notes"].iloc[1] == "first held in May" and pd.isna(got["notes"].iloc[0])
    assert got["status"].tolist() == ["in progress", "done"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_save_merges_by_id_and_never_loses_a_row(tmp_path, suffix):
    header = ["ID", "Period", "Principle", "Action", "Owner", "Due", "Status", "Notes", "Budget"]
    rows = [
        ["A1", "2025", "Accountability", "Name owners", "SG", "2025-09-30", "not started", "", "5000"],
        ["A2", "2025", "Trust", "Open books", "Contoso", "2025-12-31", "in progress", "", ""],
        ["X9", "2025", "Trust", "Legacy row", "", "next spring", "blocked", "", ""],
        ["", "", "", "(facilitator note: ids from the 2024 workshop are in the old file)", "", "", "", "", ""],
    ]
    path = (write_csv if suffix == "csv" else write_xlsx)(tmp_path / f"actions.{suffix}", rows, header=header)
    # The workshop edits A1 and adds A3; A2 and the rows it cannot read are not in the frame.
    frame = pd.DataFrame({
        "id": ["A3", "A1"], "period": ["2026", "2025"], "principle": ["Respect", "Accountability"],
        "action": ["Joint away-day", "Name owners"], "owner": ["HR", "SG"],
        "due": [pd.NaT, pd.Timestamp("2025-09-30")], "status": ["not started", "done"],
        "notes": [pd.NA, "owners named in June"],
    })  # fmt: skip
    save_actions(frame, path)
    if suffix == "csv":
        with open(path, newline="", encoding="utf-8") as fh:
            grid = list(csv.reader(fh))
    else:
        ws = load_workbook(path).active
        grid = [
            ["" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else str(v)) for v in r]
            for r in ws.iter_rows(values_only=True)
        ]
    assert grid[0] == header  # the disk's header spelling is kept, Budget too
    assert grid[1] == [
        "A1",
        "2025",
        "Accountability",
        "Name owners",
        "SG",
        "2025-09-30",
        "done",
        "owners named in June",
        "5000",
    ]  # updated in place, its budget kept
    assert grid[2] == rows[1]  # A2 not in the frame: unchanged
    assert grid[3] == rows[2]  # a row partnerlib cannot read: unchanged
    assert grid[4] == rows[3]  # a row without id: unchanged
    assert grid[5] == ["A3", "2026", "Respect", "Joint away-day", "HR", "", "not started", "", ""]  # appended
    assert len(grid) == 6


def test_save_adds_new_columns_and_keeps_other_worksheets(tmp_path):
    path = tmp_path / "register.xlsx"
    wb = Workbook()
    wb.active.title = "Actions"
    wb.active.append(HEADER)
    wb.active.append(["A1", "2025", "Trust", "x", "", None, "done", None])
    wb.create_sheet("Lookups").append(["status", "done"])
    wb.save(path)
    save_actions(register(id=["A1", "A2"]).assign(rag=["green", "red"]), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Actions", "Lookups"]
    assert [c.value for c in wb["Lookups"][1]] == ["status", "done"]
    assert [c.value for c in wb["Actions"][1]] == [*HEADER, "rag"]
    assert wb["Actions"].max_row == 3 and wb["Actions"]["I3"].value == "red"


def test_xlsx_save_edits_in_place_keeping_formats_formulas_and_dropdowns(tmp_path):
    from openpyxl.worksheet.datavalidation import DataValidation

    path = tmp_path / "register.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append([*HEADER, "progress", "progress points"])
    ws.append(["A1", "2025", "Trust", "x", "", dt.datetime(2025, 6, 30), "done", None, 1, "=I2*100"])
    ws.append(["A2", "2025", "Accountability", "y", "", dt.datetime(2025, 9, 30), "in progress", None, 0.5, "=I3*100"])
    ws.append([])
    ws.append(["A3", "2025", "Respect", "z", "", None, "not started", None, 0, "=I5*100"])
    for r in (2, 3, 5):
        ws[f"I{r}"].number_format = "0%"
    dv = DataValidation(type="list", formula1='"not started,in progress,on hold,done,cancelled"')
    dv.add("G2:G100")
    ws.add_data_validation(dv)
    wb.save(path)
    reg = read_actions(path)
    assert reg["progress"].tolist() == ["100%", "50%", "0%"]  # read as shown
    reg.loc[reg["id"] == "A2", "status"] = "done"
    reg = pd.concat(
        [
            reg,
            register(
                id=["A4"],
                period=["2026"],
                principle=["Trust"],
                action=["new"],
                owner=["o"],
                due=[pd.NaT],
                status=["not started"],
                notes=[pd.NA],
            ),
        ],
        ignore_index=True,
    )
    save_actions(reg.drop(columns=["progress", "progress points"]), path)
    ws = load_workbook(path)["Actions"]
    assert ws["G3"].value == "done" and ws["A3"].value == "A2"
    assert ws["I3"].value == 0.5 and ws["I3"].number_format == "0%"  # untouched: still a number shown as 50 %
    assert ws["J3"].value == "=I3*100" and ws["J3"].data_type == "f"  # the client's formula survives
    assert all(c.value is None for c in ws[4])  # the blank row stays where it was
    assert [ws.cell(row=6, column=c).value for c in (1, 2, 4, 7)] == ["A4", "2026", "new", "not started"]
    assert ws.max_row == 6
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref) == "G2:G100"  # the status drop-down is kept
    # A plain read-edit-save round trip keeps the client's own columns as they are, formulas included.
    reg = read_actions(path)
    assert pd.isna(reg.loc[0, "progress points"])  # a formula's value is not cached in a file openpyxl wrote
    save_actions(reg.assign(notes=["n1", "n2", "n3", "n4"]), path)
    ws = load_workbook(path)["Actions"]
    assert [ws[f"J{r}"].value for r in (2, 3, 5)] == ["=I2*100", "=I3*100", "=I5*100"]
    assert [ws[f"I{r}"].value for r in (2, 3, 5)] == [1, 0.5, 0] and ws["I5"].number_format == "0%"
    assert [ws[f"H{r}"].value for r in (2, 3, 5, 6)] == ["n1", "n2", "n3", "n4"]


def test_formula_like_text_is_written_as_text(tmp_path):
    risky = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTabbed", "\rCarriage",
             "'=already quoted"]  # fmt: skip
    frame = register(
        id=[f"A{i}" for i in range(len(risky))],
        period=["2025"] * len(risky),
        principle=["Trust"] * len(risky),
        action=risky,
        owner=["-5"] * len(risky),
        due=[pd.NaT] * len(risky),
        status=["done"] * len(risky),
        notes=["ok"] * len(risky),
    )
    csv_path, xlsx_path = tmp_path / "a.csv", tmp_path / "a.xlsx"
    save_actions(frame, csv_path)
    save_actions(frame, xlsx_path)
    with open(csv_path, newline="", encoding="utf-8") as fh:
        cells = [r[3] for r in list(csv.reader(fh))[1:]]
    assert cells == ["'" + t for t in risky]  # each shown as text by spreadsheet programs
    with open(csv_path, newline="", encoding="utf-8") as fh:
        assert {r[4] for r in list(csv.reader(fh))[1:]} == {"-5"}  # a plain number is not a formula
    ws = load_workbook(xlsx_path).active
    cells = [ws.cell(row=r, column=4) for r in range(2, len(risky) + 2)]
    # stored unchanged (XML reads a carriage return back as a line feed, so only that one differs)...
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in risky]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # ...as text cells, never formulas
    assert not ws.cell(row=2, column=8).quotePrefix  # ordinary text is left alone
    assert read_actions(csv_path)["action"].tolist() == risky
    assert read_actions(xlsx_path)["action"].tolist() == [t.replace("\r", "\n") for t in risky]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_failed_save_leaves_the_old_file_intact(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"actions.{suffix}"
    save_actions(register(), path)
    before = path.read_bytes()

    def fail(fd):
        raise OSError("disk full")

    monkeypatch.setattr(partnerlib.io.atomic.os, "fsync", fail)  # the temporary file is written, then the disk fails
    with pytest.raises(OSError, match="disk full"):
        save_actions(register(status=["done", "done"]), path)
    assert path.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != f".{path.name}.lock")  # the register's lock stays
    assert left == [path.name]  # no temporary file left behind


def test_save_refuses_ambiguous_merges_and_bad_frames(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Trust", "x"]], header=["principle", "action"])
    before = path.read_bytes()
    with pytest.raises(pl.PartnerDataError, match=r"has no 'id' column.*Nothing was written"):
        save_actions(register(), path)
    assert path.read_bytes() == before
    dup = write_csv(
        tmp_path / "d.csv", [["A1", "2025", "T", "x", "", "", "", ""], ["A1", "2025", "T", "y", "", "", "", ""]]
    )
    with pytest.raises(pl.PartnerDataError, match=r"row 3, column 'id', value 'A1': id appears twice on disk"):
        save_actions(register(), dup)
    with pytest.raises(pl.PartnerDataError, match=r"row 2, column 'id', value 'A1': id used twice"):
        save_actions(register(id=["A1", "A1"]), tmp_path / "new.csv")
    with pytest.raises(pl.PartnerDataError, match=r"row 1, column 'status', value 'finished': unknown action status"):
        save_actions(register(status=["finished", "done"]), tmp_path / "new.csv")
    assert not (tmp_path / "new.csv").exists()


# ------------------------------------------------------------------------------------------------ follow-up


def scores_by_period():
    rows = [
        ("2024", "Accountability", 2.0),
        ("2025", "Accountability", 1.9),
        ("2026", "Accountability", 1.5),
        ("2025", "Trust", 0.8),
        ("2026", "Trust", 0.2),
        ("2025", "Respect", 0.3),
        ("2026", "Respect", 0.6),
        ("2025", "Mutual benefit", 0.6),
        ("2026", "Mutual benefit", 0.55),
        ("2025", "Shared goals", 1.0),
        ("2026", "Shared goals", np.nan),
    ]  # suppressed in 2026
    frame = pd.DataFrame(rows, columns=["period", "principle", "gap"])
    frame["period"] = pd.Categorical(frame["period"], categories=["2024", "2025", "2026"])
    return frame


def followup_register():
    return pd.DataFrame(
        {
            "id": ["A", "B", "C", "D", "E", "F", "G"],
            "period": ["2025", "2025", "2025", "2026", "2025", "2025", "2025"],
            "principle": [
                "Accountability",
                "Trust",
                "Respect",
                "Accountability",
                "Shared goals",
                pd.NA,
                "Mutual benefit",
            ],
            "action": list("abcdefg"),
            "owner": ["x"] * 7,
            "due": pd.to_datetime(
                ["2025-12-31", "2025-06-30", "2026-06-30", "2026-09-30", None, "2025-03-01", "2026-03-15"]
            ),
            "status": ["in progress", "done", "not started", "not started", "on hold", "cancelled", "in progress"],
            "notes": [pd.NA] * 7,
        }
    )


def test_followup_arithmetic_and_outcomes():
    got = action_followup(followup_register(), scores_by_period(), as_of="2026-03-15").set_index("id")
    assert got.loc["A", "gap_created"] == pytest.approx(1.9) and got.loc["A", "gap_latest"] == pytest.approx(1.5)
    assert got.loc["A", "change"] == pytest.approx(-0.4)
    assert got["outcome"].astype(str).to_dict() == {
        "A": "narrowed",
        "B": "closed",
        "C": "widened",
        "D": "not yet measured",
        "E": "not measured",
        "F": "not measured",
        "G": "unchanged",
    }  # G: -0.05 is less than the 0.1 minimum change
    assert got.loc["B", "change"] == pytest.approx(-0.6) and got.loc["C", "change"] == pytest.approx(0.3)
    assert (got["followup_period"] == "2026").all()
    # overdue on 2026-03-15: A (due 2025-12-31, in progress) by 31 + 28 + 15 = 74 days; B done, F cancelled,
    # E no date, G due that very day (not yet late)
    assert got["overdue"].tolist() == [True, False, False, False, False, False, False]
    assert got.loc["A", "days_overdue"] == 74 and pd.isna(got.loc["C", "days_overdue"])
    typed = followup_register().assign(
        status=["In progress", "Done", "", "not started", "On hold", "CANCELLED", "in progress"]
    )  # a hand-made frame: statuses normalised
    assert action_followup(typed, scores_by_period(), as_of="2026-03-15")["overdue"].tolist() == got["overdue"].tolist()


def test_followup_closed_threshold_period_and_default_as_of():
    reg = followup_register()
    got = action_followup(reg, scores_by_period(), method=Method(closed_gap=0.1)).set_index("id")
    assert got.loc["B", "outcome"] == "narrowed"  # 0.2 is above a 0.1 threshold
    assert (
        action_followup(reg, scores_by_period(), method=Method(min_gap_change=0.05)).set_index("id").loc["G", "outcome"]
        == "narrowed"
    )  # exactly the minimum change counts
    assert got.loc["A", "overdue"] and got.loc["A", "days_overdue"] == 1  # default as_of: 2026-01-01
    earlier = action_followup(reg, scores_by_period(), period="2025").set_index("id")
    assert earlier.loc["A", "outcome"] == "not yet measured" and pd.isna(earlier.loc["A", "gap_latest"])
    assert not earlier.loc["A", "overdue"]  # due 2025-12-31 is after 2025-01-01
    odd = scores_by_period().assign(
        period=lambda f: (
            f["period"].astype(str).map({"2024": "Spring 2024", "2025": "Spring 2025", "2026": "Spring 2026"})
        )
    )
    reg2 = reg.assign(period=reg["period"].map(lambda p: f"Spring {p}"))
    got2 = action_followup(reg2, odd)
    assert got2["overdue"].isna().all()  # "Spring 2026" is not a date: overdue not judged without as_of
    assert got2.set_index("id").loc["A", "outcome"] == "narrowed"


def test_followup_errors():
    with pytest.raises(pl.PartnerDataError, match=r"lacks columns \['gap'\]"):
        action_followup(followup_register(), scores_by_period().drop(columns="gap"))
    with pytest.raises(pl.PartnerDataError, match=r"follow-up period '2030' is not in scores_by_period"):
        action_followup(followup_register(), scores_by_period(), period="2030")


def test_public_api_reexports():
    assert pl.read_actions is read_actions and pl.save_actions is save_actions
    assert pl.action_followup is action_followup


def test_demo_register_follow_up_shows_in_2026():
    from .conftest import SAMPLE

    survey = pl.read_surveys({p: SAMPLE / f"survey_{p}.csv" for p in ("2024", "2025", "2026")}, SAMPLE / "codebook.yml")
    scores = pl.principle_scores(survey.responses, by="period", scale=survey.scale)
    reg = read_actions(SAMPLE / "actions.csv")
    assert set(reg["period"]) == {"2025"} and (reg["principle"] == "Accountability").sum() == 2
    got = action_followup(reg, scores, as_of="2026-03-01").set_index("id")
    gap = scores.set_index(["period", "principle"])["gap"]
    assert got.loc["A25-01", "gap_created"] == pytest.approx(gap[("2025", "Accountability")])
    assert got.loc["A25-01", "gap_latest"] == pytest.approx(gap[("2026", "Accountability")])
    assert got.loc["A25-01", "outcome"] == "narrowed"  # the 2025 gap, still the largest, narrowed in 2026
    assert got.loc["A25-05", "outcome"] == "closed"  # Shared goals
    assert got.index[got["overdue"]].tolist() == ["A25-02", "A25-04"]


_SAVER = """
import sys
import pandas as pd
from partnerlib.io.actions import save_actions

path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k in range(count):
    row = pd.DataFrame([{"id": f"{tag}-{k:03d}", "period": "2026", "action": f"action {k} of {tag}"}])
    save_actions(row, path)
"""


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_two_processes_saving_at_once_keep_every_row(tmp_path, suffix):
    """Each save reads, merges and rewrites the file: without the lock one process overwrites the other's rows."""
    import subprocess
    import sys

    path = tmp_path / f"register{suffix}"
    script = tmp_path / "saver.py"
    script.write_text(_SAVER, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, str(script), str(path), tag, "200"]) for tag in ("A", "B")]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    saved = read_actions(path)
    assert len(saved) == 400
    assert set(saved["id"]) == {f"{t}-{k:03d}" for t in "AB" for k in range(200)}
    assert not list(tmp_path.glob(".register.*.tmp*"))  # no temporary file left behind


def test_temporary_files_of_a_killed_save_are_removed_by_the_next_save(tmp_path):
    path = tmp_path / "register.csv"
    save_actions(pd.DataFrame([{"id": "A-1", "period": "2026", "action": "x"}]), path)
    left = [tmp_path / ".register.k3j2l1.tmp.csv", tmp_path / ".register.zz.tmp.csv"]
    for tmp in left:
        tmp.write_text("half a file", encoding="utf-8")
    other = tmp_path / ".other.k3j2l1.tmp.csv"  # another file's temporary: not ours to remove
    other.write_text("x", encoding="utf-8")
    save_actions(pd.DataFrame([{"id": "A-2", "period": "2026", "action": "y"}]), path)
    assert not any(t.exists() for t in left) and other.exists()
    assert read_actions(path)["id"].tolist() == ["A-1", "A-2"]
