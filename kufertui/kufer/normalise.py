"""Turn one record of raw KUFER cells (field id → text) into a normalised `Contact`.

Shared by the CSV, XML and SQL sources. Kept deliberately thin: it runs once per imported row.
E-mail syntax is not checked here (pre-flight does it with Maileon's rules); only an empty e-mail
rejects the row.
"""

from __future__ import annotations

import re
from datetime import date

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import DEFAULT_GENDER_MAP
from kufertui.kufer.errors import RowError

_EMAIL_SPLIT = re.compile(r"[,;\s]+")
_TRUE_WORDS = frozenset({"J", "JA", "1", "X", "TRUE", "WAHR", "Y", "YES"})
_SALUTATIONS = {"HERR": "Herr", "HERRN": "Herr", "HR": "Herr", "HR.": "Herr", "FRAU": "Frau", "FR": "Frau",
                "FR.": "Frau"}
_STATUS_CACHE: dict[str, Status] = {}
_PLAIN_FIELDS = ("person_no", "title", "first_name", "last_name", "organization", "street", "departments")


def normalise_email(raw: str) -> str:
    """Trim and lower-case the domain; the local part is kept as written."""
    text = raw.strip()
    at = text.rfind("@")
    if at < 0:
        return text
    return text[: at + 1] + text[at + 1 :].lower()


def split_emails(raw: str) -> list[str]:
    """A cell may hold several addresses ("a@x.de, b@y.de"): return them in order."""
    if raw.count("@") <= 1:
        return [raw]
    return [part for part in _EMAIL_SPLIT.split(raw) if part]


def parse_status(raw: str) -> Status:
    """Status.parse with a cache (it runs once per row). Unknown words raise ValueError."""
    found = _STATUS_CACHE.get(raw)
    if found is None:
        found = Status.parse(raw)
        if len(_STATUS_CACHE) < 256:
            _STATUS_CACHE[raw] = found
    return found


def parse_date(raw: str) -> str | None:
    """`TT.MM.JJJJ` (also `T.M.JJJJ` and ISO `JJJJ-MM-TT`) → ISO; anything else → None."""
    text = raw.strip()
    try:
        if "." in text:
            day, month, year = text.split(".")
            if len(year) != 4:
                return None
            return date(int(year), int(month), int(day)).isoformat()
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return date(int(text[0:4]), int(text[5:7]), int(text[8:10])).isoformat()
    except ValueError:
        return None
    return None


def split_zip_city(raw: str) -> tuple[str | None, str]:
    """"12345 Musterstadt" → ("12345", "Musterstadt"); "D-12345 Ort" too; otherwise (None, raw)."""
    parts = raw.split(None, 1)
    if len(parts) == 2:
        head = parts[0]
        if head[:2] in ("D-", "d-"):
            head = head[2:]
        if head.isdigit() and 4 <= len(head) <= 5:
            return head, parts[1].strip()
    elif raw.isdigit() and 4 <= len(raw) <= 5:
        return raw, ""
    return None, raw


def parse_bool(raw: str) -> bool:
    return raw.strip().upper() in _TRUE_WORDS


def _who(values: dict[str, str]) -> str:
    if "person_no" in values:
        return f"TNR {values['person_no']}"
    return " ".join(values[k] for k in ("first_name", "last_name") if k in values)


def build_contact(values: dict[str, str], line: int, extra_emails: list[str] | None = None,
                  flags: list[str] | None = None) -> Contact | RowError:
    """Build a Contact from stripped, non-empty cells keyed by field id (core.fields).

    `extra_emails` are further addresses found in other cells/elements (XML KOMMUNIKATION entries,
    a second e-mail column). Returns a RowError instead when the row must be rejected.
    """
    flags = [] if flags is None else flags
    raw_email = values.get("email", "")
    emails = split_emails(raw_email) if raw_email else []
    if extra_emails:
        emails.extend(e for e in extra_emails if e)
    if not emails:
        return RowError(line, "missing-email", _who(values))
    raw_status = values.get("status", "")
    try:
        status = parse_status(raw_status)
    except ValueError:
        return RowError(line, "invalid-status", raw_status)
    contact = Contact(email=normalise_email(emails[0]), status=status, source_line=line, flags=flags)
    if len(emails) > 1:
        contact.extra_emails = ",".join(normalise_email(e) for e in emails[1:])
        flags.append("several-emails")
    for name in _PLAIN_FIELDS:
        value = values.get(name)
        if value is not None:
            setattr(contact, name, value)
    salutation = values.get("salutation")
    if salutation is not None:
        contact.salutation = _SALUTATIONS.get(salutation.upper(), salutation)
    gender = values.get("gender_raw")
    if gender is not None:
        contact.gender_raw = gender
        key = gender.upper()
        if key in DEFAULT_GENDER_MAP:
            contact.gender = DEFAULT_GENDER_MAP[key]
            if key == "F":
                flags.append("organisation")
        else:
            flags.append("unknown-gender")
    birthday = values.get("birthday")
    if birthday is not None:
        contact.birthday = parse_date(birthday)
        if contact.birthday is None:
            flags.append("bad-date")
    city = values.get("city")
    zip_code = values.get("zip")
    if city is not None:
        if zip_code is None:
            zip_code, city = split_zip_city(city)
        contact.city = city or None
    elif zip_code is not None and not zip_code.isdigit():
        found, rest = split_zip_city(zip_code)
        if found is not None:
            zip_code, contact.city = found, rest or None
    contact.zip = zip_code
    dozent = values.get("is_dozent")
    if dozent is not None:
        contact.is_dozent = dozent.upper() in _TRUE_WORDS
    return contact
