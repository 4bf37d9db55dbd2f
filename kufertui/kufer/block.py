"""A plain block of a CSV export converted a column at a time: what normalise.convert_values does to each row,
done to a whole column of cells at once (the hot path of `kufertui import`: per row, Python runs a few list
items instead of a function). The rules are convert_values's own (its helpers and caches); a row with anything
unusual is left to convert_values itself. tests/unit/test_kufer_block.py holds both to the same result."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Any

from kufertui.kufer.normalise import (
    _AT,
    _BOOLS,
    _DATE_CACHE,
    _DATES,
    _GENDER_OF,
    _SALUTATIONS,
    _STATUS_CACHE,
    _TRUE_WORDS,
    _Memo,
    place,
)
from kufertui.kufer.normalise import MEMO_CELL_CHARS as MEMO_CELL_CHARS  # the memos' bound, as the tests see it

_EMAIL, _STATUS, _SALUTATION, _GENDER, _ZIP, _CITY = (
    _AT[f] for f in ("email", "status", "salutation", "gender_raw", "zip", "city"))
_NO_PLACE: tuple[None, None] = (None, None)
_NO_FLAGS: tuple[str, ...] = ()  # shared by the rows without a remark: read, never appended to

# the rows' own memos (normalise.py): a cell converted in a block is remembered for the rows too, and once
_GENDER_MEMO = _GENDER_OF  # a GESCHLECHT cell → (gender, remark or "")
_DATE_MEMO = _DATE_CACHE  # TT.MM.JJJJ → ISO or None (a bad date)
_SALUTATION_MEMO = _Memo(lambda cell: _SALUTATIONS.get(cell.upper(), cell), 256, None)
_PLACE_MEMO = _Memo(lambda cell: place(None, cell), 1 << 14, _NO_PLACE)  # a "PLZ Ort" cell without a PLZ cell


def convert_block(columns: Sequence[Sequence[str]], first_line: int) -> tuple[list[Sequence[Any]], list[int]]:
    """``columns``: a block's cells of each KUFER field (FIELD_ORDER; a field the file lacks: a column of ""), row
    i from line ``first_line + i``, no cell holding a character XML cannot carry, no second e-mail column (the
    caller made sure). Returns the contacts' values a column per field of Contact (CONTACT_FIELDS), and the rows
    left to convert_values, in order: no e-mail, several addresses in it, a status word not seen before (their
    places in the columns hold no contact)."""
    n = len(columns[0])
    # every cell stripped: telling from the text which need it (a look for a space next to a delimiter or a line
    # end) cost more than the strip() it saved, on a file with such spaces and on one without
    values: list[list[Any]] = [[c.strip() or None for c in col] if any(col) else [None] * n for col in columns]
    emails = values[_EMAIL]
    status_cells = columns[_STATUS]
    statuses = list(map(_STATUS_CACHE.get, status_cells))
    todo: set[int] = set()
    if not all(emails):
        todo.update(i for i, email in enumerate(emails) if not email)
    if not _STATUS_CACHE.keys() >= set(status_cells):
        todo.update(i for i, status in enumerate(statuses) if status is None)
    if max(map(str.count, columns[_EMAIL], repeat("@"))) > 1:
        todo.update(i for i, cell in enumerate(columns[_EMAIL]) if cell.count("@") > 1)
    # the domain lower-cased (an address without capitals is as it is)
    values[_EMAIL] = [email if email is None or email == email.lower() else _lower_domain(email) for email in emails]
    values[_STATUS] = statuses
    values[_SALUTATION] = list(map(_SALUTATION_MEMO.__getitem__, values[_SALUTATION]))
    genders, remarks = zip(*map(_GENDER_MEMO.__getitem__, values[_GENDER]), strict=True)
    bad_dates: list[int] = []
    for at in _DATES:
        cells = values[at]
        isos = list(map(_DATE_MEMO.__getitem__, cells))
        if isos.count(None) != cells.count(None):  # a date that is not one
            bad_dates += (i for i, (raw, iso) in enumerate(zip(cells, isos, strict=True)) if raw and iso is None)
        values[at] = isos
    for at in _BOOLS:
        values[at] = [raw is not None and raw.upper() in _TRUE_WORDS for raw in values[at]]
    zips, cities = values[_ZIP], values[_CITY]
    if any(zips):
        places = [place(z, c) if z or c else _NO_PLACE for z, c in zip(zips, cities, strict=True)]
    else:  # no PLZ of its own: "12345 Ort" in the city cell, the same few thousand places again and again
        places = list(map(_PLACE_MEMO.__getitem__, cities))
    values[_ZIP], values[_CITY] = map(list, zip(*places, strict=True))
    flags: list[Any] = [_NO_FLAGS] * n
    if bad_dates or any(remarks):  # in convert_values's order: the gender's remark, then each bad date
        for i, remark in enumerate(remarks):
            if remark:
                flags[i] = [remark]
        for i in bad_dates:
            flags[i] = [*flags[i], "bad-date"]
    values += (genders, [None] * n, range(first_line, first_line + n), flags)  # DERIVED_FIELDS
    return values, sorted(todo)  # type: ignore[return-value]


def _lower_domain(email: str) -> str:
    local, at, domain = email.rpartition("@")
    return local + at + domain.lower() if at else email


class Run:
    """Contacts of consecutive rows, a column per field of Contact (CONTACT_FIELDS)."""

    __slots__ = ("columns", "count")

    def __init__(self, columns: list[Sequence[Any]], count: int) -> None:
        self.columns = columns
        self.count = count


def block_runs(rows: list[list[str]], first: int, field_at: list[int]) -> list[tuple[int, Any, bool]]:
    """A plain block of CSV rows (every row as wide as the header, its lines in the file's encoding, no character
    XML cannot carry, no second e-mail column; ``field_at``: the column of each KUFER field, -1 when the file
    lacks it) as CsvFile._rows loops over it: (line, item, False) for runs of contacts converted a column at a
    time, and between them for the rows left to convert_values."""
    columns = list(zip(*rows, strict=True))
    empty = ("",) * len(rows)
    out, todo = convert_block([columns[i] if i >= 0 else empty for i in field_at], first)
    if not todo:
        return [(first, Run(out, len(rows)), False)]
    numbered: list[tuple[int, Any, bool]] = []
    start = 0
    for i in (*todo, len(rows)):
        if i > start:
            numbered.append((first + start, Run([c[start:i] for c in out], i - start), False))
        if i < len(rows):
            numbered.append((first + i, rows[i], False))
        start = i + 1
    return numbered
