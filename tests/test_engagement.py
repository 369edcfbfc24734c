"""read_roster's errors and engagement's rates against hand-computed values."""

import pandas as pd
import pytest

from partnerlib import PartnerDataError, engagement, read_roster
from partnerlib.config import SAMPLE_DATA_DIR

ROSTER = pd.DataFrame(
    {
        "partner": ["North", "North", "South", "South"],
        "role": ["Executive", "Manager", "Executive", "Manager"],
        "invited": [10, 10, 5, 15],
    }
)


def respondents(counts, period="2026"):
    rows = []
    for (partner, role), k in counts.items():
        rows += [
            {"respondent": f"{partner}{role}{i}", "partner": partner, "role": role, "period": period} for i in range(k)
        ]
    return pd.DataFrame(rows).astype("category")


def test_rates_and_balance_by_hand():
    people = respondents(
        {
            ("North", "Executive"): 8,
            ("North", "Manager"): 5,
            ("South", "Executive"): 3,
            ("South", "Manager"): 4,
            ("South", "Not stated"): 1,
        }
    )
    e = engagement(people, ROSTER).set_index(["partner", "role"])
    assert e.loc[("North", "Executive"), "response_rate"] == pytest.approx(0.8)
    assert e.loc[("North", "Manager"), "response_rate"] == pytest.approx(0.5)
    assert e.loc[("South", "Manager"), "responded"] == 4
    assert e["low_response"].to_dict() == {
        ("North", "Executive"): False,
        ("North", "Manager"): True,
        ("North", "All roles"): False,
        ("South", "Executive"): False,
        ("South", "Manager"): True,
        ("South", "All roles"): True,
    }
    north, south = e.loc[("North", "All roles")], e.loc[("South", "All roles")]
    # North: 13 of 20 invited; South: 8 (one without a role) of 20; all: 21 of 40
    assert (north["invited"], north["responded"]) == (20, 13)
    assert (south["invited"], south["responded"]) == (20, 8)
    assert south["response_rate"] == pytest.approx(0.4)
    assert north["share_invited"] == pytest.approx(0.5)
    assert north["share_responded"] == pytest.approx(13 / 21)
    assert north["balance"] == pytest.approx(13 / 21 - 0.5)  # 11.9 points: within 15
    assert not north["imbalanced"] and not south["imbalanced"]
    assert pd.isna(e.loc[("North", "Executive"), "balance"])
    assert list(e.index) == [
        ("North", "Executive"),
        ("North", "Manager"),
        ("North", "All roles"),
        ("South", "Executive"),
        ("South", "Manager"),
        ("South", "All roles"),
    ]


def test_imbalance_over_fifteen_points_is_flagged():
    people = respondents(
        {("North", "Executive"): 10, ("North", "Manager"): 10, ("South", "Executive"): 2, ("South", "Manager"): 4}
    )
    e = engagement(people, ROSTER).set_index(["partner", "role"])
    # North 20 of 26 responses (76.9 %) against 50 % of invitations
    assert e.loc[("North", "All roles"), "balance"] == pytest.approx(20 / 26 - 0.5)
    assert e.loc[("North", "All roles"), "imbalanced"] and e.loc[("South", "All roles"), "imbalanced"]
    # a group nobody answered from still appears, at 0 %
    e2 = engagement(respondents({("North", "Executive"): 1}), ROSTER).set_index(["partner", "role"])
    assert e2.loc[("South", "Manager"), "responded"] == 0 and e2.loc[("South", "Manager"), "low_response"]


def test_engagement_errors_name_the_group():
    with pytest.raises(PartnerDataError, match=r"organisations \['East'\] are not in the roster"):
        engagement(respondents({("East", "Executive"): 1}), ROSTER)
    with pytest.raises(PartnerDataError, match=r"groups \[\('North', 'Intern'\)\] are not in the roster"):
        engagement(respondents({("North", "Intern"): 1}), ROSTER)
    with pytest.raises(PartnerDataError, match="South / Executive: 6 respondents but only 5 invited"):
        engagement(respondents({("South", "Executive"): 6}), ROSTER)
    two = pd.concat([respondents({("North", "Manager"): 1}, "2025"), respondents({("North", "Manager"): 1})])
    with pytest.raises(PartnerDataError, match=r"span periods \['2025', '2026'\].*no 'period' column"):
        engagement(two, ROSTER)


def test_roster_with_periods():
    roster = pd.concat([ROSTER.assign(period="2025"), ROSTER.assign(period="2026", invited=20)])
    two = pd.concat([respondents({("North", "Manager"): 5}, "2025"), respondents({("North", "Manager"): 5})])
    e = engagement(two, roster).set_index(["period", "partner", "role"])
    assert e.loc[("2025", "North", "Manager"), "response_rate"] == pytest.approx(0.5)
    assert e.loc[("2026", "North", "Manager"), "response_rate"] == pytest.approx(0.25)


def test_read_sample_roster():
    roster = read_roster(SAMPLE_DATA_DIR / "roster.csv")
    assert list(roster.columns) == ["partner", "role", "invited"]
    assert roster["invited"].sum() == 108 and roster["invited"].dtype == "int64"


@pytest.mark.parametrize(
    "text, message",
    [
        ("partner,role\nA,B\n", r"roster lacks columns \['invited'\]"),
        ("partner,role,invited\nA,B,ten\n", r"row 2, column 'invited', value 'ten': expected a whole number"),
        ("partner,role,invited\nA,B,3\nA,C,2.5\n", r"row 3, column 'invited', value '2.5'"),
        ("partner,role,invited\nA,B,0\n", r"value '0': expected a whole number of people invited, at least 1"),
        ("partner,role,invited\nA,,3\n", r"row 2, column 'role', value '': blank role"),
        ("partner,role,invited\nA,B,3\nA, B ,4\n", r"row 3: partner 'A', role 'B' appears twice \(first in row 2\)"),
    ],
)
def test_roster_errors_name_file_row_column_value(tmp_path, text, message):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PartnerDataError, match=message) as info:
        read_roster(path)
    assert "roster.csv" in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        "partner;role;invited\r\nCafé Nord;Manager;3\r\n".encode("cp1252"),  # Excel in a European locale
        "partner\trole\tinvited\nCafé Nord\tManager\t3\n".encode("utf-16"),  # Excel's "Unicode Text"
        "\ufeffpartner,role,invited\nCafé Nord,Manager,3\n".encode("utf-8"),
    ],
)
def test_roster_reads_every_encoding_and_delimiter_the_exports_do(tmp_path, data):
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    roster = read_roster(path)
    assert roster.values.tolist() == [["Café Nord", "Manager", 3]]


def test_missing_roster_file(tmp_path):
    with pytest.raises(PartnerDataError, match="roster not found"):
        read_roster(tmp_path / "nope.csv")


def test_xlsx_roster_error_names_the_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Invited"
    for row in [["partner", "role", "invited"], ["North", "Manager", 12], ["North", "Executive", -1]]:
        sheet.append(row)
    book.save(tmp_path / "roster.xlsx")
    expected = r"file '.*roster.xlsx', sheet 'Invited', row 3, column 'invited', value -1: expected a whole number"
    with pytest.raises(PartnerDataError, match=expected):
        read_roster(tmp_path / "roster.xlsx")
    sheet.cell(3, 3).value = 3
    book.save(tmp_path / "roster.xlsx")
    assert read_roster(tmp_path / "roster.xlsx")["invited"].tolist() == [12, 3]
