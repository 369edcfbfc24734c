"""Personal data and anonymity: what is dropped at read time and how
respondents are pseudonymised.

Personal data (names, e-mail addresses, IP addresses, locations, recipient
and external reference fields) never leaves the reader.  Respondents are
identified by a keyed hash, unique within a period, that cannot be turned
back into the platform's response id without the export itself.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

# Column headers (compared without case, spaces, '-', '_' or '.') that hold personal data.
_PERSONAL_EXACT = {
    "ipaddress",
    "ip",
    "ipaddr",
    "ipadresse",
    "email",
    "emailaddress",
    "e-mail",
    "recipientemail",
    "recipientfirstname",
    "recipientlastname",
    "firstname",
    "lastname",
    "name",
    "fullname",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "latitude",
    "longitude",
    "city",
    "postalcode",
    "zipcode",
    "networkid",
    "contactid",
    "phone",
    "phonenumber",
    "prolificpid",
}
_PERSONAL_PATTERN = re.compile(r"(e-?mail|ipaddress|latitude|longitude|recipient|correo|メール)", re.IGNORECASE)


def _squash(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", str(name)).casefold()


def is_personal(column: str) -> bool:
    """True where a column header names personal data (see the module docstring)."""
    key = _squash(column)
    return key in _PERSONAL_EXACT or bool(_PERSONAL_PATTERN.search(key))


def drop_personal_data(frame: pd.DataFrame, *, also=()) -> tuple[pd.DataFrame, list[str]]:
    """Return ``frame`` without its personal-data columns, and their names.

    Columns are personal when :func:`is_personal` says so from the header, or
    when they are listed in ``also`` (a reader's columns that hold personal data
    whatever their header says, e.g. a localised "E-Mail" column).
    """
    also = set(also)
    dropped = [c for c in frame.columns if c in also or is_personal(c)]
    return frame.drop(columns=dropped), dropped


def pseudonymise(ids: pd.Series, key: bytes) -> pd.Series:
    """Keyed BLAKE2b hash (12 hex characters) of each id.

    ``key`` is the salt: the codebook's ``salt`` if given, else a digest of the
    export file (domain-separated from the plain SHA-256 that a render record
    publishes), so the same export always gives the same pseudonyms, the raw
    ids cannot be recovered from them, and nobody holding only the reports can
    map a known id to its pseudonym.
    """
    keyed = hashlib.blake2b(key=key[:64], digest_size=6)  # the keyed state is set up once, then copied per id

    def one(value) -> str:
        h = keyed.copy()
        h.update(str(value).encode("utf-8"))
        return h.hexdigest()

    return pd.Series([one(v) for v in ids.to_numpy(dtype=object)], index=ids.index, dtype="str")


#: An e-mail address inside free text.
EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: A phone number inside free text: a run of digits, spaces, dots, dashes, slashes and brackets with 9 digits or
#: more, optionally after "+" (9 or more, so that dates like 2025-2026 and amounts stay as written).
PHONE_IN_TEXT = re.compile(r"(?<![\w+(])[+(]?\d(?:[\s().\-/]{0,2}\d){8,}(?!\w)")
#: What stands in for a masked e-mail address or phone number.
MASKED_EMAIL, MASKED_PHONE = "[e-mail address removed]", "[phone number removed]"


def mask_contact_details(texts: pd.Series) -> pd.Series:
    """Free-text answers with every e-mail address and phone number replaced (:data:`MASKED_EMAIL`,
    :data:`MASKED_PHONE`): a comment is shown in a report, a contact detail in it is personal data."""
    masked = texts.str.replace(EMAIL_IN_TEXT, MASKED_EMAIL, regex=True)
    return masked.str.replace(PHONE_IN_TEXT, MASKED_PHONE, regex=True)
