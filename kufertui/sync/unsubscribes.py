"""Both directions of "do not mail": pull Maileon's unsubscribes in, push KUFER's objections out
(``objections.py``).

Order matters: pulled addresses land in the ledger (one committed transaction) before anything
else happens, so a crash right after the pull loses nothing.

An unsubscribe is a person's decision: when Maileon's entry carries a KUFER number (our external id) and the
journal proves we sent that address with that number, the person is opted out by number (README.md, "Keep
unsubscribes flowing back"): on the ledger, every workspace contact with the number set to N whatever its
address now, written back with the number, and held back by pre-flight under any address until an explicit
re-consent (``restore_consent``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kufertui.core.contact import Status, contact_key
from kufertui.core.probe_ids import is_probe_id
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.xml import Unsubscription
from kufertui.store.ledger import LedgerEntry, PersonOptOut
from kufertui.store.workspace import Workspace, WorkspaceError
from kufertui.sync.lock import LockHeld, WorkspaceLock
from kufertui.sync.objections import PushResult, objection_figures, push_for_run, push_objections

__all__ = ["PushResult", "objection_figures", "push_for_run", "push_objections"]  # the push, kept importable here

WATERMARK_KEY = "unsub_watermark_ms"
LAST_PULL_KEY = "last_pull_at"
# Re-read a day before the watermark: report entries may appear late, and the ledger de-duplicates.
OVERLAP_MS = 24 * 3600 * 1000


@dataclass(slots=True)
class PullResult:
    seen: int  # entries in Maileon's report for the window
    new: list[str]  # lower-cased e-mails new to the ledger
    contacts_set_n: int  # workspace contacts switched to N
    emails: frozenset[str] = frozenset()  # lower-cased e-mails in the report (new to the ledger or not)
    anonymised: int = 0  # entries without e-mail (Maileon anonymised them after its retention period)
    anonymised_matched: int = 0  # ... recognised by our KUFER number or a contact id recorded earlier
    unmatched: list[str] = field(default_factory=list)  # ... recognised by nothing: "contact id/external id"
    persons: list[str] = field(default_factory=list)  # KUFER numbers opted out as persons (journal-proven)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def _occurred(e: Unsubscription) -> str | None:
    return e.timestamp.isoformat(sep=" ") if e.timestamp else e.timestamp_raw or None


def _match_anonymised(ws: Workspace, entries: list[Unsubscription], result: PullResult) -> list[LedgerEntry]:
    """Entries without e-mail: by the contact id an earlier pull recorded (already on the ledger), else by
    the external id, which is our KUFER number. Every workspace contact with that number becomes N: the
    safe reading when one person has several addresses, since an unsubscribe must never get lost."""
    known = ws.ledger.emails_of_maileon_ids(e.contact_id for e in entries if e.contact_id is not None)
    by_number = ws.contacts.emails_by_person_no(e.external_id for e in entries if e.external_id)
    out: list[LedgerEntry] = []
    for e in entries:
        if e.contact_id is not None and e.contact_id in known:
            result.anonymised_matched += 1
            out.append(LedgerEntry(known[e.contact_id], e.external_id, "maileon", e.source, _occurred(e)))
            continue
        emails = by_number.get(e.external_id or "", [])
        if not emails:
            result.unmatched.append(f"{e.contact_id if e.contact_id is not None else '-'}/{e.external_id or '-'}")
            continue
        result.anonymised_matched += 1
        out.extend(LedgerEntry(email, e.external_id, "maileon", e.source, _occurred(e), e.contact_id)
                   for email in emails)
    return out


async def pull_unsubscribes(client: MaileonClient, ws: Workspace, *,
                            ready: Awaitable[object] | None = None) -> PullResult:
    """Maileon's unsubscribes since the last pull, onto the ledger and the contacts. ``ready``: awaited between
    the read and the first write (a run's selection, taken meanwhile)."""
    watermark = int(ws.get_meta(WATERMARK_KEY) or 0)
    to_ms = now_ms()
    # the entries `kufertui doctor --probe` left (its scratch contacts' unsubscribes) are nobody's: passed over
    entries = [e for e in await client.unsubscriptions(max(0, watermark - OVERLAP_MS), to_ms)
               if not is_probe_id(e.external_id)]
    if ready is not None:
        await asyncio.shield(ready)  # a cancelled pull leaves it to finish: the run waits for it before it ends
    result = PullResult(len(entries), [], 0)
    proven = proven_pairs(ws, [(e.external_id, e.email) for e in entries if e.email and e.external_id])
    ledger_entries = [LedgerEntry(e.email, e.external_id, "maileon", e.source, _occurred(e), e.contact_id,
                                  by_number=(e.external_id or "", e.email.lower()) in proven)
                      for e in entries if e.email]
    anonymised = [e for e in entries if not e.email]
    result.anonymised = len(anonymised)
    if anonymised:
        ledger_entries += _match_anonymised(ws, anonymised, result)
    known_persons = ws.ledger.opted_out_numbers()
    result.new = ws.ledger.record(ledger_entries)
    # a re-read entry of a person whose opt-out a re-consent lifted stays lifted
    persons = {e.person_no for e in ledger_entries if e.by_number and e.person_no} & ws.ledger.opted_out_numbers()
    result.persons = sorted(persons - known_persons)  # new this pull (the window overlaps the last one)
    result.contacts_set_n = ws.contacts.set_status_n([e.email.lower() for e in ledger_entries], "maileon")
    result.contacts_set_n += ws.contacts.set_status_n_by_person_no(persons, "maileon")
    ws.set_meta(WATERMARK_KEY, str(to_ms))
    ws.set_meta(LAST_PULL_KEY, datetime.now(UTC).isoformat(timespec="seconds"))
    result.emails = frozenset(e.email.lower() for e in ledger_entries)
    return result


def proven_pairs(ws: Workspace, pairs: list[tuple[str | None, str]]) -> set[tuple[str, str]]:
    """The (KUFER number, lower-cased e-mail) pairs a run of ours sent: the journal proves the address was
    that person's when Maileon took the unsubscribe."""
    sent = ws.journal.sent_emails(contact_key(number, "") for number, _ in pairs if number)
    return {(number, email.lower()) for number, email in pairs
            if number and email.lower() in sent.get(contact_key(number, ""), ())}


def person_opt_out(ws: Workspace, person_no: str | None) -> PersonOptOut | None:
    """Why this KUFER number must not be uploaded under any address (None: it may)."""
    return ws.ledger.person_opt_out(person_no) if person_no else None


def restore_consent(ws: Workspace, person_no: str, status: Status, note: str) -> int:
    """A re-consent, recorded explicitly by the administration (never by an import): the person's opt-out by
    number is lifted with the note (who, which consent, its date) and their contact takes ``status`` again.
    The addresses they unsubscribed stay on the ledger, as Maileon's markers stay. Returns the ledger entries
    lifted (0: the number was not opted out, nothing changed)."""
    if status not in (Status.J, Status.K):
        raise ValueError("a re-consent restores J or K")
    if not note.strip():
        raise ValueError("a re-consent needs a note (which consent, of when)")
    lifted = ws.ledger.lift_person(person_no, note.strip())
    if lifted:
        ws.contacts.restore_status(person_no, status.value)
    return lifted


class RestoreRefused(Exception):
    """A re-consent that could not be recorded: a message key and its parameters (nothing changed)."""

    def __init__(self, key: str, hint_id: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key, self.hint_id, self.params = key, hint_id, params


def restore_person(root: Path, person_no: str, status: Status, note: str) -> PersonOptOut:
    """``kufertui unsubscribers restore``: the workspace at ``root``, under the workspace lock (never beside a
    running sync or pull), records the re-consent. Returns the opt-out that was lifted; raises RestoreRefused
    when the number is not opted out, the lock is held or the workspace cannot be opened."""
    lock = WorkspaceLock(root / "sync.lock")
    try:
        lock.acquire()
    except LockHeld as exc:
        raise RestoreRefused("engine.lock-held", "lock-held", holder=exc.holder) from None
    try:
        with Workspace.open(root) as ws:
            opted_out = person_opt_out(ws, person_no)
            if opted_out is None:
                raise RestoreRefused("cli.restore-nothing", number=person_no)
            restore_consent(ws, person_no, status, note)
            return opted_out
    except WorkspaceError as exc:
        raise RestoreRefused(exc.message_id, **exc.params) from None
    finally:
        lock.release()


def pull_age_days(ws: Workspace) -> float | None:
    """Days since the last successful unsubscriber pull (None: never pulled)."""
    value = ws.get_meta(LAST_PULL_KEY)
    if not value:
        return None
    then = datetime.fromisoformat(value)
    return (datetime.now(UTC) - then).total_seconds() / 86400


@dataclass(slots=True)
class WriteBackResult:
    count: int = 0  # addresses handed to KUFER
    path: Path | None = None  # the write-back file
    tnr_withheld: list[str] = field(default_factory=list)  # Maileon's numbers left out: no workspace agreement


def writeback_numbers(ws: Workspace, pending: list[tuple[str, str | None]], *,
                      by_number: Collection[str] = ()) -> tuple[list[str | None], list[str]]:
    """The KUFER number to write beside each (email, number from Maileon), and the numbers left out.

    KUFER's import may match on the number alone, so a number goes out only where we know it is right: the
    person was opted out by number (``by_number``: lower-cased e-mails whose pair the journal proves; KUFER may
    hold a newer address by now, so the number is what finds the person), or a contact with that number has
    that e-mail (the anonymised entries matched by number are such ones), else the workspace's own number for
    the address. Maileon's external id for an address we never sent with that number may be anybody's
    (recycled, re-imported elsewhere): left empty."""
    offered = ws.contacts.emails_by_person_no(number for _, number in pending if number)
    owners = {number: {e.lower() for e in emails} for number, emails in offered.items()}
    numbers: list[str | None] = []
    withheld: list[str] = []
    for email, number in pending:
        if number and (email.lower() in by_number or email.lower() in owners.get(number, ())):
            numbers.append(number)
            continue
        own = ws.contacts.person_no_of(email)
        numbers.append(own)
        if number and own is None:
            withheld.append(number)
    return numbers, withheld


def write_back(ws: Workspace, *, sql_dsn: str = "", sql_statement: str = "") -> WriteBackResult:
    """Hand Maileon unsubscribes not yet written back to KUFER: a CSV file, and SQL when configured."""
    pending = ws.ledger.pending_writeback()
    if not pending:
        return WriteBackResult()
    # imported here: the writer brings the SQL checker (sqlglot, 80 ms), which most runs, writing nothing back,
    # never need
    from kufertui.kufer.writeback import WritebackRow, apply_sql_writeback, write_unsubscribers_csv

    numbers, withheld = writeback_numbers(ws, [(email, person_no) for email, person_no, *_ in pending],
                                          by_number={email.lower() for email, *_, by_number in pending if by_number})
    rows = [WritebackRow(email=email, person_no=number, when=(occurred or "")[:10] or None,
                         source=f"Maileon ({source})" if source else "Maileon")
            for (email, _offered, occurred, source, _by_number), number in zip(pending, numbers, strict=True)]
    path = new_writeback_path(ws.paths.writeback_dir)
    write_unsubscribers_csv(path, rows)
    if sql_dsn and sql_statement:
        conn = connect_writeback(sql_dsn)
        try:
            apply_sql_writeback(conn, sql_statement, rows)
        finally:
            conn.close()
    ws.ledger.mark_written_back(email for email, *_ in pending)
    return WriteBackResult(len(rows), path, withheld)


def new_writeback_path(folder: Path) -> Path:
    """A name no earlier write-back file has: ``kufer-abmelder-<second>.csv``, with ``-2``, ``-3`` … for a further
    one within the same second (the morning pull, then a sync). Replacing the earlier file would lose unsubscribes
    the ledger already counts as handed to KUFER. Runs hold the workspace lock, so nobody writes in between."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"kufer-abmelder-{stamp}.csv"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"kufer-abmelder-{stamp}-{number}.csv"
    return path


def connect_writeback(dsn: str) -> Any:
    """A write connection for the admin's UPDATE: ``sqlite:///path`` or ``mssql://user:pw@host[:port]/db``."""
    from kufertui.kufer.dsn import connect

    return connect(dsn, read_only=False)


def objections_to_push(ws: Workspace) -> int:
    """How many KUFER objections the next run passes to Maileon before anything else (for the previews):
    one per address, as the ledger records them (two N contacts with one address are one objection)."""
    return len({email_lc for email_lc, _, _ in ws.contacts.n_contacts_from_kufer()}) + len(ws.ledger.pending_push())


def record_kufer_objections(ws: Workspace) -> int:
    """Put every N contact whose N came from KUFER on the ledger (origin "kufer"); returns new ones."""
    rows = ws.contacts.n_contacts_from_kufer()
    new = ws.ledger.record(LedgerEntry(email, person_no, "kufer", "kufer", None) for _, email, person_no in rows)
    return len(new)
