"""The run journal (who ran what, with which result, per contact) and upload checkpoints."""

from __future__ import annotations

import getpass
import json
import socket
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any, NamedTuple

from kufertui.store.bulk import rows_per_statement
from kufertui.store.db import transaction


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"


@dataclass(slots=True)
class RunRecord:
    id: int
    kind: str
    state: str
    started_at: str
    finished_at: str | None
    os_user: str
    selection: dict[str, Any]
    fields: dict[str, Any]
    options: dict[str, Any]
    counts: dict[str, Any]
    report_line: str | None
    error: dict[str, Any] | None


class ContactOutcome(NamedTuple):
    """One contact's outcome in a run. A tuple: a run reads back and writes a row per contact (100,000 of them),
    and a tuple is built without Python code and is skipped by the garbage collector."""

    contact_key: str
    email: str
    status: str
    outcome: str  # planned, new, updated, invalid, rejected, unsubscribed, suppressed, ...
    batch_no: int | None = None
    code: str | None = None
    detail: str | None = None


_OUTCOME_COLUMNS = "(run_id, contact_key, email, status, batch_no, outcome, code, detail)"
_OUTCOME_CONFLICT = (
    " ON CONFLICT (run_id, contact_key) DO UPDATE SET outcome=excluded.outcome, code=excluded.code, "
    "detail=excluded.detail, batch_no=COALESCE(excluded.batch_no, run_contacts.batch_no)")
RESUMABLE_STATES = ("running", "aborted")
_as_outcome = partial(tuple.__new__, ContactOutcome)  # a row in field order → ContactOutcome, in C


def _outcome_rows(run_id: int, outcomes: Iterable[ContactOutcome]) -> list[tuple[Any, ...]]:
    return [(run_id, o.contact_key, o.email, o.status, o.batch_no, o.outcome, o.code, o.detail) for o in outcomes]


def _upsert_outcomes(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert or update outcome rows with one multi-row statement (a few for more rows than SQLite binds at once).

    Why: ``executemany`` gives up the GIL for every row; while the pre-flight thread is busy, each
    row then waited for the GIL again, which made journaling a batch cost tens of milliseconds.
    """
    per_statement = rows_per_statement(conn, 8)
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        values = ",".join(["(?,?,?,?,?,?,?,?)"] * len(chunk))
        conn.execute(f"INSERT INTO run_contacts {_OUTCOME_COLUMNS} VALUES {values}{_OUTCOME_CONFLICT}",
                     [v for row in chunk for v in row])


@lru_cache(maxsize=8)
def _planned_statement(rows: int) -> str:
    """``rows`` members planned in one statement, each (run id, key, e-mail, status, batch number): the same
    row ``_upsert_outcomes`` would write. Plain ``?``: with numbered ones (?1 for the run id in every row)
    Python's sqlite3 looks every parameter's name up in a list as long as the statement."""
    values = ",".join(["(?,?,?,?,?,'planned',NULL,NULL)"] * rows)
    return f"INSERT INTO run_contacts {_OUTCOME_COLUMNS} VALUES {values}{_OUTCOME_CONFLICT}"


def _insert_planned(conn: sqlite3.Connection, run_id: int, batch_no: int,
                    members: Sequence[tuple[str, str, str]]) -> None:
    per_statement = rows_per_statement(conn, 5, most=1000)  # a batch (1000 at most) in one statement
    for start in range(0, len(members), per_statement):
        chunk = members[start:start + per_statement]
        conn.execute(_planned_statement(len(chunk)),
                     [v for key, email, status in chunk for v in (run_id, key, email, status, batch_no)])


class Journal:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- runs ----------------------------------------------------------------------------------
    def start_run(self, kind: str, *, selection: dict[str, Any], fields: dict[str, Any],
                  options: dict[str, Any]) -> int:
        with transaction(self.conn):
            cur = self.conn.execute(
                "INSERT INTO runs (kind, state, started_at, os_user, host, selection, fields, options) "
                "VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
                (kind, _now(), _os_user(), socket.gethostname(), json.dumps(selection, ensure_ascii=False),
                 json.dumps(fields, ensure_ascii=False), json.dumps(options, ensure_ascii=False)))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, state: str, *, counts: dict[str, Any] | None = None,
                   report_line: str | None = None, error: dict[str, Any] | None = None) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE runs SET state=?, finished_at=?, counts=COALESCE(?, counts), "
                "report_line=COALESCE(?, report_line), error=? WHERE id=?",
                (state, _now(), json.dumps(counts) if counts is not None else None, report_line,
                 json.dumps(error) if error else None, run_id))

    def set_state(self, run_id: int, state: str) -> None:
        with transaction(self.conn):
            self.conn.execute("UPDATE runs SET state=? WHERE id=?", (state, run_id))

    def mark_planned(self, run_id: int) -> None:
        """Every selected contact of the run has an outcome or a batch: a resume plans nothing new."""
        with transaction(self.conn):
            self.conn.execute("UPDATE runs SET options=json_set(COALESCE(options, '{}'), '$.planned', json('true')) "
                              "WHERE id=?", (run_id,))

    def run(self, run_id: int) -> RunRecord | None:
        row = self.conn.execute(
            "SELECT id, kind, state, started_at, finished_at, os_user, selection, fields, options, counts, "
            "report_line, error FROM runs WHERE id=?", (run_id,)).fetchone()
        return _record(row) if row else None

    def runs(self, limit: int = 200) -> list[RunRecord]:
        rows = self.conn.execute(
            "SELECT id, kind, state, started_at, finished_at, os_user, selection, fields, options, counts, "
            "report_line, error FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_record(r) for r in rows]

    def latest_transfer(self) -> RunRecord | None:
        """The newest sync or dry run (what Results opens on); pull-only runs have no report line to show."""
        row = self.conn.execute(
            "SELECT id, kind, state, started_at, finished_at, os_user, selection, fields, options, counts, "
            "report_line, error FROM runs WHERE kind IN ('sync', 'dry-run') ORDER BY id DESC LIMIT 1").fetchone()
        return _record(row) if row else None

    def resumable_run(self) -> RunRecord | None:
        """The newest sync run, if it stopped before it finished. An older unfinished run is never
        offered: a later run replaced its selection in Maileon (ImportAPI), resuming it would undo that."""
        row = self.conn.execute("SELECT id, state FROM runs WHERE kind='sync' ORDER BY id DESC LIMIT 1").fetchone()
        return self.run(row[0]) if row and row[1] in RESUMABLE_STATES else None

    def latest_upload_run(self) -> RunRecord | None:
        """The newest sync run that got as far as planning a batch: its field step cleared the import marks of
        every run before it, so Maileon's marks are its own (a run that sent nothing left them as they were)."""
        row = self.conn.execute("SELECT MAX(b.run_id) FROM batches b JOIN runs r ON r.id = b.run_id "
                                "WHERE r.kind = 'sync'").fetchone()
        return self.run(row[0]) if row and row[0] is not None else None

    def supersede_unfinished(self, before_run_id: int) -> None:
        """A new sync run replaces every older one that never finished: none of them can be resumed."""
        placeholders = ",".join("?" * len(RESUMABLE_STATES))
        with transaction(self.conn):
            self.conn.execute(f"UPDATE runs SET state='superseded', finished_at=COALESCE(finished_at, ?) "
                              f"WHERE kind='sync' AND id<? AND state IN ({placeholders})",
                              (_now(), before_run_id, *RESUMABLE_STATES))

    # --- what a run did before an interruption (a resume continues it) -------------------------
    def save_selection(self, run_id: int, ids: Sequence[int]) -> None:
        """The contact ids a run selected at its start, as ranges (ids mostly run in sequence)."""
        ranges: list[list[int]] = []
        for i in ids:
            if ranges and i == ranges[-1][1] + 1:
                ranges[-1][1] = i
            else:
                ranges.append([i, i])
        with transaction(self.conn):
            self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                              "value=excluded.value", (_selection_key(run_id), json.dumps(ranges)))

    def selection_ids(self, run_id: int) -> list[int] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (_selection_key(run_id),)).fetchone()
        if row is None:
            return None
        return [i for start, end in json.loads(row[0]) for i in range(start, end + 1)]

    def record_step(self, run_id: int, step: str, figures: dict[str, Any]) -> None:
        """A step's figures so far (pull, write-back, objection push), kept in the run's options."""
        with transaction(self.conn):
            self.conn.execute("UPDATE runs SET options=json_set(COALESCE(options, '{}'), ?, json(?)) WHERE id=?",
                              (f"$.steps.{step}", json.dumps(figures), run_id))

    def steps(self, run_id: int) -> dict[str, dict[str, Any]]:
        record = self.run(run_id)
        return dict((record.options or {}).get("steps") or {}) if record else {}

    # --- per-contact outcomes ------------------------------------------------------------------
    def reset_outcomes(self, run_id: int) -> None:
        """Forget a run's per-contact outcomes (before planning it again from its selection)."""
        with transaction(self.conn):
            self.conn.execute("DELETE FROM run_contacts WHERE run_id=?", (run_id,))

    def outcomes(self, run_id: int, outcome: str | None = None) -> list[ContactOutcome]:
        sql = ("SELECT contact_key, email, COALESCE(status, ''), outcome, batch_no, code, detail FROM run_contacts "
               "WHERE run_id=?")
        params: list[object] = [run_id]
        if outcome:
            sql += " AND outcome=?"
            params.append(outcome)
        return list(map(_as_outcome, self.conn.execute(sql + " ORDER BY rowid", params)))

    def sent_addresses(self, run_id: int) -> list[tuple[str, str]]:
        """(contact key, e-mail) of every contact the run sent: what the marks check needs of 100,000 outcomes,
        without building them (a fifth of a second there)."""
        return self.conn.execute("SELECT contact_key, email FROM run_contacts WHERE run_id=? AND outcome='sent'",
                                 (run_id,)).fetchall()

    def outcome_counts(self, run_id: int) -> dict[str, int]:
        return {k: v for k, v in self.conn.execute(
            "SELECT outcome, COUNT(*) FROM run_contacts WHERE run_id=? GROUP BY outcome", (run_id,))}

    def outcome_code_counts(self, run_id: int) -> dict[tuple[str, str | None], int]:
        """Contacts per (outcome, reason code): the report's figures in one pass over the run's outcomes."""
        return {(outcome, code): n for outcome, code, n in self.conn.execute(
            "SELECT outcome, code, COUNT(*) FROM run_contacts WHERE run_id=? GROUP BY outcome, code", (run_id,))}

    def batch_contacts(self, run_id: int, batch_no: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT contact_key FROM run_contacts WHERE run_id=? AND batch_no=? ORDER BY rowid",
            (run_id, batch_no))]

    # --- checkpoints ---------------------------------------------------------------------------
    def record_outcomes(self, run_id: int, outcomes: Iterable[ContactOutcome]) -> None:
        with transaction(self.conn):
            _upsert_outcomes(self.conn, _outcome_rows(run_id, outcomes))

    def plan_batch(self, run_id: int, batch_no: int, permission: int, members: Sequence[tuple[str, str, str]],
                   held_back: Iterable[ContactOutcome] = ()) -> None:
        """A newly planned batch, its members as (key, e-mail, status), and the contacts held back since
        the previous batch: all land together, or not at all."""
        held = _outcome_rows(run_id, held_back)
        with transaction(self.conn):
            self.conn.execute("INSERT OR IGNORE INTO batches (run_id, batch_no, state, size, permission) "
                              "VALUES (?, ?, 'pending', ?, ?)", (run_id, batch_no, len(members), permission))
            _upsert_outcomes(self.conn, held)  # before the members: as one statement would write them
            _insert_planned(self.conn, run_id, batch_no, members)  # one statement for the batch's members

    def batch_sent(self, run_id: int, batch_no: int, report: dict[str, Any],
                   rejected: Iterable[ContactOutcome] = (), moves: Iterable[tuple[str, str]] = ()) -> None:
        """Checkpoint of a confirmed batch: its planned contacts count as sent, except ``rejected``
        (Maileon's invalid contacts). ``moves``: (key, e-mail) of rejects whose address changed in KUFER, to
        be moved after the upload (pending until done). Report, outcomes and moves land together, or not at
        all. One UPDATE for the sent ones: a row per contact made the checkpoint a fifth of the client's CPU."""
        rows = [(o.outcome, o.code, o.detail, run_id, o.contact_key) for o in rejected]
        with transaction(self.conn):
            self.conn.executemany("INSERT OR IGNORE INTO moves (run_id, contact_key, batch_no, email, state) "
                                  "VALUES (?, ?, ?, ?, 'pending')",
                                  [(run_id, key, batch_no, email) for key, email in moves])
            self.conn.execute("UPDATE batches SET state='done', report=? WHERE run_id=? AND batch_no=?",
                              (json.dumps(report), run_id, batch_no))
            self.conn.execute("UPDATE run_contacts SET outcome='sent', code=NULL, detail=NULL "
                              "WHERE run_id=? AND batch_no=? AND outcome='planned'", (run_id, batch_no))
            self.conn.executemany("UPDATE run_contacts SET outcome=?, code=?, detail=? "
                                  "WHERE run_id=? AND contact_key=?", rows)

    # --- e-mail moves (code-4 rejects of a changed address), journaled with their batch ------------
    def pending_moves(self, run_id: int) -> list[tuple[int, str, str]]:
        """(batch no, contact key, e-mail) of the run's moves not yet done, in the order they were journaled."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT batch_no, contact_key, email FROM moves WHERE run_id=? AND state='pending' ORDER BY rowid",
            (run_id,))]

    def move_states(self, run_id: int) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT contact_key, state FROM moves WHERE run_id=?", (run_id,))}

    def finish_move(self, run_id: int, contact_key: str, state: str,
                    outcomes: Iterable[ContactOutcome] = ()) -> None:
        """A move's end (moved, conflict, left as the reject it was) with the contact's new outcome, together."""
        with transaction(self.conn):
            self.conn.execute("UPDATE moves SET state=? WHERE run_id=? AND contact_key=?", (state, run_id, contact_key))
            _upsert_outcomes(self.conn, _outcome_rows(run_id, outcomes))

    # --- what earlier runs sent ------------------------------------------------------------------
    def sent_emails(self, contact_keys: Iterable[str], *, except_run: int | None = None) -> dict[str, set[str]]:
        """Contact key → lower-cased addresses a run (other than ``except_run``) sent it under: the person's
        addresses we know. One pass over the journal per 500 keys (no index by key: it would cost every
        upload's journaling a half more, for look-ups a few times a day)."""
        wanted = sorted(set(contact_keys))
        out: dict[str, set[str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for key, email in self.conn.execute(
                    f"SELECT DISTINCT contact_key, lower(email) FROM run_contacts WHERE outcome='sent' "
                    f"AND run_id<>? AND contact_key IN ({','.join('?' * len(chunk))})",
                    [-1 if except_run is None else except_run, *chunk]):
                out.setdefault(key, set()).add(email)
        return out

    def earlier_emails(self, contact_key: str, run_id: int) -> set[str]:
        """Lower-cased addresses this contact was sent under by runs other than ``run_id``."""
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT lower(email) FROM run_contacts WHERE contact_key=? AND run_id<>? AND outcome='sent'",
            (contact_key, run_id))}

    def revise_batch(self, run_id: int, batch_no: int, changes: dict[str, int],
                     outcomes: Iterable[ContactOutcome], *, move_done: str | None = None) -> None:
        """Amend a confirmed batch after a follow-up call (an e-mail moved): add ``changes`` to its report
        figures and store the contacts' new outcomes (and the move of ``move_done`` as moved), together."""
        with transaction(self.conn):
            if move_done is not None:
                self.conn.execute("UPDATE moves SET state='moved' WHERE run_id=? AND contact_key=?",
                                  (run_id, move_done))
            row = self.conn.execute("SELECT report FROM batches WHERE run_id=? AND batch_no=?",
                                    (run_id, batch_no)).fetchone()
            report = json.loads(row[0]) if row and row[0] else {}
            for key, delta in changes.items():
                report[key] = int(report.get(key, 0)) + delta
            self.conn.execute("UPDATE batches SET report=? WHERE run_id=? AND batch_no=?",
                              (json.dumps(report), run_id, batch_no))
            _upsert_outcomes(self.conn, _outcome_rows(run_id, outcomes))

    def batches(self, run_id: int) -> list[tuple[int, str, int, int, dict[str, Any] | None]]:
        return [(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else None) for r in self.conn.execute(
            "SELECT batch_no, state, size, permission, report FROM batches WHERE run_id=? ORDER BY batch_no",
            (run_id,))]


def _selection_key(run_id: int) -> str:
    return f"run:{run_id}:selection"


def _record(row: tuple[Any, ...]) -> RunRecord:
    def load(value: Any) -> Any:
        return json.loads(value) if value else {}

    return RunRecord(row[0], row[1], row[2], row[3], row[4], row[5] or "", load(row[6]), load(row[7]),
                     load(row[8]), load(row[9]), row[10], json.loads(row[11]) if row[11] else None)
