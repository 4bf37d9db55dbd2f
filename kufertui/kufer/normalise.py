"""Turn one record of raw KUFER cells (field id → text) into a normalised `Contact`.

Shared by the CSV, XML and SQL sources. Kept deliberately thin: it runs once per imported row.
E-mail syntax is not checked here (pre-flight does it with Maileon's rules); only an empty e-mail
rejects the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from kufertui.core.contact import DERIVED_FIELDS, Contact, Status
from kufertui.core.fields import DEFAULT_GENDER_MAP, KUFER_FIELDS
from kufertui.core.validation import NOT_XML_CHARS
from kufertui.kufer.errors import RowError

_from_iso = date.fromisoformat
_EMAIL_SPLIT = re.compile(r"[,;\s]+")
_TRUE_WORDS = frozenset({"J", "JA", "1", "X", "TRUE", "WAHR", "Y", "YES"})
_SALUTATIONS = {"HERR": "Herr", "HERRN": "Herr", "HR": "Herr", "HR.": "Herr", "FRAU": "Frau", "FR": "Frau",
                "FR.": "Frau"}
_STATUS_CACHE: dict[str, Status] = {}
MEMO_CELL_CHARS = 100  # a longer cell is converted each time it comes, never remembered (cells come from the file)
_NO_GENDER: tuple[None, str] = (None, "")
_not_xml = NOT_XML_CHARS.search


class _Memo(dict[Any, Any]):
    """A trimmed cell (None when empty) → what a rule makes of it, remembered up to ``size`` cells of up to
    MEMO_CELL_CHARS characters (the cells come from the file: the memory stays bounded), bad values too (a date
    that does not exist is seen again and again). The rows' conversion asks it a cell at a time; a block's
    (kufer/block.py) as ``list(map(memo.__getitem__, column))``, so that the loop over a column runs in C."""

    __slots__ = ("_rule", "_size")

    def __init__(self, rule: Callable[[str], Any], size: int, empty: Any) -> None:
        super().__init__({None: empty})
        self._rule = rule
        self._size = size

    def __missing__(self, cell: str) -> Any:
        found = self._rule(cell)
        if len(self) < self._size and len(cell) <= MEMO_CELL_CHARS:
            self[cell] = found
        return found


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


FIELD_ORDER: tuple[str, ...] = tuple(f.id for f in KUFER_FIELDS)
"""The cell order `convert_cells` expects: the catalogue's (core/fields.py), which is also Contact's."""

# where convert_cells finds the cells with a rule of their own; every other field is read by its kind
_AT = {field_id: index for index, field_id in enumerate(FIELD_ORDER)}
_EMAIL, _STATUS, _PERSON_NO, _SALUTATION, _FIRST, _LAST, _GENDER, _ZIP, _CITY = (
    _AT[f] for f in ("email", "status", "person_no", "salutation", "first_name", "last_name", "gender_raw", "zip",
                     "city"))
_DATES = tuple(i for i, f in enumerate(KUFER_FIELDS) if f.kind == "date")
_BOOLS = tuple(i for i, f in enumerate(KUFER_FIELDS) if f.kind == "bool")

# convert_values puts the derived fields positionally, after the KUFER fields
assert tuple(name for name, _, _ in DERIVED_FIELDS) == ("gender", "extra_emails", "source_line", "flags")

for _status_word in ("", "J", "K", "N", "j", "k", "n", "-", "Ja", "Nein", "JA", "NEIN"):
    _STATUS_CACHE[_status_word] = Status.parse(_status_word)


def build_contact(values: dict[str, str], line: int, extra_emails: list[str] | None = None,
                  flags: list[str] | None = None) -> Contact | RowError:
    """Build a Contact from cells keyed by field id (core.fields); see convert_cells."""
    get = values.get
    return convert_cells(tuple(get(f, "") for f in FIELD_ORDER), line, extra_emails, flags)


def convert_cells(cells: Sequence[str], line: int, extra_emails: list[str] | None = None,
                  flags: list[str] | None = None, clean: bool = False) -> Contact | RowError:
    """Build a Contact from raw cells in FIELD_ORDER ("" = empty).

    `extra_emails` are further addresses found in other cells/elements (XML KOMMUNIKATION entries,
    a second e-mail column). `clean`: the caller found no NOT_XML_CHARS in the cells. Returns a RowError
    instead when the row must be rejected.
    """
    values = convert_values(cells, line, extra_emails, flags, clean)
    return values if values.__class__ is RowError else Contact(*values)  # type: ignore[return-value]


def convert_values(cells: Sequence[str], line: int, extra_emails: list[str] | None = None,
                   flags: list[str] | None = None, clean: bool = False) -> list[Any] | RowError:
    """convert_cells without the Contact: its fields as a list in Contact's order (core/contact.py,
    CONTACT_FIELDS), what the workspace stores. The hot path of every CSV import."""
    flags = [] if flags is None else flags
    if not clean and _not_xml("".join(cells)):  # rare: one search over the joined row keeps the hot path fast
        cells = [NOT_XML_CHARS.sub(" ", c) for c in cells]
        flags.append("control-characters")
    # every cell as a text field holds it (trimmed, None when empty); the rules below replace their own
    values: list[Any] = [c.strip() or None for c in cells]
    email = values[_EMAIL] or ""
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
        who = values[_PERSON_NO] or ""
        who = f"TNR {who}" if who else f"{values[_FIRST] or ''} {values[_LAST] or ''}".strip()
        return RowError(line, "missing-email", who)
    status_raw = cells[_STATUS]
    status = _STATUS_CACHE.get(status_raw)
    if status is None:
        try:
            status = parse_status(status_raw.strip())
        except ValueError:
            return RowError(line, "invalid-status", status_raw.strip())
    local, at, domain = email.rpartition("@")
    if at:
        email = local + at + domain.lower()
    values[_EMAIL] = email
    values[_STATUS] = status
    salutation = values[_SALUTATION]
    if salutation:
        values[_SALUTATION] = _SALUTATIONS.get(salutation.upper(), salutation)
    gender_raw = values[_GENDER]
    gender = None
    if gender_raw:
        gender, remark = _GENDER_OF[gender_raw]
        if remark:
            flags.append(remark)
    for i in _DATES:
        raw = values[i]
        if raw:
            iso = _DATE_CACHE[raw]
            if iso is None:
                flags.append("bad-date")
            values[i] = iso
    for i in _BOOLS:
        raw = values[i]
        values[i] = raw is not None and raw.upper() in _TRUE_WORDS
    city = values[_CITY]
    zip_code = values[_ZIP]
    if city or zip_code:
        values[_ZIP], values[_CITY] = place(zip_code, city)
    values += (gender, extra, line, flags)  # DERIVED_FIELDS, in Contact's order
    return values


def _gender_rule(raw: str) -> tuple[str | None, str]:
    key = raw.upper()
    return (DEFAULT_GENDER_MAP[key], "organisation" if key == "F" else "") if key in DEFAULT_GENDER_MAP \
        else (None, "unknown-gender")


def _date_rule(raw: str) -> str | None:
    if len(raw) == 10 and raw[2] == "." and raw[5] == ".":  # TT.MM.JJJJ, inlined
        iso: str | None = f"{raw[6:]}-{raw[3:5]}-{raw[:2]}"
        try:
            _from_iso(iso)  # type: ignore[arg-type]
        except ValueError:
            iso = None
        return iso
    return parse_date(raw)


_GENDER_OF = _Memo(_gender_rule, 256, _NO_GENDER)  # a GESCHLECHT cell → (gender, remark or "")
# TT.MM.JJJJ → ISO, or None (birthdays repeat: a 100k-row export holds some 30,000 distinct ones)
_DATE_CACHE = _Memo(_date_rule, 1 << 16, None)


def gender_of(raw: str) -> tuple[str | None, str]:
    """A GESCHLECHT cell (trimmed, not empty) → (gender, remark or ""), remembered in _GENDER_OF."""
    return _GENDER_OF[raw]  # type: ignore[no-any-return]


def iso_date(raw: str) -> str | None:
    """A date cell (trimmed, not empty) → ISO, or None (then the row gets "bad-date"); remembered in _DATE_CACHE."""
    return _DATE_CACHE[raw]  # type: ignore[no-any-return]


def place(zip_code: str | None, city: str | None) -> tuple[str | None, str | None]:
    """(PLZ, Ort) as the workspace keeps them: "12345 Ort" in the city cell (or in the PLZ cell) split in two."""
    if city:
        if not zip_code and (city[0].isdigit() or city[:2] in ("D-", "d-")):
            head, _, rest = city.partition(" ")
            if rest and head.isdigit() and 4 <= len(head) <= 5 and not rest[0].isspace():
                return head, rest  # "12345 Ort", the common case, inlined
            found, city = split_zip_city(city)
            return found, city or None
    elif zip_code and not zip_code.isdigit():
        found, rest = split_zip_city(zip_code)
        if found is not None:
            return found, rest or None
    return zip_code, city
