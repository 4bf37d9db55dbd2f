"""The suppression ledger: every address that must never be mailed again, and why.

Entries come from Maileon unsubscriptions (origin "maileon") and from objections recorded in
KUFER (origin "kufer"). Nothing here is ever deleted by kufertui.

An entry ``by_number`` opts out the person, not only the address: Maileon named our KUFER number with the
unsubscribe, and the journal proves we sent that address with that number. No address of that person is
uploaded again until an explicit re-consent lifts it (``lift_person``); an import never does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kufertui.store.db import transaction


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True, frozen=True)
class LedgerEntry:
    email: str
    person_no: str | None
    origin: str  # "maileon" (unsubscribed there) or "kufer" (objection recorded in KUFER)
    source: str | None  # Maileon's source: link, reply, list-unsubscribe-header, api, ...
    occurred_at: str | None
    maileon_id: int | None = None  # Maileon's contact id, when the report named it
    by_number: bool = False  # the person (person_no) opted out, proven by the journal


@dataclass(slots=True, frozen=True)
class PersonOptOut:
    """Why a KUFER number is opted out: the unsubscribed address and when."""

    person_no: str
    email: str
    source: str | None
    occurred_at: str | None
    recorded_at: str


# An objection Maileon did not know is checked again this long after, a limited number per run.
RECHECK_AFTER = timedelta(days=7)
RECHECKS_PER_RUN = 200


class Ledger:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def record(self, entries: Iterable[LedgerEntry]) -> list[str]:
        """Store entries durably (one transaction); returns the lower-cased e-mails that were new."""
        new: list[str] = []
        now = _now()
        entries_list = list(entries)
        with transaction(self.conn):
            for e in entries_list:
                cur = self.conn.execute(
                    "INSERT INTO ledger (email_lc, email, person_no, origin, source, occurred_at, recorded_at, "
                    "by_number) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (email_lc) DO NOTHING",
                    (e.email.lower(), e.email, e.person_no, e.origin, e.source, e.occurred_at, now,
                     int(e.by_number and bool(e.person_no))))
                if cur.rowcount:
                    new.append(e.email.lower())
            ids = [(e.maileon_id, e.email.lower()) for e in entries_list if e.maileon_id is not None]
            self.conn.executemany("UPDATE ledger SET maileon_id=? WHERE email_lc=? AND maileon_id IS NULL", ids)
            # an address already here (an earlier pull, an objection) now proven to be the person's: the person
            # is opted out by number, and the write-back goes again, now with the number
            self.conn.executemany(
                "UPDATE ledger SET by_number=1, person_no=?, written_back_at=CASE WHEN origin='maileon' "
                "THEN NULL ELSE written_back_at END WHERE email_lc=? AND by_number=0",
                [(e.person_no, e.email.lower()) for e in entries_list if e.by_number and e.person_no])
        return new

    def emails_of_maileon_ids(self, ids: Iterable[int]) -> dict[int, str]:
        """Maileon contact id → lower-cased e-mail, for ids recorded with an earlier unsubscribe."""
        wanted = sorted(set(ids))
        out: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.conn.execute(
                f"SELECT maileon_id, email_lc FROM ledger WHERE maileon_id IN ({','.join('?' * len(chunk))})",
                chunk)
            out.update({int(i): e for i, e in rows})
        return out

    def emails(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT email_lc FROM ledger")}

    def contains(self, email: str) -> bool:
        return self.conn.execute("SELECT 1 FROM ledger WHERE email_lc=?", (email.lower(),)).fetchone() is not None

    def count(self, origin: str | None = None) -> int:
        if origin:
            return int(self.conn.execute("SELECT COUNT(*) FROM ledger WHERE origin=?", (origin,)).fetchone()[0])
        return int(self.conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0])

    def pending_writeback(self) -> list[tuple[str, str | None, str | None, str | None, bool]]:
        """Maileon unsubscribes not yet handed back to KUFER: (email, person_no, occurred_at, source, by_number)."""
        return [(r[0], r[1], r[2], r[3], bool(r[4])) for r in self.conn.execute(
            "SELECT email, person_no, occurred_at, source, by_number FROM ledger "
            "WHERE origin='maileon' AND written_back_at IS NULL ORDER BY recorded_at, email_lc")]

    def mark_written_back(self, emails: Iterable[str]) -> None:
        now = _now()
        with transaction(self.conn):
            self.conn.executemany("UPDATE ledger SET written_back_at=? WHERE email_lc=?",
                                  [(now, e.lower()) for e in emails])

    def pending_push(self, *, rechecks: int = RECHECKS_PER_RUN) -> list[tuple[str, str | None]]:
        """KUFER objections not yet passed to Maileon (or whose push failed), then up to ``rechecks`` of those
        Maileon did not know whose re-check is due (the longest unchecked first): (email, person_no)."""
        rows = self.conn.execute(
            "SELECT email, person_no FROM ledger WHERE origin='kufer' "
            "AND (push_outcome IS NULL OR push_outcome='failed') ORDER BY recorded_at, email_lc").fetchall()
        if rechecks > 0:
            rows += self.conn.execute(
                "SELECT email, person_no FROM ledger WHERE origin='kufer' AND push_outcome='not-in-maileon' "
                "AND recheck_at IS NOT NULL AND recheck_at <= ? ORDER BY recheck_at, email_lc LIMIT ?",
                (_now(), rechecks)).fetchall()
        return rows

    def mark_pushed(self, email: str, outcome: str) -> None:
        """outcome: 'unsubscribed', 'not-in-maileon' (checked again after RECHECK_AFTER) or 'failed'
        (retried next run)."""
        now = datetime.now(UTC)
        recheck = (now + RECHECK_AFTER).isoformat(timespec="seconds") if outcome == "not-in-maileon" else None
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE ledger SET push_outcome=?, pushed_at=?, push_attempts=push_attempts+1, recheck_at=? "
                "WHERE email_lc=?", (outcome, now.isoformat(timespec="seconds"), recheck, email.lower()))

    def push_outcome(self, email: str) -> str | None:
        row = self.conn.execute("SELECT push_outcome FROM ledger WHERE email_lc=?", (email.lower(),)).fetchone()
        return row[0] if row else None

    # --- persons opted out by KUFER number ------------------------------------------------------
    def opted_out_numbers(self) -> set[str]:
        """KUFER numbers of persons opted out (and not lifted by a re-consent)."""
        return {row[0] for row in self.conn.execute(
            "SELECT DISTINCT person_no FROM ledger WHERE by_number=1 AND lifted_at IS NULL AND person_no<>''")}

    def person_opt_out(self, person_no: str) -> PersonOptOut | None:
        """The first unsubscribe that opted this person out (None: not opted out, or lifted)."""
        row = self.conn.execute(
            "SELECT person_no, email, source, occurred_at, recorded_at FROM ledger WHERE by_number=1 "
            "AND lifted_at IS NULL AND person_no=? ORDER BY recorded_at, email_lc LIMIT 1", (person_no,)).fetchone()
        return PersonOptOut(*row) if row else None

    def lift_person(self, person_no: str, note: str) -> int:
        """A re-consent: the person's opt-out by number no longer holds (their unsubscribed addresses stay on
        the ledger). Returns how many entries it lifted."""
        with transaction(self.conn):
            cur = self.conn.execute("UPDATE ledger SET lifted_at=?, lifted_note=? WHERE by_number=1 "
                                    "AND lifted_at IS NULL AND person_no=?", (_now(), note[:200], person_no))
        return cur.rowcount

    def push_counts(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT COALESCE(push_outcome, 'pending'), COUNT(*) FROM ledger WHERE origin='kufer' GROUP BY 1")
        return {k: v for k, v in rows}
