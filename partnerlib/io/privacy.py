"""Personal data and anonymity: what is dropped at read time and how
respondents are pseudonymised.

Personal data (names, e-mail addresses, IP addresses, locations, recipient
and external reference fields) never leaves the reader.  Respondents are
identified by a keyed hash, unique within a period, that cannot be turned
back into the platform's response id without the export itself.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from collections import Counter

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
    "token",
    "accesscode",
    # localised headers
    "adresseip",
    "direccionip",
    "direcciónip",
    "indirizzoip",
    "endereçoip",
    "emailadresse",
    "adresseemail",
    "courriel",
    "nombre",
    "apellido",
    "apellidos",
    "nom",
    "prénom",
    "vorname",
    "nachname",
    "nome",
    "cognome",
    "telefon",
    "telefonnummer",
    "téléphone",
    "teléfono",
    "telefono",
    "mobile",
    "mobilephone",
    "来自ip",
    "ip地址",
    "姓名",
    "手机",
    "手机号码",
    "电话",
    "邮箱",
    "电子邮件",
    "名前",
    "氏名",
}
_PERSONAL_PATTERN = re.compile(r"(e-?mail|ipaddress|latitude|longitude|recipient|correo|メール|邮箱)", re.IGNORECASE)
#: A header longer than this many words is a question, not a field name: "Can we contact you by e-mail about the
#: results?" is a consent item, not an e-mail column (its answers are still checked by content).
MAX_FIELD_NAME_WORDS = 6

#: Identity fields, by squashed header: two submissions with the same value come from the same respondent.
IDENTITY_FIELDS = {
    "email": "e-mail",
    "emailaddress": "e-mail",
    "e-mail": "e-mail",
    "recipientemail": "e-mail",
    "emailadresse": "e-mail",
    "adresseemail": "e-mail",
    "courriel": "e-mail",
    "externalreference": "external reference",
    "externaldatareference": "external reference",
    "recipientid": "recipient",
    "contactid": "recipient",
    "token": "recipient",
    "accesscode": "recipient",
    "prolificpid": "panel id",
    "panelid": "panel id",
    "participantid": "panel id",
    "psid": "panel id",
    "workerid": "panel id",
}
#: Values of an identity field that identify nobody (Microsoft Forms writes ``anonymous`` in anonymous forms).
NO_IDENTITY = {"", "anonymous", "anonyme", "anonym", "anónimo", "n/a", "none", "-"}


def _squash(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", str(name)).casefold()


def personal_header(column: str) -> bool:
    """True where a column header names personal data (see the module docstring)."""
    key = _squash(column)
    if key in _PERSONAL_EXACT:
        return True
    return len(str(column).split()) <= MAX_FIELD_NAME_WORDS and bool(_PERSONAL_PATTERN.search(key))


is_personal = personal_header

#: A whole cell that is an e-mail address, or a phone number written as one (a ``+``, ``00`` or ``(`` prefix, or
#: separators between digit groups: a bare run of digits is a platform's id, not a phone number).
_EMAIL_CELL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_CELL = re.compile(r"(?:\+|00|\()[\d\s().\-/]{8,}|\d{2,4}(?:[\s.\-/]\d{2,4}){2,}")
#: Share of a column's non-blank cells (of the first :data:`CONTENT_SAMPLE`) that must look alike to call it personal.
CONTENT_SHARE = 0.8
CONTENT_SAMPLE = 200


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_phone(text: str) -> bool:
    return bool(_PHONE_CELL.fullmatch(text)) and sum(ch.isdigit() for ch in text) >= 9


_CONTENT_KINDS = (("IP addresses", _is_ip), ("e-mail addresses", _EMAIL_CELL.fullmatch), ("phone numbers", _is_phone))


def personal_content(column: pd.Series) -> str | None:
    """What personal data a column holds by its cells (``"IP addresses"``, ``"e-mail addresses"``,
    ``"phone numbers"``), whatever its header says, or None.

    A column is personal when at least :data:`CONTENT_SHARE` of its first :data:`CONTENT_SAMPLE` non-blank cells
    (among its first 20,000 cells and 1,000 filled ones) are of one kind.  Each distinct cell is tested once.
    """
    head = column.iloc[: 5 * CONTENT_SAMPLE].dropna()  # a column mostly filled needs no more
    if len(head) < 5 * CONTENT_SAMPLE:
        head = column.iloc[:20_000].dropna().iloc[: 5 * CONTENT_SAMPLE]
    values = Counter([v for v in (str(c).strip() for c in head.to_numpy(dtype=object)) if v][:CONTENT_SAMPLE])
    if not values:
        return None
    total = sum(values.values())
    for kind, test in _CONTENT_KINDS:
        if sum(n for v, n in values.items() if test(v)) >= CONTENT_SHARE * total:
            return kind
    return None


def identity_field(column: str) -> str | None:
    """The kind of respondent identity a personal column holds (``"e-mail"``, ``"external reference"``,
    ``"recipient"``, ``"panel id"``), by its header, or None."""
    key = _squash(column)
    if key in IDENTITY_FIELDS:
        return IDENTITY_FIELDS[key]
    return "e-mail" if personal_header(column) and re.search(r"e-?mail|correo|メール|邮箱", key) else None


def identity_hashes(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Keyed hashes of the identity fields among ``columns`` (one column per kind, blank where the cell
    identifies nobody), compared case-blind; the key is random and lives only as long as this call, so
    the hashes can only be compared with each other, never turned back into the values.

    The hash is SipHash-2-4 (pandas' ``hash_array``, vectorised), keyed with 96 random bits, kept as a 64-bit
    integer (``UInt64``): it only has to tell equal identities from different ones within one reading, and it is
    never published (the published pseudonyms are :func:`pseudonymise`'s).
    """
    key = secrets.token_urlsafe(12)  # 16 characters of the 64-letter URL-safe alphabet: 96 random bits
    out: dict[str, pd.Series] = {}
    for col in columns:
        kind = identity_field(col)
        if kind is None or kind in out:
            continue
        text = frame[col].astype("str").str.strip().str.casefold()
        none = (text.isna() | text.isin(NO_IDENTITY)).to_numpy()
        hashed = pd.util.hash_array(text.fillna("").to_numpy(dtype=object), hash_key=key, categorize=True)
        out[kind] = pd.Series(pd.arrays.IntegerArray(hashed, none), index=frame.index)
    return pd.DataFrame(out, index=frame.index)


def drop_personal_data(frame: pd.DataFrame, *, also=()) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return ``frame`` without its personal-data columns, and each dropped column with why.

    Columns are personal when the header says so (:func:`personal_header`), when their cells do
    (:func:`personal_content`), or when they are listed in ``also`` (a reader's columns that hold personal
    data whatever their header says, e.g. a localised "E-Mail" column).
    """
    also = set(also)
    why: dict[str, str] = {}
    for c in frame.columns:
        if c in also:
            why[c] = "the platform's personal-data column"
        elif personal_header(c):
            why[c] = "personal-data header"
        elif (kind := personal_content(frame[c])) is not None:
            why[c] = f"holds {kind}"
    return frame.drop(columns=list(why)), why


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
