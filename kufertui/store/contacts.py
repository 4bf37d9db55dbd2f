"""Contacts in the workspace: filtered queries for the browser and the engine, the changes a run makes, and
the import (store/contact_import.py does it)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from kufertui.core.contact import Contact, Status, contact_key
from kufertui.store.columns import BOOL_COLUMNS, DATA_COLUMNS
from kufertui.store.contact_import import ImportSummary, import_into
from kufertui.store.db import transaction


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


# _contacts_with_id builds Contact positionally from ("email", *DATA_COLUMNS)
assert ("email", *DATA_COLUMNS) == tuple(f.name for f in dataclass_fields(Contact))[:len(DATA_COLUMNS) + 1]
_STATUS_OF = {s.value: s for s in Status}


def _contact_of_row(row: Sequence[Any]) -> tuple[int, Contact]:
    """(id, Contact) of a row of ``ContactStore._columns``. Positional: building a dict per row cost a third of a
    100k-contact pre-flight."""
    contact = Contact(row[1], _STATUS_OF[row[2]], *row[3:-1], flags=str(row[-1]).split(",") if row[-1] else [])
    for name in BOOL_COLUMNS:  # SQLite keeps a bool as 0/1
        setattr(contact, name, bool(getattr(contact, name)))
    return row[0], contact


class ContactStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def import_contacts(self, contacts: Iterable[Contact] = (), *, import_id: int | None = None,
                        suppressed: set[str] | None = None, full: bool = False,
                        columns: Iterable[Sequence[Sequence[Any]]] | None = None) -> ImportSummary:
        """Insert or update in one transaction (store/contact_import.py says how); the summary with the
        counts per status and of those who left KUFER after it."""
        summary, first = import_into(self.conn, contacts, import_id=import_id, suppressed=suppressed, full=full,
                                     columns=columns)
        # after a first import nobody has left KUFER (nobody was known before it): the status index alone counts
        summary.by_status = self._count_all_by_status() if first else self.count_by_status()
        summary.left = self.count_left()
        return summary

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
        if column not in DATA_COLUMNS:
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
            return ",".join(("id", "email", *DATA_COLUMNS, "flags"))
        wanted = {"status", *columns}
        return ",".join(("id", "email", *(c if c in wanted else "NULL" for c in DATA_COLUMNS),
                         "flags" if "flags" in wanted else "NULL"))

    def _rows_by_ids(self, cols: str, ids: Sequence[int]) -> list[list[Any]]:
        """The ``cols`` (id first) of up to 900 contacts by id, in id order, read as one JSON array: a row per
        contact would give up the GIL for every column (Python's sqlite3 does), and a pre-flight thread reading
        100,000 contacts while the upload runs beside it then handed the interpreter back and forth a few million
        times."""
        (text,) = self.conn.execute(
            f"SELECT json_group_array(json_array({cols})) FROM "
            f"(SELECT {cols} FROM contacts WHERE id IN ({','.join('?' * len(ids))}))", list(ids)).fetchone()
        rows: list[list[Any]] = json.loads(text)
        rows.sort(key=itemgetter(0))
        return rows

    def _contacts_by_ids(self, ids: Sequence[int], columns: Collection[str] | None) -> Iterator[tuple[int, Contact]]:
        return map(_contact_of_row, self._rows_by_ids(self._columns(columns), ids))

    def field_rows(self, ids: Iterable[int], fields: Sequence[str]) -> Iterator[list[Any]]:
        """``[id, e-mail, status, KUFER number, *fields]`` per contact, in id order (ids of deleted contacts are
        passed over): for a pass over many contacts that needs a few of their fields and no Contact object
        (the pre-flight; building a Contact per row was a quarter of its time). A bool field is a bool."""
        for chunk in self.field_row_chunks(ids, fields):
            yield from chunk

    def field_row_chunks(self, ids: Iterable[int], fields: Sequence[str]) -> Iterator[list[list[Any]]]:
        """``field_rows`` in chunks of up to 900 contacts (one query each)."""
        unknown = [f for f in fields if f not in DATA_COLUMNS]
        if unknown:
            raise ValueError(f"unknown contact column: {unknown[0]}")
        cols = ",".join(("id", "email", "status", "person_no", *fields))
        bools = [i for i, f in enumerate(fields, start=4) if f in BOOL_COLUMNS]  # SQLite keeps a bool as 0/1
        id_list = sorted(set(ids))
        for start in range(0, len(id_list), 900):
            rows = self._rows_by_ids(cols, id_list[start:start + 900])
            for row in rows:
                for i in bools:
                    row[i] = bool(row[i])
            yield rows

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
                    (Status.N.value, n_source, now, contact_key(number, "")))
                changed += cur.rowcount
        return changed

    def restore_status(self, person_no: str, status: str) -> int:
        """A recorded re-consent: the N contact with this KUFER number takes ``status`` (J or K) again."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with transaction(self.conn):
            cur = self.conn.execute("UPDATE contacts SET status=?, n_source=NULL, updated_at=? WHERE key=? "
                                    "AND status=?", (status, now, contact_key(person_no, ""), Status.N.value))
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
