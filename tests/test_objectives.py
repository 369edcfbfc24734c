"""Objectives: the sheet's header variants, the alignment arithmetic and status boundaries, every error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import partnerlib as pl
from partnerlib import Method
from partnerlib.analysis.objectives import alignment_index, alignment_partners, objectives_alignment
from partnerlib.io.objectives import read_objectives

from .conftest import error_of, write_csv

NW, CL = "Northwind Health", "Contoso Logistics"


def test_read_per_partner_served_and_header_variants(tmp_path):
    path = write_csv(
        tmp_path / "o.csv",
        ["Objective", "Owner", f"importance ({NW})", f"{CL} - importance", f"served by {NW}", f"served: {CL}", "notes"],
        [
            ["Fewer complaints", "northwind health", "5", "4", "3", "2", "x"],
            ["Shared data", "joint", "4.5", "4", "", "4", ""],
        ],
    )
    got = read_objectives(path)
    assert got.columns.tolist() == ["objective", "owner", "partner", "importance", "served"]
    assert got["partner"].tolist() == [NW, CL, NW, CL]
    assert got["owner"].tolist() == [NW, NW, "joint", "joint"]
    assert got["importance"].tolist() == [5.0, 4.0, 4.5, 4.0]
    assert got["served"].iloc[:2].tolist() == [3.0, 2.0]
    assert np.isnan(got["served"].iloc[2]) and got["served"].iloc[3] == 4.0


def test_partner_names_in_headers_keep_their_punctuation(tmp_path):
    # the name in "importance (…)" is the one the owner column uses: hyphens, brackets and dots are part of it
    a, b = "Smith-Jones (UK) Ltd.", "Acme: [North]"
    path = write_csv(
        tmp_path / "o.csv",
        ["objective", "owner", f"importance ({a})", f"importance rating for {b}", f"served ({a})", f"{b} - served"],
        [["Shared data", a, "5", "4", "3", "2"]],
    )
    got = read_objectives(path)
    assert got["partner"].tolist() == [a, b]
    assert got["owner"].tolist() == [a, a]
    assert got["served"].tolist() == [3.0, 2.0]


def test_read_joint_served_from_xlsx(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Objectives"
    ws.append(["objective", "owner", f"{NW} importance", f"importance: {CL}", "served"])
    ws.append(["Grow the contract", CL, 2, 5, 3])
    path = tmp_path / "o.xlsx"
    wb.save(path)
    got = read_objectives(path)
    assert got["served"].tolist() == [3.0, 3.0] and got["importance"].tolist() == [2.0, 5.0]


def table(rows):
    """rows: objective, owner, importance NW, importance CL, served NW, served CL."""
    recs = []
    for obj, owner, i1, i2, s1, s2 in rows:
        recs += [(obj, owner, NW, i1, s1), (obj, owner, CL, i2, s2)]
    return pd.DataFrame(recs, columns=["objective", "owner", "partner", "importance", "served"])


def test_alignment_arithmetic_and_status_boundaries():
    got = objectives_alignment(
        table(
            [
                ("A", NW, 5, 4, 3, 3),  # spread 1, served 3: aligned
                ("B", CL, 3, 5, 3, 4),  # spread 2 exactly: divergent
                ("C", NW, 4, 2.5, 4, 4),  # spread 1.5: aligned
                ("D", NW, 4, 4, 2, 2),  # served 2 exactly: unsupported
                ("E", CL, 4, 4, 2, 3),  # served mean 2.5: aligned
                ("F", "joint", 1, 5, 1, 1),  # divergent and unsupported: divergent first
                ("G", "joint", 4, 4, np.nan, np.nan),  # served not asked: judged on spread only
            ]
        )
    ).set_index("objective")
    assert got[NW].tolist() == [5, 3, 4, 4, 4, 1, 4] and got[CL].tolist() == [4, 5, 2.5, 4, 4, 5, 4]
    assert got["spread"].tolist() == [1, 2, 1.5, 0, 0, 4, 0]
    assert got["served"].tolist()[:6] == [3, 3.5, 4, 2, 2.5, 1] and np.isnan(got.loc["G", "served"])
    assert got["status"].astype(str).tolist() == ["aligned", "divergent", "aligned", "unsupported", "aligned",
                                                  "divergent", "aligned"]  # fmt: skip
    assert got.loc["F", "unsupported"] and got.loc["F", "divergent"]
    assert alignment_index(got) == pytest.approx(4 / 7)
    assert alignment_partners(got) == [NW, CL]


def test_alignment_thresholds_are_parameters():
    got = objectives_alignment(
        table([("A", NW, 5, 4, 3, 3), ("B", CL, 4, 4, 3, 3)]), method=Method(divergent_spread=1, unsupported_served=3)
    )
    assert got["status"].astype(str).tolist() == ["divergent", "unsupported"]
    assert alignment_index(got) == 0


# fmt: off
READ_ERRORS = [
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})"], ["A", NW, "6", "4"],
     f"row 2, column 'importance ({NW})', value '6': expected a rating from 1 to 5"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})"], ["A", NW, "high", "4"],
     "value 'high': expected a rating from 1 to 5"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})"], ["A", NW, "4", ""],
     f"row 2, column 'importance ({CL})': blank importance rating"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})"], ["A", "Fabrikam", "4", "4"],
     "row 2, column 'owner', value 'Fabrikam': expected the owner to be one of the partners"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})"], ["", NW, "4", "4"],
     "row 2, column 'objective': blank objective"),
    (["objective", "owner", f"importance ({NW})"], ["A", NW, "4"],
     f"expected one 'importance (<partner>)' column for each of at least two partners; found importance "
     f"columns for ['{NW}']"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})", "priority"], ["A", NW, "4", "4", "1"],
     "unexpected columns ['priority']"),
    (["objective", f"importance ({NW})", f"importance ({CL})"], ["A", "4", "4"], "no column ['owner']"),
    (["objective", "owner", f"importance ({NW})", f"importance ({CL})", "served (Fabrikam)"],
     ["A", NW, "4", "4", "3"], "a served rating for 'Fabrikam', who has no importance column"),
]
# fmt: on


@pytest.mark.parametrize("header, row, message", READ_ERRORS)
def test_read_errors(tmp_path, header, row, message):
    assert message in error_of(read_objectives, write_csv(tmp_path / "o.csv", header, [row]))


def test_duplicate_objective(tmp_path):
    path = write_csv(
        tmp_path / "o.csv",
        ["objective", "owner", f"importance ({NW})", f"importance ({CL})"],
        [["A", NW, "4", "4"], ["A", CL, "3", "3"]],
    )
    expected = r"row 3, column 'objective', value 'A': objective listed again \(first in row 2\)"
    with pytest.raises(pl.PartnerDataError, match=expected):
        read_objectives(path)


def test_public_api_reexports():
    assert pl.read_objectives is read_objectives and pl.objectives_alignment is objectives_alignment


def test_demo_objectives():
    from .conftest import SAMPLE

    got = objectives_alignment(read_objectives(SAMPLE / "objectives.csv")).set_index("objective")
    assert alignment_index(got) == 0.5
    assert got.index[got["status"] == "divergent"].tolist() == [
        "Predictable order volumes for route planning",
        "Extend the contract to the two new hospitals",
    ]
    assert got.index[got["status"] == "unsupported"].tolist() == ["Lower stock held on the wards"]


def test_alignment_checks_its_input_against_the_schema():
    with pytest.raises(pl.PartnerDataError, match=r"^not an objectives table .*importance"):
        objectives_alignment(table([("A", NW, 7, 4, 3, 3)]))
    with pytest.raises(pl.PartnerDataError, match="not an objectives table"):
        objectives_alignment(table([("A", NW, 5, 4, 3, 3)]).drop(columns="served"))


@pytest.mark.parametrize(
    "header",
    [
        ["objective", "owner", "importance (A)", "importance (B)", "Importance: A"],
        ["objective", "Owner", "owner", "importance (A)", "importance (B)"],
        ["objective", "owner", "importance (A)", "importance (B)", "served", "Served"],
    ],
)
def test_two_columns_for_the_same_thing_are_refused(tmp_path, header):
    # Before, the later column silently replaced the earlier one.
    path = write_csv(tmp_path / "o.csv", header, [["Grow", "joint", "4", "5", "3", "2"][: len(header)]])
    with pytest.raises(pl.PartnerDataError, match=r"o.csv', column '.*': columns '.*' and '.*' hold the same thing"):
        read_objectives(path)
