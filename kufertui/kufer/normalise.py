"""Turn one record of raw KUFER cells (field id → text) into a normalised `Contact`.

Shared by the CSV, XML and SQL sources. Kept deliberately thin: it runs once per imported row.
E-mail syntax is not checked here (pre-flight does it with Maileon's rules); only an empty e-mail
rejects the row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import date

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import DEFAULT_GENDER_MAP
from kufertui.core.validation import NOT_XML_CHARS
from kufertui.kufer.errors import RowError

_from_iso = date.fromisoformat
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


FIELD_ORDER: tuple[str, ...] = (
    "email", "status", "person_no", "salutation", "title", "first_name", "last_name", "gender_raw",
    "organization", "birthday", "street", "zip", "city", "is_dozent", "departments",
)
"""The cell order `convert_cells` expects (every Contact field a source can fill)."""

for _status_word in ("", "J", "K", "N", "j", "k", "n", "-", "Ja", "Nein", "JA", "NEIN"):
    _STATUS_CACHE[_status_word] = Status.parse(_status_word)


def build_contact(values: dict[str, str], line: int, extra_emails: list[str] | None = None,
                  flags: list[str] | None = None) -> Contact | RowError:
    """Build a Contact from cells keyed by field id (core.fields); see convert_cells."""
    get = values.get
    return convert_cells(tuple(get(f, "") for f in FIELD_ORDER), line, extra_emails, flags)


def convert_cells(cells: Sequence[str], line: int, extra_emails: list[str] | None = None,
                  flags: list[str] | None = None) -> Contact | RowError:
    """Build a Contact from raw cells in FIELD_ORDER ("" = empty). The hot path of every import.

    `extra_emails` are further addresses found in other cells/elements (XML KOMMUNIKATION entries,
    a second e-mail column). Returns a RowError instead when the row must be rejected.
    """
    (email, status_raw, person_no, salutation, title, first_name, last_name, gender_raw, organization,
     birthday, street, zip_code, city, dozent, departments) = cells
    flags = [] if flags is None else flags
    if NOT_XML_CHARS.search("".join(cells)):  # rare: one search over the joined row keeps the hot path fast
        (email, status_raw, person_no, salutation, title, first_name, last_name, gender_raw, organization,
         birthday, street, zip_code, city, dozent, departments) = (NOT_XML_CHARS.sub(" ", c) for c in cells)
        flags.append("control-characters")
    email = email.strip()
    extra: str | None = None
    if extra_emails or email.count("@") > 1:
        emails = split_emails(email) if email else []
        emails.extend(e.strip() for e in extra_emails or () if e.strip())
        if emails:
            email = emails[0]
            if len(emails) > 1:
                extra = ",".join(normalise_email(e) for e in emails[1:])
                flags.append("several-emails")
    if not email:
        who = person_no.strip()
        who = f"TNR {who}" if who else f"{first_name.strip()} {last_name.strip()}".strip()
        return RowError(line, "missing-email", who)
    status = _STATUS_CACHE.get(status_raw)
    if status is None:
        try:
            status = parse_status(status_raw.strip())
        except ValueError:
            return RowError(line, "invalid-status", status_raw.strip())
    at = email.rfind("@")
    if at >= 0:
        email = email[: at + 1] + email[at + 1 :].lower()
    salutation = salutation.strip()
    if salutation:
        salutation = _SALUTATIONS.get(salutation.upper(), salutation)
    gender_raw = gender_raw.strip()
    gender = None
    if gender_raw:
        key = gender_raw.upper()
        if key in DEFAULT_GENDER_MAP:
            gender = DEFAULT_GENDER_MAP[key]
            if key == "F":
                flags.append("organisation")
        else:
            flags.append("unknown-gender")
    iso: str | None = None
    birthday = birthday.strip()
    if birthday:
        if len(birthday) == 10 and birthday[2] == "." and birthday[5] == ".":  # TT.MM.JJJJ, inlined
            iso = f"{birthday[6:]}-{birthday[3:5]}-{birthday[:2]}"
            try:
                _from_iso(iso)
            except ValueError:
                iso = None
        else:
            iso = parse_date(birthday)
        if iso is None:
            flags.append("bad-date")
    city = city.strip()
    zip_code = zip_code.strip()
    if city:
        if not zip_code and (city[0].isdigit() or city[:2] in ("D-", "d-")):
            found, city = split_zip_city(city)
            zip_code = found or zip_code
    elif zip_code and not zip_code.isdigit():
        found, rest = split_zip_city(zip_code)
        if found is not None:
            zip_code, city = found, rest
    dozent = dozent.strip()
    # positional, in Contact's field order (checked below): keyword arguments cost a third of a row's Contact
    return Contact(
        email, status, person_no.strip() or None, salutation or None, title.strip() or None,
        first_name.strip() or None, last_name.strip() or None, gender_raw or None, gender,
        organization.strip() or None, iso, street.strip() or None, zip_code or None, city or None,
        bool(dozent) and dozent.upper() in _TRUE_WORDS, departments.strip() or None, extra, line, flags,
    )


assert tuple(f.name for f in fields(Contact)) == (
    "email", "status", "person_no", "salutation", "title", "first_name", "last_name", "gender_raw", "gender",
    "organization", "birthday", "street", "zip", "city", "is_dozent", "departments", "extra_emails", "source_line",
    "flags"), "convert_cells builds Contact positionally: follow the new field order there"
