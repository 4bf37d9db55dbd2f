"""Maileon's field rules as the simulator enforces them: written apart from the pre-flight's (core/validation.py),
so that each tests the other."""

from __future__ import annotations

import re

# standard field -> sync error code for "illegal value" (codes 6-20; messages/hints.py explains each)
STANDARD_CODES: dict[str, int] = {
    "ADDRESS": 6, "CITY": 7, "FIRSTNAME": 8, "FULLNAME": 9, "HNR": 10, "LASTNAME": 11,
    "ORGANIZATION": 12, "REGION": 13, "STATE": 14, "TITLE": 15, "ZIP": 16,
    "BIRTHDAY": 17, "NAMEDAY": 18, "GENDER": 19, "LOCALE": 20,
}
# no error code exists for these two [U]; the simulator truncates them to 255 chars
UNCODED_STRINGS = frozenset({"COUNTRY", "SALUTATION"})
STANDARD_FIELDS = frozenset(STANDARD_CODES) | UNCODED_STRINGS
RESERVED_CUSTOM = frozenset({"id", "created", "external_id", "local_part", "permission_type",
                             "permission_status", "sendout_status", "updated"})
CUSTOM_TYPES = frozenset({"string", "integer", "float", "double", "boolean", "date"})
CUSTOM_CODES = {"boolean": 22, "float": 23, "double": 24, "integer": 25, "string": 26, "date": 27}

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]{2,}\Z")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?\Z")
LOCALE_RE = re.compile(r"^[a-z]{2}(_[A-Z]{2})?\Z")
GENDERS = frozenset({"m", "f", "d"})  # current docs; an older error table has m/f only
INT32 = (-(2**31), 2**31 - 1)


def valid_email(email: str) -> bool:
    # the cheap checks first: the regex is the expensive part
    return len(email) <= 255 and ".." not in email and EMAIL_RE.match(email) is not None


def _valid_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    y, m, d = (int(x) for x in value[:10].split("-"))
    return 1 <= m <= 12 and 1 <= d <= 31 and y >= 1


def standard_error(name: str, value: str) -> int | None:
    """Error code for an illegal standard field value, or None when the value is fine."""
    code = STANDARD_CODES.get(name)
    if code is None:
        return None
    if name in ("BIRTHDAY", "NAMEDAY"):
        return None if _valid_date(value) else code
    if name == "GENDER":
        return None if value in GENDERS else code
    if name == "LOCALE":
        return None if LOCALE_RE.match(value) else code
    return code if len(value) > 255 else None


# The standard fields with a rule of their own in standard_error; every other coded field has only the
# 255-character rule, which validate_contact decides inline with LENGTH_ONLY_CODES (saves a call per field).
SPECIAL_STANDARD = frozenset({"BIRTHDAY", "NAMEDAY", "GENDER", "LOCALE"})
LENGTH_ONLY_CODES: dict[str, int] = {k: v for k, v in STANDARD_CODES.items() if k not in SPECIAL_STANDARD}


_BOOLEANS = frozenset({"true", "false", "0", "1"})


def custom_error(type_: str, value: str) -> int | None:
    if type_ == "boolean":
        return None if value.lower() in _BOOLEANS else CUSTOM_CODES["boolean"]
    code = CUSTOM_CODES.get(type_, 26)
    if type_ == "integer":
        try:
            n = int(value)
        except ValueError:
            return code
        return None if INT32[0] <= n <= INT32[1] else code  # 32-bit [I]
    if type_ in ("float", "double"):
        try:
            float(value)
        except ValueError:
            return code
        return None
    if type_ == "date":
        return None if _valid_date(value) else code
    return code if len(value) > 255 else None


def normalise_custom(type_: str, value: str) -> str:
    if type_ == "boolean":
        return "true" if value.lower() in ("true", "1") else "false"
    if type_ == "date":
        return value[:10]  # the time part is dropped [C]
    return value


def custom_name_problem(name: str) -> str | None:
    if not 3 <= len(name) <= 64:
        return "custom field name must have 3 to 64 characters"
    if name.upper() in STANDARD_FIELDS or name.lower() in RESERVED_CUSTOM:
        return f"custom field name {name!r} is reserved"
    return None
