"""The Act step's form: checking a typed action before it goes into the register (pure).

:func:`draft_action` turns the form's fields into one register row, or into
one message per field that needs fixing, so the widget can show each
message next to its field instead of raising.  Saving is left to
:func:`partnerlib.save_actions` (atomic, merges by id, never removes a row).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

FIELDS = ("principle", "action", "owner", "due")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def next_action_id(register: pd.DataFrame | None, period: str) -> str:
    """The first free id of the form ``<period>-NN`` (``2026-01``, ``2026-02``...).

    Ids already in ``register`` (any form) are never reused.
    """
    used = set() if register is None or "id" not in register else set(register["id"].astype("str"))
    k = 1
    while f"{period}-{k:02d}" in used:
        k += 1
    return f"{period}-{k:02d}"


def draft_action(
    *,
    principle,
    action,
    owner,
    due,
    period: str,
    principles,
    register: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """Check the fields of one new action.

    Parameters
    ----------
    principle : str
        The principle whose gap the action addresses; one of ``principles``.
    action, owner : str
        What will be done, and who owns it; neither may be blank.
    due : str or date
        The due date, ``YYYY-MM-DD``; not before ``today``.
    period : str
        The review the action comes out of.
    principles : sequence of str
    register : DataFrame, optional
        The register as read now (for a free id).
    today : date, optional
        Default: today's date.

    Returns
    -------
    (row, errors)
        ``row`` is a one-row frame with the register's columns ``id, period,
        principle, action, owner, due, status, notes`` (status ``not started``)
        when every field is valid, else ``None``; ``errors`` maps each invalid
        field to a message saying what is expected.
    """
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    names = [str(p) for p in principles]
    if principle is None or str(principle) not in names:
        errors["principle"] = "Choose the principle this action addresses."
    text = "" if action is None else str(action)
    if not text.strip():
        errors["action"] = "Describe the action (what will be done)."
    who = "" if owner is None else str(owner)
    if not who.strip():
        errors["owner"] = "Name the owner (a person or a team)."
    due_date = None
    if isinstance(due, dt.date):
        due_date = due
    elif due is None or not str(due).strip():
        errors["due"] = "Give a due date as YYYY-MM-DD (e.g. 2026-09-30)."
    else:
        raw = str(due).strip()
        if not _ISO_DATE.match(raw):
            errors["due"] = f"'{raw}' is not a date: write it as YYYY-MM-DD (e.g. 2026-09-30)."
        else:
            try:
                due_date = dt.date.fromisoformat(raw)
            except ValueError:
                errors["due"] = f"'{raw}' is not a calendar date: check the month and the day."
    if due_date is not None and due_date < today:
        errors["due"] = f"{due_date.isoformat()} is in the past; choose a date from {today.isoformat()} on."
    if errors or due_date is None:
        return None, errors
    row = pd.DataFrame(
        [
            {
                "id": next_action_id(register, period),
                "period": str(period),
                "principle": str(principle),
                "action": text.strip(),
                "owner": who.strip(),
                "due": due_date.isoformat(),
                "status": "not started",
                "notes": "",
            }
        ]
    )
    return row, {}
