"""Pre-flight: Maileon's own acceptance rules, checked before anything is uploaded.

Codes are Maileon's invalid-contact codes (messages/hints.py explains each) so that a pre-flight rejection and a
rejection by Maileon read the same in the report. Kept independent from the simulator's checks on
purpose: each implementation tests the other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

MAX_LEN = 255

# RFC 5322 is looser, but Maileon rejects what mail servers won't take: one @, no spaces, a dotted domain.
# Matched whole (fullmatch, \Z): `$` would let a trailing newline through ("a@b.de\n"), which then split a
# line of the write-back file for KUFER.
@cache
def _email_pattern() -> re.Pattern[str]:
    """Compiled when first needed: its wide character classes take some milliseconds (an import needs none)."""
    return re.compile(
        r"(?=.{3,254}\Z)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
        r"(?:[A-Za-z0-9\u00c0-\uffff](?:[A-Za-z0-9\u00c0-\uffff-]{0,61}[A-Za-z0-9\u00c0-\uffff])?\.)+"
        r"[A-Za-z\u00c0-\uffff]{2,63}"
    )


# characters XML 1.0 cannot carry (the Maileon upload is XML), e.g. a vertical tab from an Excel cell
NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?\Z")
_LOCALE = re.compile(r"^[a-z]{2}(_[A-Z]{2})?\Z")
# Standard fields with a length rule → their Maileon error code (codes 6–16).
LENGTH_CODES: dict[str, int] = {
    "ADDRESS": 6, "CITY": 7, "FIRSTNAME": 8, "FULLNAME": 9, "HNR": 10, "LASTNAME": 11,
    "ORGANIZATION": 12, "REGION": 13, "STATE": 14, "TITLE": 15, "ZIP": 16,
}
GENDERS = frozenset({"m", "f", "d"})
# every standard field check_contact has a rule for (a length, or a form)
RULED_STANDARD_FIELDS = frozenset({*LENGTH_CODES, "BIRTHDAY", "NAMEDAY", "GENDER", "LOCALE"})


@dataclass(frozen=True, slots=True)
class Problem:
    code: int  # Maileon invalid-contact code
    field: str | None
    detail: str = ""


def valid_email(email: str) -> bool:
    if ".." in email or email.startswith(".") or "@." in email or ".@" in email:
        return False
    return _email_pattern().fullmatch(email) is not None


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    if not (1 <= month <= 12 and 1 <= day <= 31 and year >= 1800):
        return False
    import calendar

    return day <= calendar.monthrange(year, month)[1]


def email_problems(email: str) -> list[Problem]:
    """Why Maileon would reject this address (empty list: it takes it)."""
    if not email:
        return [Problem(2, "email")]
    if not valid_email(email):
        return [Problem(3, "email", email)]
    return []


def check_contact(email: str, standard: Mapping[str, str | None], custom: Mapping[str, object],
                  declared_custom: Mapping[str, str] | None) -> list[Problem]:
    """All reasons Maileon would reject this contact (empty list: acceptable)."""
    problems = email_problems(email)
    for name, value in standard.items():
        if value is None or value == "":
            continue
        if name in LENGTH_CODES and len(value) > MAX_LEN:
            problems.append(Problem(LENGTH_CODES[name], name, f"{len(value)} > {MAX_LEN}"))
        elif name in ("BIRTHDAY", "NAMEDAY") and not _valid_date(value):
            problems.append(Problem(17 if name == "BIRTHDAY" else 18, name, value))
        elif name == "GENDER" and value not in GENDERS:
            problems.append(Problem(19, name, value))
        elif name == "LOCALE" and not _LOCALE.match(value):
            problems.append(Problem(20, name, value))
    for name, value in custom.items():
        if declared_custom is not None and name not in declared_custom:
            problems.append(Problem(21, name))
            continue
        kind = (declared_custom or {}).get(name, "string")
        if kind == "boolean" and value not in (True, False, "true", "false", "0", "1", 0, 1):
            problems.append(Problem(22, name, str(value)))
        elif kind == "string" and isinstance(value, str) and len(value) > MAX_LEN:
            problems.append(Problem(26, name, f"{len(value)} > {MAX_LEN}"))
        elif kind == "date" and isinstance(value, str) and not _valid_date(value):
            problems.append(Problem(27, name, value))
        elif kind == "integer":
            try:
                number = int(str(value))
                if not -(2**31) <= number < 2**31:
                    raise ValueError
            except ValueError:
                problems.append(Problem(25, name, str(value)))
    return problems


_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)))


def has_not_xml_chars(text: str) -> bool:
    """Whether NOT_XML_CHARS occurs in ``text``, told from its UTF-8 bytes: some six times as fast as the regular
    expression on a long text (a block of an import file). A surrogate cannot be encoded; U+FFFE and U+FFFF are
    the only characters encoded as these three bytes; no byte of a multi-byte character is a control byte. A text
    of Latin-1 characters (most KUFER exports) is looked at as Latin-1 bytes, a byte a character (a copy: four
    times as fast again); there the control bytes are all it can hold."""
    try:
        return len(text.encode("latin-1").translate(None, _CONTROL_BYTES)) != len(text)
    except UnicodeEncodeError:
        pass
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data
