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


#: A register's own id scheme: letters, the period's last two digits, a dash and a number (``A25-01``).
_SCHEME = re.compile(r"^(?P<prefix>[A-Za-z]+)(?P<yy>\d{2})-(?P<n>\d+)$")


def id_scheme(register: pd.DataFrame | None) -> tuple[str, int] | None:
    """The register's own id scheme as ``(prefix, digits)``, or None.

    A register has one when an id is letters, the last two digits of its
    row's period, a dash and a number (``A25-01`` in period 2025); the first
    such id gives the prefix and the number's width.
    """
    if register is None or "id" not in register or "period" not in register:
        return None
    for ident, period in zip(register["id"].astype("str"), register["period"].astype("str")):
        m = _SCHEME.match(ident)
        if m and period[-2:] == m["yy"]:
            return m["prefix"], len(m["n"])
    return None


def next_action_id(register: pd.DataFrame | None, period: str) -> str:
    """The first free id for a new action of ``period``.

    It follows the register's own scheme when it has one (:func:`id_scheme`:
    after ``A25-01`` of 2025 come ``A26-01``, ``A26-02``... in 2026, for a
    period whose last two characters are digits), else ``<period>-NN``
    (``2026-01``, ``2026-02``...).  Ids already in ``register`` (any form) are
    never reused.
    """
    used = set() if register is None or "id" not in register else set(register["id"].astype("str"))
    scheme = id_scheme(register)
    period = str(period)
    if scheme is not None and period[-2:].isdigit():
        prefix, digits = scheme[0] + period[-2:], scheme[1]
    else:
        prefix, digits = period, 2
    k = 1
    while f"{prefix}-{k:0{digits}d}" in used:
        k += 1
    return f"{prefix}-{k:0{digits}d}"


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
    action_id: str | None = None,
    status: str = "not started",
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
    action_id : str, optional
        The id of an action being edited (default: :func:`next_action_id` of ``register``).
    status : str
        The row's status (an edited action keeps its own).

    Returns
    -------
    (row, errors)
        ``row`` is a one-row frame with the register's columns ``id, period,
        principle, action, owner, due, status, notes`` (status ``status``)
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
                "id": action_id or next_action_id(register, period),
                "period": str(period),
                "principle": str(principle),
                "action": text.strip(),
                "owner": who.strip(),
                "due": due_date.isoformat(),
                "status": status,
                "notes": "",
            }
        ]
    )
    return row, {}
