"""The suppression ledger: every address that must never be mailed again, and why.

Entries come from Maileon unsubscriptions (origin "maileon") and from objections recorded in
KUFER (origin "kufer"). Nothing here is ever deleted by kufertui.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

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
                    "INSERT INTO ledger (email_lc, email, person_no, origin, source, occurred_at, recorded_at) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT (email_lc) DO NOTHING",
                    (e.email.lower(), e.email, e.person_no, e.origin, e.source, e.occurred_at, now))
                if cur.rowcount:
                    new.append(e.email.lower())
            ids = [(e.maileon_id, e.email.lower()) for e in entries_list if e.maileon_id is not None]
            self.conn.executemany("UPDATE ledger SET maileon_id=? WHERE email_lc=? AND maileon_id IS NULL", ids)
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

    def pending_writeback(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """Maileon unsubscribes not yet handed back to KUFER: (email, person_no, occurred_at, source)."""
        return self.conn.execute(
            "SELECT email, person_no, occurred_at, source FROM ledger "
            "WHERE origin='maileon' AND written_back_at IS NULL ORDER BY recorded_at, email_lc").fetchall()

    def mark_written_back(self, emails: Iterable[str]) -> None:
        now = _now()
        with transaction(self.conn):
            self.conn.executemany("UPDATE ledger SET written_back_at=? WHERE email_lc=?",
                                  [(now, e.lower()) for e in emails])

    def pending_push(self) -> list[tuple[str, str | None]]:
        """KUFER objections not yet passed to Maileon (or whose push failed): (email, person_no)."""
        return self.conn.execute(
            "SELECT email, person_no FROM ledger WHERE origin='kufer' "
            "AND (push_outcome IS NULL OR push_outcome='failed') ORDER BY recorded_at, email_lc").fetchall()

    def mark_pushed(self, email: str, outcome: str) -> None:
        """outcome: 'unsubscribed', 'not-in-maileon' or 'failed' (retried next run)."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE ledger SET push_outcome=?, pushed_at=?, push_attempts=push_attempts+1 WHERE email_lc=?",
                (outcome, _now(), email.lower()))

    def push_counts(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT COALESCE(push_outcome, 'pending'), COUNT(*) FROM ledger WHERE origin='kufer' GROUP BY 1")
        return {k: v for k, v in rows}
