"""The import of contacts into the workspace: one transaction, idempotent by the contact's key, an N never
lifted, presence after a full export (who left KUFER, who came back). ContactStore.import_contacts calls it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, compress, islice, repeat
from operator import attrgetter, itemgetter
from typing import Any

from kufertui.core.contact import CONTACT_FIELDS, Contact, Status, contact_key
from kufertui.store.bulk import larger_cache, rows_per_statement
from kufertui.store.columns import BOOL_COLUMNS, DATA_COLUMNS
from kufertui.store.db import transaction

_CHUNK = 5000
# Rows per INSERT of new contacts: SQLite runs a statement of 100 rows (2,500 parameters, a program that stays in
# the CPU's caches) a quarter faster per row than one of 500 (100k contacts: 0.29 s instead of 0.39 s).
_ROWS_PER_INSERT = 100
MAX_DUPLICATE_EXAMPLES = 10


@dataclass(slots=True)
class ImportSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_n: int = 0  # the file said J/K/empty but the workspace or the ledger says N
    duplicates: int = 0  # the same person twice in one file: the later row wins (an N stays N)
    # the first few of them: (KUFER number or "" when matched by e-mail, earlier line, later line)
    duplicate_examples: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    import_id: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    # presence (sync/leavers.py): known persons absent from this export; after a full one they have left KUFER
    full: bool = False  # a full export: its absentees leave the selection, its returners come back
    missing: int = 0  # present in the workspace before, not in this export
    returned: int = 0  # had left, in this (full) export again: back in the selection
    left: int = 0  # persons out of the selection because they left KUFER, after this import

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


# the import takes a contact as its fields in Contact's order (CONTACT_FIELDS): where it finds what
_VALUES_OF = attrgetter(*CONTACT_FIELDS)
_PERSON_NO, _SOURCE_LINE, _FLAGS = (CONTACT_FIELDS.index(f) for f in ("person_no", "source_line", "flags"))
assert CONTACT_FIELDS[:2] == ("email", "status") and CONTACT_FIELDS[2:_SOURCE_LINE] == DATA_COLUMNS[1:]
# the words the browser's search finds a contact by (the workspace's search column)
_SEARCH_AT = tuple(CONTACT_FIELDS.index(f)
                   for f in ("first_name", "last_name", "email", "person_no", "organization", "city"))
_SEARCH_ITEMS = itemgetter(*_SEARCH_AT)



_STATUS_TEXT = {s: s.value for s in Status}


_NEW, _NEW_N = (0, False), (0, True)  # (fingerprint, is N) of a contact new in this import (fingerprint 0)
# A row the import writes: the contact's fields as they come (CONTACT_FIELDS up to source_line) with flags and
# search in the places of source_line and flags, then the columns the workspace adds; the key last, for the
# UPDATE's WHERE. So a contact's list of fields becomes its row in place.
_ALL = ("email", *DATA_COLUMNS, "flags", "search", "email_lc", "import_id", "updated_at", "key")
_UPDATE = (f"UPDATE contacts SET {','.join(c + '=?' for c in _ALL[:-1])} WHERE key=?")
_COMPARE = ("email", *DATA_COLUMNS, "flags")
_COMPARE_END = len(_COMPARE)  # the compared values begin a row
_BOOL_AT = tuple(_ALL.index(name) for name in BOOL_COLUMNS)
# The columns that may be NULL (text the file may leave empty). A batch of new contacts may carry _NULL there
# instead of None: sqlite3 binds None through its adapter lookup, some 3 times as slowly as an int; the INSERT
# turns _NULL back into NULL (NULLIF), so no text (a str) is ever taken for it.
_NULL = 0
_NULLABLE_AT = tuple(i for i, name in enumerate(_ALL)
                     if name == "flags" or (name in DATA_COLUMNS[1:] and name not in BOOL_COLUMNS))
_FLAGS_AT = _ALL.index("flags")
_SAMPLE = 16  # values of a column looked at to tell whether it is mostly NULL
_EMPTY_AS_NULL = {"": _NULL}
_IS_N = Status.N.value.__eq__  # a status text
assert _ALL[:_COMPARE_END] == _COMPARE and _COMPARE_END == _SOURCE_LINE + 1
_SECONDARY_INDEXES = {
    "contacts_status": "CREATE INDEX contacts_status ON contacts (status, id)",
    "contacts_email": "CREATE INDEX contacts_email ON contacts (email_lc)",
}


@lru_cache(maxsize=16)
def _insert_statement(rows: int, nulls: int = 0) -> str:
    """INSERT of ``rows`` rows of _ALL; ``nulls``: a bit per column (of _ALL) that carries _NULL for NULL."""
    marks = ",".join("NULLIF(?,0)" if nulls >> i & 1 else "?" for i in range(len(_ALL)))
    return f"INSERT INTO contacts ({','.join(_ALL)}) VALUES " + ",".join([f"({marks})"] * rows)




def import_into(conn: sqlite3.Connection, contacts: Iterable[Contact] = (), *, import_id: int | None = None,
                suppressed: set[str] | None = None, full: bool = False,
                columns: Iterable[Sequence[Sequence[Any]]] | None = None) -> tuple[ImportSummary, bool]:
    """Insert or update in one transaction. Idempotent by Contact.key; an N is never lifted. Returns the summary
    (without the counts per status) and whether this was the workspace's first import.

    ``columns``, instead of ``contacts``: runs of contacts, each run a column per field of Contact (core/contact.py,
    CONTACT_FIELDS; KuferFile.value_columns gives them), without an object per contact.

    `suppressed` holds lower-cased e-mails from the suppression ledger: they import as N.
    `full`: the contacts are the whole of KUFER (a full export). Known persons absent from it leave the
    selection (``left_at``), kept in the workspace; those who had left and are in it again come back.
    Without it (a partial export, a test seeding a few) nobody's presence changes; the summary still
    counts the known persons the contacts did not include.
    """
    summary = ImportSummary(full=full)
    suppressed = suppressed or set()
    # key → (fingerprint of the stored values, stored status is N)
    existing: dict[str, tuple[int, bool]] = {}
    gone: set[str] = set()  # keys of persons who had left KUFER before this import
    cols = ",".join(("key", *_COMPARE, "left_at IS NOT NULL"))
    status_at = 2 + DATA_COLUMNS.index("status")
    for row in conn.execute(f"SELECT {cols} FROM contacts"):
        existing[row[0]] = (hash(row[1:-1]), row[status_at] == Status.N)
        if row[-1]:
            gone.add(row[0])
    known = list(existing)  # the persons before this import (`existing` takes the new ones too)
    bulk = not existing  # a first import: build the secondary indexes once at the end
    now = datetime.now(UTC).isoformat(timespec="seconds")
    seen: dict[str, int | None] = {}  # key → line of its latest row in this file
    with larger_cache(conn), transaction(conn):
        if bulk:
            for name in _SECONDARY_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        _import_rows(conn, _runs_of(contacts) if columns is None else columns, summary, existing, seen, suppressed,
                     import_id, now)
        _presence(conn, summary, known, gone, seen, now)
        if bulk:
            for sql in _SECONDARY_INDEXES.values():
                conn.execute(sql)
    return summary, bulk


def _runs_of(contacts: Iterable[Contact], size: int = 500) -> Iterator[Sequence[Sequence[Any]]]:
    """Contacts as runs of columns (see import_into)."""
    values = map(_VALUES_OF, contacts)
    while run := list(islice(values, size)):
        yield list(zip(*run, strict=True))


def _import_rows(conn: sqlite3.Connection, runs: Iterable[Sequence[Sequence[Any]]], summary: ImportSummary,
                 existing: dict[str, tuple[int, bool]], seen: dict[str, int | None], suppressed: set[str],
                 import_id: int | None, now: str) -> None:
    """The import's loop, a statement's worth of contacts (a column per field of Contact) at a time: a batch of
    new contacts written at once (_insert_new), any other contact inserted, updated or found unchanged
    (_import_each). Rows are written in the file's order.

    In this thread: a writer thread of its own cost more than it saved (the GIL: sqlite3 binds each value
    holding it, so the two threads took turns, and each turn cost a hand-over)."""
    inserts: list[list[Any]] = []  # _import_each's, written a statement's worth at a time
    updates: list[list[Any]] = []
    per_statement = rows_per_statement(conn, len(_ALL), _ROWS_PER_INSERT)
    nulls: list[int] = []  # the columns _insert_new binds _NULL in, decided by its first batch
    for batch in _batches(runs, per_statement):
        if not _insert_new(conn, batch, summary, existing, seen, suppressed, import_id, now, nulls, inserts):
            _import_each(conn, zip(*batch, strict=True), summary, existing, seen, suppressed, import_id, now,
                         inserts, updates, per_statement)
    _insert(conn, inserts)
    conn.executemany(_UPDATE, updates)


def _batches(runs: Iterable[Sequence[Sequence[Any]]], size: int) -> Iterator[Sequence[Sequence[Any]]]:
    """Runs of columns cut and joined into batches of ``size`` contacts (the last one smaller): statements of one
    size, prepared once. A contact's value is copied once on the way (a slice), twice where a batch joins runs."""
    held: list[list[Any]] = []  # the first contacts of the next batch, fewer than ``size``
    for run in runs:
        n = len(run[0]) if run else 0
        at = 0  # the run's contacts up to here are in a batch
        if held and n:
            at = min(n, size - len(held[0]))
            for column, more in zip(held, run, strict=True):
                column.extend(more[:at])
            if len(held[0]) < size:
                continue
            yield held
            held = []
        while n - at >= size:
            yield run if n == size else [column[at:at + size] for column in run]
            at += size
        if at < n:
            held = [list(column[at:]) for column in run]
    if held:
        yield held


def _insert(conn: sqlite3.Connection, rows: list[Sequence[Any]], nulls: int = 0) -> None:
    """Rows of _ALL in one statement (_insert_statement says what ``nulls`` means)."""
    if rows:
        conn.execute(_insert_statement(len(rows), nulls), list(chain.from_iterable(rows)))


def _insert_new(conn: sqlite3.Connection, cols: Sequence[Sequence[Any]], summary: ImportSummary,
                existing: dict[str, tuple[int, bool]], seen: dict[str, int | None], suppressed: set[str],
                import_id: int | None, now: str, nulls: list[int], inserts: list[list[Any]]) -> bool:
    """A batch of contacts (a column per field) new to the workspace and to this file, none on the ledger, written
    column by column: what _import_each does for such contacts, without Python code run per contact (a first
    import is made of such batches). False, having changed nothing, for any other batch.

    ``nulls``: empty, or the columns (a bit each) the first batch found mostly empty, which every batch binds as
    _NULL then: one statement for them all (preparing one takes milliseconds). ``inserts``, rows _import_each holds
    back, are written first: rows in the file's order."""
    size = len(cols[0])
    emails_lc = list(map(str.lower, cols[0]))
    keys = list(map(contact_key, cols[_PERSON_NO], emails_lc))
    fresh = set(keys)
    if (len(fresh) < len(keys) or not existing.keys().isdisjoint(fresh) or not seen.keys().isdisjoint(fresh)
            or not suppressed.isdisjoint(emails_lc)):
        return False
    statuses = list(map(_STATUS_TEXT.__getitem__, cols[1]))
    flags = list(map(",".join, cols[_FLAGS]))
    words = [cols[i] for i in _SEARCH_AT if any(cols[i])]  # a column nobody filled in adds no word
    search = [" ".join(filter(None, w)).lower() for w in zip(*words, strict=True)] if words else [""] * size
    row: list[Any] = [cols[0], statuses, *cols[2:_SOURCE_LINE], list(map(_EMPTY_AS_NULL.get, flags, flags)), search,
                      emails_lc, [import_id] * size, [now] * size, keys]
    for i in _BOOL_AT:
        row[i] = [1 if v else 0 for v in row[i]]
    if not nulls:  # the first batch tells which columns are mostly empty: worth a pass of their own
        nulls.append(sum(1 << i for i in _NULLABLE_AT if row[i][:_SAMPLE].count(None) * 4 >= _SAMPLE) | 1 << _FLAGS_AT)
    for i in _NULLABLE_AT:
        if i != _FLAGS_AT and nulls[0] >> i & 1:
            row[i] = [_NULL if v is None else v for v in row[i]]
    params: list[Any] = [None] * (size * len(row))
    for i, column in enumerate(row):  # row by row, as the statement binds them (faster than zip and chain)
        params[i::len(row)] = column
    _insert(conn, inserts)
    inserts.clear()
    conn.execute(_insert_statement(size, nulls[0]), params)
    seen.update(zip(keys, cols[_SOURCE_LINE], strict=True))
    # in `existing` only those with an N: for the others, in `seen` alone, _import_each knows they are new (_NEW)
    existing.update(zip(compress(keys, map(_IS_N, statuses)), repeat(_NEW_N), strict=False))
    summary.inserted += size
    return True


def _import_each(conn: sqlite3.Connection, contacts: Iterable[Sequence[Any]], summary: ImportSummary,
                 existing: dict[str, tuple[int, bool]], seen: dict[str, int | None], suppressed: set[str],
                 import_id: int | None, now: str, inserts: list[list[Any]], updates: list[list[Any]],
                 per_statement: int) -> None:
    """Each contact (its fields in Contact's order) inserted (``inserts``, written at ``per_statement`` of them),
    updated (``updates``, executed at _CHUNK of them) or found unchanged."""
    status_n = Status.N
    status_text = _STATUS_TEXT
    search_of = _SEARCH_ITEMS
    existing_of = existing.get
    insert = inserts.append
    for values in contacts:
        email = values[0]
        email_lc = email.lower()
        person_no = values[_PERSON_NO]
        key = contact_key(person_no, email_lc)
        old = existing_of(key)
        if old is None and key in seen:
            old = _NEW  # new in this import, written by _insert_new (which keeps only an N in `existing`)
        status = values[1]
        if status != status_n and ((old is not None and old[1]) or email_lc in suppressed):
            status = status_n
            summary.kept_n += 1
        line = values[_SOURCE_LINE]
        row = values if values.__class__ is list else list(values)  # in place (see _ALL)
        # status as plain text, so that rows hash like the values read back from SQLite (bool == int there)
        row[1] = status_text[status]
        row[_SOURCE_LINE] = ",".join(values[_FLAGS]) or None
        row[_FLAGS] = " ".join(filter(None, search_of(values))).lower()
        for i in _BOOL_AT:  # as SQLite keeps them: sqlite3 binds a bool through its adapter lookup, slowly
            row[i] = 1 if row[i] else 0
        row += (email_lc, import_id, now, key)
        # one int stands in for the stored values (a tuple of 17 strings per contact would not fit
        # a large workspace in memory); only needed where a stored row exists to compare with
        fingerprint = hash(tuple(row[:_COMPARE_END])) if old is not None else 0
        if key in seen:  # the later row wins, as a re-import would; an N stays N (above)
            summary.duplicates += 1
            if len(summary.duplicate_examples) < MAX_DUPLICATE_EXAMPLES:
                summary.duplicate_examples.append((person_no or "", seen[key], line))
        seen[key] = line
        if old is None:
            insert(row)
            summary.inserted += 1
            existing[key] = _NEW_N if status == status_n else _NEW  # shared: no tuple per new contact
            if len(inserts) >= per_statement:
                _insert(conn, inserts)
                inserts.clear()
            continue
        if old[0] == fingerprint:
            summary.unchanged += 1
            continue
        updates.append(row)
        summary.updated += 1
        existing[key] = (fingerprint, status == status_n)
        if len(updates) >= _CHUNK:
            # inserts first: an update may concern a row inserted earlier in this file
            _insert(conn, inserts)
            inserts.clear()
            conn.executemany(_UPDATE, updates)
            updates.clear()


def _presence(conn: sqlite3.Connection, summary: ImportSummary, known: list[str], gone: set[str],
              seen: dict[str, int | None], now: str) -> None:
    """Within the import's transaction: who of the known persons this export missed, and, after a full
    export, who left KUFER (out of the selection from ``now``) and who came back."""
    missing = [(now, key) for key in known if key not in seen and key not in gone]
    summary.missing = len(missing)
    if not summary.full:
        return  # a partial export says nothing about who exists in KUFER
    returned = [(key,) for key in gone if key in seen]
    summary.returned = len(returned)
    conn.executemany("UPDATE contacts SET left_at=? WHERE key=?", missing)
    conn.executemany("UPDATE contacts SET left_at=NULL WHERE key=?", returned)
