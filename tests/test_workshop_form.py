"""Checking a new action typed into the Act form."""

import datetime as dt

import pandas as pd
import pytest

from partnerlib.workshop.form import draft_action, next_action_id

TODAY = dt.date(2026, 5, 1)
PRINCIPLES = ["Trust", "Accountability"]


def draft(**fields):
    values = {"principle": "Trust", "action": "Weekly stand-up", "owner": "Ops leads", "due": "2026-09-30"}
    values.update(fields)
    return draft_action(**values, period="2026", principles=PRINCIPLES, today=TODAY)


def test_valid_fields_give_one_register_row():
    row, errors = draft()
    assert errors == {}
    assert row.to_dict("records") == [
        {
            "id": "2026-01",
            "period": "2026",
            "principle": "Trust",
            "action": "Weekly stand-up",
            "owner": "Ops leads",
            "due": "2026-09-30",
            "status": "not started",
            "notes": "",
        }
    ]


def test_a_date_object_and_today_are_accepted():
    row, errors = draft(due=TODAY)
    assert errors == {} and row["due"].iat[0] == "2026-05-01"


def test_ids_are_never_reused():
    register = pd.DataFrame({"id": ["2026-01", "2026-02", "2025-01", "X7"]})
    assert next_action_id(register, "2026") == "2026-03"
    assert next_action_id(register, "2027") == "2027-01"
    assert next_action_id(None, "2026") == "2026-01"
    assert next_action_id(pd.DataFrame({"id": ["2026-02"]}), "2026") == "2026-01"


def test_empty_form_gets_a_message_for_every_field():
    row, errors = draft(principle=None, action="  ", owner="", due="")
    assert row is None
    assert errors == {
        "principle": "Choose the principle this action addresses.",
        "action": "Describe the action (what will be done).",
        "owner": "Name the owner (a person or a team).",
        "due": "Give a due date as YYYY-MM-DD (e.g. 2026-09-30).",
    }


@pytest.mark.parametrize(
    "due, message",
    [
        ("30/09/2026", "'30/09/2026' is not a date: write it as YYYY-MM-DD (e.g. 2026-09-30)."),
        ("next week", "'next week' is not a date: write it as YYYY-MM-DD (e.g. 2026-09-30)."),
        ("2026-02-30", "'2026-02-30' is not a calendar date: check the month and the day."),
        ("2026-04-30", "2026-04-30 is in the past; choose a date from 2026-05-01 on."),
    ],
)
def test_invalid_due_dates_are_explained(due, message):
    row, errors = draft(due=due)
    assert row is None and errors == {"due": message}


def test_unknown_principle_is_refused():
    _, errors = draft(principle="Honesty")
    assert errors == {"principle": "Choose the principle this action addresses."}


def test_new_ids_follow_the_registers_own_scheme():

    register = pd.DataFrame({"id": ["A25-01", "A25-02"], "period": ["2025", "2025"]})
    assert next_action_id(register, "2026") == "A26-01"
    register = pd.DataFrame({"id": ["A25-01", "A26-01"], "period": ["2025", "2026"]})
    assert next_action_id(register, "2026") == "A26-02"
    register = pd.DataFrame({"id": ["ACT-7", "X99-1"], "period": ["2025", "2025"]})  # no scheme: 99 is not 2025
    assert next_action_id(register, "2026") == "2026-01"
    assert next_action_id(register, "2026-H1") == "2026-H1-01"
    assert next_action_id(None, "2026") == "2026-01"
