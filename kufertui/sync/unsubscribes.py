"""Both directions of "do not mail": pull Maileon's unsubscribes in, push KUFER's objections out.

Order matters: pulled addresses land in the ledger (one committed transaction) before anything
else happens, so a crash right after the pull loses nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kufertui.core.report import RunReport
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.maileon.xml import Unsubscription
from kufertui.store.ledger import LedgerEntry
from kufertui.store.workspace import Workspace
from kufertui.sync.breaker import FailureStreak, KeepsFailing

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


async def pull_unsubscribes(client: MaileonClient, ws: Workspace) -> PullResult:
    watermark = int(ws.get_meta(WATERMARK_KEY) or 0)
    to_ms = now_ms()
    entries = await client.unsubscriptions(max(0, watermark - OVERLAP_MS), to_ms)
    result = PullResult(len(entries), [], 0)
    ledger_entries = [LedgerEntry(e.email, e.external_id, "maileon", e.source, _occurred(e), e.contact_id)
                      for e in entries if e.email]
    anonymised = [e for e in entries if not e.email]
    result.anonymised = len(anonymised)
    if anonymised:
        ledger_entries += _match_anonymised(ws, anonymised, result)
    result.new = ws.ledger.record(ledger_entries)
    result.contacts_set_n = ws.contacts.set_status_n([e.email.lower() for e in ledger_entries], "maileon")
    ws.set_meta(WATERMARK_KEY, str(to_ms))
    ws.set_meta(LAST_PULL_KEY, datetime.now(UTC).isoformat(timespec="seconds"))
    result.emails = frozenset(e.email.lower() for e in ledger_entries)
    return result


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


def writeback_numbers(ws: Workspace, pending: list[tuple[str, str | None]]) -> tuple[list[str | None], list[str]]:
    """The KUFER number to write beside each (email, number from Maileon), and the numbers left out.

    KUFER's import may match on the number alone, so a number goes out only where the workspace agrees:
    a contact with that number has that e-mail (the anonymised entries matched by number are such ones),
    else the workspace's own number for the address. Maileon's external id for an address no contact
    here carries with that number may be anybody's (recycled, re-imported elsewhere): left empty."""
    offered = ws.contacts.emails_by_person_no(number for _, number in pending if number)
    owners = {number: {e.lower() for e in emails} for number, emails in offered.items()}
    numbers: list[str | None] = []
    withheld: list[str] = []
    for email, number in pending:
        if number and email.lower() in owners.get(number, ()):
            numbers.append(number)
            continue
        own = ws.contacts.person_no_of(email)
        numbers.append(own)
        if number and own is None:
            withheld.append(number)
    return numbers, withheld


def write_back(ws: Workspace, *, sql_dsn: str = "", sql_statement: str = "") -> WriteBackResult:
    """Hand Maileon unsubscribes not yet written back to KUFER: a CSV file, and SQL when configured."""
    from kufertui.kufer.writeback import WritebackRow, apply_sql_writeback, write_unsubscribers_csv

    pending = ws.ledger.pending_writeback()
    if not pending:
        return WriteBackResult()
    numbers, withheld = writeback_numbers(ws, [(email, person_no) for email, person_no, *_ in pending])
    rows = [WritebackRow(email=email, person_no=number, when=(occurred or "")[:10] or None,
                         source=f"Maileon ({source})" if source else "Maileon")
            for (email, _offered, occurred, source), number in zip(pending, numbers, strict=True)]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = ws.paths.writeback_dir / f"kufer-abmelder-{stamp}.csv"
    write_unsubscribers_csv(path, rows)
    if sql_dsn and sql_statement:
        conn = connect_writeback(sql_dsn)
        try:
            apply_sql_writeback(conn, sql_statement, rows)
        finally:
            conn.close()
    ws.ledger.mark_written_back(email for email, *_ in pending)
    return WriteBackResult(len(rows), path, withheld)


def connect_writeback(dsn: str) -> Any:
    """A write connection for the admin's UPDATE: ``sqlite:///path`` or ``mssql://user:pw@host[:port]/db``."""
    from urllib.parse import unquote, urlsplit

    if dsn.startswith("sqlite:///"):
        import sqlite3

        return sqlite3.connect(dsn[len("sqlite:///"):])
    parts = urlsplit(dsn)
    if parts.scheme == "mssql":
        from kufertui.kufer.sql_source import connect_mssql

        return connect_mssql(parts.hostname or "", unquote(parts.username or ""), unquote(parts.password or ""),
                             parts.path.lstrip("/"), parts.port or 1433)
    from kufertui.kufer.errors import ImportFailure

    raise ImportFailure("writeback-invalid", detail="dsn")


def objections_to_push(ws: Workspace) -> int:
    """How many KUFER objections the next run passes to Maileon before anything else (for the previews):
    one per address, as the ledger records them (two N contacts with one address are one objection)."""
    return len({email_lc for email_lc, _, _ in ws.contacts.n_contacts_from_kufer()}) + len(ws.ledger.pending_push())


def record_kufer_objections(ws: Workspace) -> int:
    """Put every N contact whose N came from KUFER on the ledger (origin "kufer"); returns new ones."""
    rows = ws.contacts.n_contacts_from_kufer()
    new = ws.ledger.record(LedgerEntry(email, person_no, "kufer", "kufer", None) for _, email, person_no in rows)
    return len(new)


@dataclass(slots=True)
class PushResult:
    unsubscribed: int = 0
    not_in_maileon: int = 0
    failed: int = 0
    skipped: int = 0  # not tried: the run was cancelled first (still pending)
    last_error: MaileonError | None = None


async def push_objections(client: MaileonClient, ws: Workspace, *, concurrency: int = 4,
                          on_progress: object = None, cancel: threading.Event | None = None,
                          on_pushed: Callable[[str, str], None] | None = None,
                          on_sending: Callable[[str], None] | None = None,
                          done_before: Collection[str] = ()) -> PushResult:
    """Unsubscribe KUFER objections in Maileon, each once; failures stay pending for the next run.

    Once ``cancel`` is set no further request starts (those in flight finish), so a cancel ends
    the push within one request's time; the rest stays pending for the resumed run.
    When several pushes in a row fail server-side (``breaker.py``), the push stops with KeepsFailing.
    ``done_before``: addresses a killed attempt of this run had in flight and that Maileon's report now
    lists as unsubscribed: a 404 on the retry means that attempt unsubscribed (and anonymised) them."""
    pending = ws.ledger.pending_push()
    result = PushResult()
    gate = asyncio.Semaphore(max(1, concurrency))
    streak = FailureStreak()
    done = 0

    async def push(email: str) -> None:
        nonlocal done
        async with gate:
            if cancel is not None and cancel.is_set():
                result.skipped += 1
                return
            if on_sending is not None:
                on_sending(email)
            error: MaileonError | None = None
            try:
                existed = await client.unsubscribe_email(email) or email.lower() in done_before
            except MaileonError as exc:
                if exc.hint_id in ("key-invalid", "key-rights", "proxy-socket", "proxy-auth", "tls"):
                    raise
                outcome = "failed"
                result.failed += 1
                result.last_error = error = exc
            else:
                outcome = "unsubscribed" if existed else "not-in-maileon"
                if existed:
                    result.unsubscribed += 1
                else:
                    result.not_in_maileon += 1
            ws.ledger.mark_pushed(email, outcome)
            if on_pushed is not None:
                on_pushed(email, outcome)
            done += 1
            if callable(on_progress):
                on_progress(done, len(pending))
            if error is None:
                streak.answered()
            else:
                streak.failed(error)  # journaled first: this one stays pending like the rest

    try:
        async with asyncio.TaskGroup() as group:
            for email, _person_no in pending:
                group.create_task(push(email))
    except BaseExceptionGroup as failures:
        # a fatal answer (key refused, proxy, TLS) stops the push: raise it as itself, so the engine shows
        # its hint instead of an exception group's traceback
        fatal = [e for e in failures.exceptions if isinstance(e, MaileonError)]
        if fatal:
            raise fatal[0] from None
        stopped = [e for e in failures.exceptions if isinstance(e, KeepsFailing)]
        if stopped:
            raise stopped[0] from None
        raise
    return result


def objection_figures(ws: Workspace, run_id: int, report: RunReport) -> None:
    """The run's objection figures so far (journaled per contact), for a run that stops mid-push."""
    push = ws.journal.steps(run_id).get("push")
    if push is not None:
        report.objections_pushed = int(push.get("unsubscribed", 0))
        report.objections_not_in_maileon = int(push.get("not_in_maileon", 0))
        report.objections_pending = len(ws.ledger.pending_push())


async def push_for_run(client: MaileonClient, ws: Workspace, run_id: int, *, concurrency: int,
                       cancel: threading.Event | None, on_progress: object, seen_in_report: Collection[str]
                       ) -> PushResult:
    """The objection push of one sync run, its figures journaled per contact (with the requests in
    flight), so that a run killed mid-push and resumed still reports every objection it passed on.
    Returns this attempt's figures; the journal holds the run's totals (step "push")."""
    before = ws.journal.steps(run_id).get("push", {})
    base_unsubscribed = int(before.get("unsubscribed", 0))
    base_not_found = int(before.get("not_in_maileon", 0))
    # in flight when the run was killed and now in Maileon's unsubscription report: that request went through
    interrupted = {e for e in before.get("in_flight") or () if e in seen_in_report}
    in_flight: set[str] = set()
    tally = PushResult()

    def journal() -> None:
        ws.journal.record_step(run_id, "push", {"unsubscribed": base_unsubscribed + tally.unsubscribed,
                                                "not_in_maileon": base_not_found + tally.not_in_maileon,
                                                "in_flight": sorted(in_flight)})

    def sending(email: str) -> None:
        in_flight.add(email.lower())
        journal()

    def pushed(email: str, outcome: str) -> None:
        in_flight.discard(email.lower())
        if outcome == "unsubscribed":
            tally.unsubscribed += 1
        elif outcome == "not-in-maileon":
            tally.not_in_maileon += 1
        journal()

    return await push_objections(client, ws, concurrency=concurrency, on_progress=on_progress, cancel=cancel,
                                 on_pushed=pushed, on_sending=sending, done_before=interrupted)
