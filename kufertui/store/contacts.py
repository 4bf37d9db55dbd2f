"""Contacts in the workspace: idempotent import, filtered queries for the browser and the engine."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from kufertui.core.contact import CONTACT_COLUMNS, CONTACT_FIELDS, Contact, Status, contact_key
from kufertui.core.fields import FIELDS_BY_ID
from kufertui.store.bulk import RowWriter, larger_cache
from kufertui.store.db import transaction

_DATA_COLUMNS = tuple(c for c in CONTACT_COLUMNS if c != "email")
_CHUNK = 5000
MAX_DUPLICATE_EXAMPLES = 10


@dataclass(slots=True)
class ContactFilter:
    """What the contact browser and `sync --status` select. Empty means everything."""

    statuses: frozenset[str] = frozenset()
    department: str | None = None
    dozent: bool | None = None
    search: str = ""

    def where(self) -> tuple[str, list[object]]:
        # persons who left KUFER (missing from a full export) are in no selection, count or browser row
        clauses: list[str] = ["left_at IS NULL"]
        params: list[object] = []
        if self.statuses:
            clauses.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params.extend(sorted(self.statuses))
        if self.department:
            clauses.append("(',' || replace(departments, ', ', ',') || ',') LIKE ?")
            params.append(f"%,{self.department},%")
        if self.dozent is not None:
            clauses.append("is_dozent = ?")
            params.append(1 if self.dozent else 0)
        for word in self.search.lower().split():
            clauses.append("search LIKE ? ESCAPE '\\'")
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        return " WHERE " + " AND ".join(clauses), params

    def to_json(self) -> dict[str, object]:
        return {"statuses": sorted(self.statuses), "department": self.department, "dozent": self.dozent,
                "search": self.search}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ContactFilter:
        dozent = data.get("dozent")
        return cls(frozenset(str(s) for s in data.get("statuses") or ()),  # type: ignore[union-attr]
                   data.get("department") or None,  # type: ignore[arg-type]
                   dozent if isinstance(dozent, bool) else None, str(data.get("search") or ""))


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


@dataclass(slots=True, frozen=True)
class Leaver:
    """A person a full KUFER export no longer had, with what the journal knows about Maileon."""

    key: str
    person_no: str | None
    email: str
    status: str
    left_at: str  # when the first full export without them was imported (UTC, ISO)
    last_sent_run: int | None  # newest sync run that sent them under their KUFER number (None: never)
    removed_run: int | None  # newest removal run that deleted them or found them gone from Maileon

    @property
    def sent(self) -> bool:
        return self.last_sent_run is not None

    @property
    def in_maileon(self) -> bool:
        """Sent under their KUFER number and not removed since (as far as the journal knows)."""
        return self.last_sent_run is not None and (self.removed_run is None or self.removed_run < self.last_sent_run)


assert _DATA_COLUMNS[0] == "status"
# _contacts_with_id builds Contact positionally from ("email", *_DATA_COLUMNS)
assert ("email", *_DATA_COLUMNS) == tuple(f.name for f in dataclass_fields(Contact))[:len(_DATA_COLUMNS) + 1]
_BOOL_COLUMNS = tuple(name for name in _DATA_COLUMNS if name in FIELDS_BY_ID and FIELDS_BY_ID[name].kind == "bool")
# the import takes a contact as its fields in Contact's order (CONTACT_FIELDS): where it finds what
_VALUES_OF = attrgetter(*CONTACT_FIELDS)
_PERSON_NO, _SOURCE_LINE, _FLAGS = (CONTACT_FIELDS.index(f) for f in ("person_no", "source_line", "flags"))
assert CONTACT_FIELDS[:2] == ("email", "status") and CONTACT_FIELDS[2:_SOURCE_LINE] == _DATA_COLUMNS[1:]
# the words the browser's search finds a contact by (the workspace's search column)
_SEARCH_ITEMS = itemgetter(*(CONTACT_FIELDS.index(f)
                             for f in ("first_name", "last_name", "email", "person_no", "organization", "city")))


_STATUS_OF = {s.value: s for s in Status}


def _contact_of_row(row: Sequence[Any]) -> tuple[int, Contact]:
    """(id, Contact) of a row of ``ContactStore._columns``. Positional: building a dict per row cost a third of a
    100k-contact pre-flight."""
    contact = Contact(row[1], _STATUS_OF[row[2]], *row[3:-1], flags=str(row[-1]).split(",") if row[-1] else [])
    for name in _BOOL_COLUMNS:  # SQLite keeps a bool as 0/1
        setattr(contact, name, bool(getattr(contact, name)))
    return row[0], contact


_STATUS_TEXT = {s: s.value for s in Status}


_NEW, _NEW_N = (0, False), (0, True)  # (fingerprint, is N) of a contact new in this import (fingerprint 0)
# A row the import writes: the contact's fields as they come (CONTACT_FIELDS up to source_line) with flags and
# search in the places of source_line and flags, then the columns the workspace adds; the key last, for the
# UPDATE's WHERE. So a contact's list of fields becomes its row in place.
_ALL = ("email", *_DATA_COLUMNS, "flags", "search", "email_lc", "import_id", "updated_at", "key")
_UPDATE = (f"UPDATE contacts SET {','.join(c + '=?' for c in _ALL[:-1])} WHERE key=?")
_COMPARE = ("email", *_DATA_COLUMNS, "flags")
_COMPARE_END = len(_COMPARE)  # the compared values begin a row
_BOOL_AT = tuple(_ALL.index(name) for name in _BOOL_COLUMNS)
assert _ALL[:_COMPARE_END] == _COMPARE and _COMPARE_END == _SOURCE_LINE + 1
_SECONDARY_INDEXES = {
    "contacts_status": "CREATE INDEX contacts_status ON contacts (status, id)",
    "contacts_email": "CREATE INDEX contacts_email ON contacts (email_lc)",
}


@lru_cache(maxsize=4)
def _insert_statement(rows: int) -> str:
    return f"INSERT INTO contacts ({','.join(_ALL)}) VALUES " + ",".join([f"({','.join('?' * len(_ALL))})"] * rows)


class ContactStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def import_contacts(self, contacts: Iterable[Contact] = (), *, import_id: int | None = None,
                        suppressed: set[str] | None = None, full: bool = False,
                        rows: Iterable[Sequence[Any]] | None = None) -> ImportSummary:
        """Insert or update in one transaction. Idempotent by Contact.key; an N is never lifted.

        ``rows``, instead of ``contacts``: each contact as the sequence of its fields in Contact's order
        (core/contact.py, CONTACT_FIELDS; KuferFile.values gives them), without an object per row. A list among
        them becomes the row written, in place: hand over lists nobody reads afterwards.

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
        status_at = 2 + _DATA_COLUMNS.index("status")
        for row in self.conn.execute(f"SELECT {cols} FROM contacts"):
            existing[row[0]] = (hash(row[1:-1]), row[status_at] == Status.N)
            if row[-1]:
                gone.add(row[0])
        known = list(existing)  # the persons before this import (`existing` takes the new ones too)
        bulk = not existing  # a first import: build the secondary indexes once at the end
        now = datetime.now(UTC).isoformat(timespec="seconds")
        seen: dict[str, int | None] = {}  # key → line of its latest row in this file
        with larger_cache(self.conn), transaction(self.conn):
            if bulk:
                for name in _SECONDARY_INDEXES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            writer = RowWriter(self.conn, _insert_statement, len(_ALL))
            try:
                self._import_rows(map(_VALUES_OF, contacts) if rows is None else rows, summary, existing, seen,
                                  suppressed, import_id, now, writer)
            except BaseException:
                writer.close(raise_error=False)  # stopped before the ROLLBACK; the first error goes on
                raise
            writer.close()  # every insert written (or its error raised) before the COMMIT
            self._presence(summary, known, gone, seen, now)
            if bulk:
                for sql in _SECONDARY_INDEXES.values():
                    self.conn.execute(sql)
        # after a first import nobody has left KUFER (nobody was known before it): the status index alone counts
        summary.by_status = self._count_all_by_status() if bulk else self.count_by_status()
        summary.left = self.count_left()
        return summary

    def _import_rows(self, contacts: Iterable[Sequence[Any]], summary: ImportSummary,
                     existing: dict[str, tuple[int, bool]], seen: dict[str, int | None], suppressed: set[str],
                     import_id: int | None, now: str, writer: RowWriter) -> None:
        """The import's loop: each contact (its fields in Contact's order) inserted (by ``writer``), updated or
        found unchanged."""
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        status_n = Status.N
        status_text = _STATUS_TEXT
        search_of = _SEARCH_ITEMS
        existing_of = existing.get
        insert = inserts.append
        per_statement = writer.rows_per_statement
        for values in contacts:
            email = values[0]
            email_lc = email.lower()
            person_no = values[_PERSON_NO]
            key = contact_key(person_no, email_lc)
            old = existing_of(key)
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
                    writer.insert(inserts)
                    inserts = []
                    insert = inserts.append
                continue
            if old[0] == fingerprint:
                summary.unchanged += 1
                continue
            updates.append(row)
            summary.updated += 1
            existing[key] = (fingerprint, status == status_n)
            if len(updates) >= _CHUNK:
                # inserts first: an update may concern a row inserted earlier in this file
                writer.insert(inserts)
                inserts = []
                insert = inserts.append
                writer.wait()
                self.conn.executemany(_UPDATE, updates)
                updates.clear()
        writer.insert(inserts)
        writer.wait()
        self.conn.executemany(_UPDATE, updates)

    def _presence(self, summary: ImportSummary, known: list[str], gone: set[str], seen: dict[str, int | None],
                  now: str) -> None:
        """Within the import's transaction: who of the known persons this export missed, and, after a full
        export, who left KUFER (out of the selection from ``now``) and who came back."""
        missing = [(now, key) for key in known if key not in seen and key not in gone]
        summary.missing = len(missing)
        if not summary.full:
            return  # a partial export says nothing about who exists in KUFER
        returned = [(key,) for key in gone if key in seen]
        summary.returned = len(returned)
        self.conn.executemany("UPDATE contacts SET left_at=? WHERE key=?", missing)
        self.conn.executemany("UPDATE contacts SET left_at=NULL WHERE key=?", returned)

    # --- queries -------------------------------------------------------------------------------
    def count_by_status(self, flt: ContactFilter | None = None) -> dict[str, int]:
        """Counts per status under the filter's other criteria (the status chips show these)."""
        base = ContactFilter(frozenset(), flt.department, flt.dozent, flt.search) if flt else ContactFilter()
        where, params = base.where()
        counts = {s.value: 0 for s in Status}
        for status, n in self.conn.execute(f"SELECT status, COUNT(*) FROM contacts{where} GROUP BY status",
                                           params):
            counts[status] = n
        return counts

    def _count_all_by_status(self) -> dict[str, int]:
        """Counts per status of every contact, those who left KUFER too (from the index, without the rows)."""
        counts = {s.value: 0 for s in Status}
        for status, n in self.conn.execute("SELECT status, COUNT(*) FROM contacts GROUP BY status"):
            counts[status] = n
        return counts

    def count(self, flt: ContactFilter) -> int:
        where, params = flt.where()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM contacts{where}", params).fetchone()[0])

    def count_any(self, filters: Sequence[ContactFilter]) -> int:
        """Contacts matching at least one of ``filters``, each counted once (0 for no filter at all)."""
        clauses: list[str] = []
        params: list[object] = []
        for flt in filters:
            where, more = flt.where()
            if not where:
                return self.count(flt)  # one filter selects everybody
            clauses.append(f"({where.removeprefix(' WHERE ')})")
            params.extend(more)
        if not clauses:
            return 0
        return int(self.conn.execute(f"SELECT COUNT(*) FROM contacts WHERE {' OR '.join(clauses)}",
                                     params).fetchone()[0])

    def page(self, flt: ContactFilter, offset: int, limit: int,
             columns: tuple[str, ...] = ("id", "status", "last_name", "first_name", "email", "departments",
                                         "is_dozent")) -> list[tuple[object, ...]]:
        where, params = flt.where()
        sql = f"SELECT {','.join(columns)} FROM contacts{where} ORDER BY id LIMIT ? OFFSET ?"
        return self.conn.execute(sql, [*params, limit, offset]).fetchall()

    def ids(self, flt: ContactFilter) -> list[int]:
        where, params = flt.where()
        return [r[0] for r in self.conn.execute(f"SELECT id FROM contacts{where} ORDER BY id", params)]

    def departments(self) -> list[str]:
        seen: set[str] = set()
        for (value,) in self.conn.execute("SELECT DISTINCT departments FROM contacts WHERE departments != ''"):
            seen.update(part.strip() for part in str(value).split(",") if part.strip())
        return sorted(seen)

    def value_counts(self, column: str, limit: int = 200) -> list[tuple[str, int]]:
        """The distinct non-empty values of one data column with their counts (the value-map editor)."""
        if column not in _DATA_COLUMNS:
            raise ValueError(f"unknown contact column: {column}")
        sql = (f"SELECT {column}, COUNT(*) FROM contacts WHERE {column} IS NOT NULL AND {column} != '' "
               f"GROUP BY {column} ORDER BY COUNT(*) DESC LIMIT ?")
        return [(str(v), int(n)) for v, n in self.conn.execute(sql, [limit])]

    def get(self, contact_id: int) -> Contact | None:
        rows = list(self._contacts("WHERE id = ?", [contact_id]))
        return rows[0] if rows else None

    def iter_contacts(self, flt: ContactFilter | None = None, ids: Iterable[int] | None = None, *,
                      columns: Collection[str] | None = None) -> Iterator[tuple[int, Contact]]:
        """(id, Contact) in id order, by filter or by explicit ids. With ``columns``, only those fields (and
        the e-mail and status) are read, the others left empty: for a pass over many contacts that needs a
        few of their fields (the pre-flight reads a third of them)."""
        if ids is not None:
            id_list = sorted(set(ids))
            for start in range(0, len(id_list), 900):
                yield from self._contacts_by_ids(id_list[start:start + 900], columns)
            return
        # no filter: every contact, also those who left KUFER (a resumed run finds its batches' members)
        where, params = flt.where() if flt is not None else ("", [])
        yield from self._contacts_with_id(where, params, columns)

    def _contacts(self, where: str, params: list[object]) -> Iterator[Contact]:
        for _id, contact in self._contacts_with_id(where, params):
            yield contact

    @staticmethod
    def _columns(columns: Collection[str] | None) -> str:
        """The SELECT list of a contact row: id, then Contact's fields in their order (checked at import of this
        module), flags last. A column not asked for is read as NULL: the row keeps its shape."""
        if columns is None:
            return ",".join(("id", "email", *_DATA_COLUMNS, "flags"))
        wanted = {"status", *columns}
        return ",".join(("id", "email", *(c if c in wanted else "NULL" for c in _DATA_COLUMNS),
                         "flags" if "flags" in wanted else "NULL"))

    def _contacts_by_ids(self, ids: Sequence[int], columns: Collection[str] | None) -> Iterator[tuple[int, Contact]]:
        """Up to 900 contacts by id, read as one JSON array: a row per contact would give up the GIL for every
        column (Python's sqlite3 does), and a pre-flight thread reading 100,000 contacts while the upload runs
        beside it then handed the interpreter back and forth a few million times."""
        cols = self._columns(columns)
        (text,) = self.conn.execute(
            f"SELECT json_group_array(json_array({cols})) FROM "
            f"(SELECT {cols} FROM contacts WHERE id IN ({','.join('?' * len(ids))}))", list(ids)).fetchone()
        rows = json.loads(text)
        rows.sort(key=itemgetter(0))
        return map(_contact_of_row, rows)

    def _contacts_with_id(self, where: str, params: list[object],
                          columns: Collection[str] | None = None) -> Iterator[tuple[int, Contact]]:
        sql = f"SELECT {self._columns(columns)} FROM contacts {where} ORDER BY id"
        return map(_contact_of_row, self.conn.execute(sql, params))

    def set_status_n(self, emails_lc: Iterable[str], n_source: str) -> int:
        """Mark every contact with one of these e-mails N; returns how many changed."""
        changed = 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.conn):
            for email in emails_lc:
                cur = self.conn.execute(
                    "UPDATE contacts SET status=?1, n_source=?2, updated_at=?3 WHERE email_lc=?4 AND status!=?1",
                    (Status.N.value, n_source, now, email))
                changed += cur.rowcount
        return changed

    def person_no_of(self, email: str) -> str | None:
        """The KUFER number of the contact with this e-mail; None when there is none or several differ."""
        rows = self.conn.execute("SELECT DISTINCT person_no FROM contacts WHERE email_lc=? AND person_no<>''",
                                 (email.lower(),)).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def emails_by_person_no(self, person_nos: Iterable[str]) -> dict[str, list[str]]:
        """KUFER number → e-mails of the workspace contacts carrying it (our external id in Maileon)."""
        wanted = sorted({p for p in person_nos if p})
        out: dict[str, list[str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                f"SELECT person_no, email FROM contacts WHERE person_no IN ({','.join('?' * len(chunk))}) "
                "ORDER BY id", chunk)
            for person_no, email in rows:
                out.setdefault(person_no, []).append(email)
        return out

    # --- people who left KUFER ----------------------------------------------------------------------
    def count_left(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM contacts WHERE left_at IS NOT NULL").fetchone()[0])

    def left_keys(self) -> dict[int, str]:
        """Id → key of every person who left KUFER (what a resumed run must no longer send)."""
        return {int(i): str(k) for i, k in self.conn.execute("SELECT id, key FROM contacts WHERE left_at IS NOT NULL")}

    def leavers(self) -> list[Leaver]:
        """Every person who left KUFER, oldest departure first, with the journal's word on Maileon: the
        newest sync run that sent them under their KUFER number (contact key ``tnr:<no>``, outcome sent) and
        the newest removal run that deleted them or found them gone."""
        rows = self.conn.execute(
            "WITH gone AS (SELECT key FROM contacts WHERE left_at IS NOT NULL), "
            "sent AS (SELECT rc.contact_key AS key, MAX(rc.run_id) AS run FROM run_contacts rc "
            "  JOIN runs r ON r.id = rc.run_id WHERE r.kind = 'sync' AND rc.outcome = 'sent' "
            "  AND rc.contact_key IN (SELECT key FROM gone) GROUP BY rc.contact_key), "
            "removed AS (SELECT rc.contact_key AS key, MAX(rc.run_id) AS run FROM run_contacts rc "
            "  JOIN runs r ON r.id = rc.run_id WHERE r.kind = 'leavers' "
            "  AND rc.outcome IN ('deleted', 'not-in-maileon') "
            "  AND rc.contact_key IN (SELECT key FROM gone) GROUP BY rc.contact_key) "
            "SELECT c.key, c.person_no, c.email, c.status, c.left_at, sent.run, removed.run FROM contacts c "
            "LEFT JOIN sent ON sent.key = c.key LEFT JOIN removed ON removed.key = c.key "
            "WHERE c.left_at IS NOT NULL ORDER BY c.left_at, c.id").fetchall()
        return [Leaver(str(r[0]), r[1] or None, str(r[2]), str(r[3] or ""), str(r[4]), r[5], r[6]) for r in rows]

    def set_status_n_by_person_no(self, person_nos: Iterable[str], n_source: str) -> int:
        """Mark every contact with one of these KUFER numbers N, whatever its address (a person opted out)."""
        changed = 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.conn):
            for number in {p for p in person_nos if p}:
                cur = self.conn.execute(  # the key of a contact with a number (unique index)
                    "UPDATE contacts SET status=?1, n_source=?2, updated_at=?3 WHERE key=?4 AND status!=?1",
                    (Status.N.value, n_source, now, f"tnr:{number}"))
                changed += cur.rowcount
        return changed

    def restore_status(self, person_no: str, status: str) -> int:
        """A recorded re-consent: the N contact with this KUFER number takes ``status`` (J or K) again."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.conn):
            cur = self.conn.execute("UPDATE contacts SET status=?, n_source=NULL, updated_at=? WHERE key=? "
                                    "AND status=?", (status, now, f"tnr:{person_no}", Status.N.value))
        return cur.rowcount

    def n_contacts_from_kufer(self) -> list[tuple[str, str, str | None]]:
        """(email_lc, email, person_no) of N contacts whose N did not come from Maileon and whose address
        is not on the suppression ledger yet (every run asks; after the first, few or none are left)."""
        return self.conn.execute(
            "SELECT email_lc, email, person_no FROM contacts c WHERE status=? "
            "AND COALESCE(n_source, 'kufer') = 'kufer' "
            "AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.email_lc = c.email_lc) ORDER BY id",
            (Status.N.value,)).fetchall()


def filter_json(flt: ContactFilter) -> str:
    return json.dumps(flt.to_json(), ensure_ascii=False)
