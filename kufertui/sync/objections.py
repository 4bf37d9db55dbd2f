"""KUFER objections (status N) passed to Maileon: to the person, not only to an address.

An objection goes to every contact Maileon may hold for the person: by the KUFER number, when we ever sent
it as external id (Maileon unsubscribes "all contacts with the given external ID"), and by every address we
ever sent for the person (the journal knows them) as well as the current one. "Not in Maileon" only when
none of them exists there; such a person is checked again by a later run (``RECHECK_AFTER`` in the ledger).

Every call is journaled (in flight, found), so a run killed mid-push and resumed counts each person once and
never records "not in Maileon" for a person whose contact the killed attempt already unsubscribed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from kufertui.core.contact import contact_key
from kufertui.core.report import RunReport
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.store.workspace import Workspace
from kufertui.sync.internals.breaker import FailureStreak, KeepsFailing

FATAL_HINTS = ("key-invalid", "key-rights", "proxy-socket", "proxy-auth", "tls")


@dataclass(slots=True)
class PushResult:
    unsubscribed: int = 0
    not_in_maileon: int = 0  # objections new this run that Maileon did not know (re-checks not counted again)
    failed: int = 0
    skipped: int = 0  # not tried: the run was cancelled first (still pending)
    rechecked: int = 0  # persons recorded "not in Maileon" earlier and checked again
    last_error: MaileonError | None = None


def target_token(row_email: str, kind: str, value: str) -> str:
    """One call of one objection, as journaled: ``row|eid:100978`` or ``row|email:anna@example.org``."""
    return f"{row_email.lower()}|{kind}:{value.lower() if kind == 'email' else value}"


def objection_targets(ws: Workspace, pending: Sequence[tuple[str, str | None]]) -> dict[str, list[tuple[str, str]]]:
    """Ledger e-mail (lower-cased) → the calls for that objection: ("email", address) for the current address,
    ("eid", number) when a run sent the person (we send the KUFER number as external id), and ("email", a)
    for every other address a run sent the person under."""
    def key(email: str, number: str | None) -> str:
        return contact_key(number, email.lower())

    sent = ws.journal.sent_emails(key(email, number) for email, number in pending)
    out: dict[str, list[tuple[str, str]]] = {}
    for email, number in pending:
        addresses = sent.get(key(email, number), set())
        calls = [("email", email)]
        if number and addresses:
            calls.append(("eid", number))
        calls += [("email", a) for a in sorted(addresses - {email.lower()})]
        out[email.lower()] = calls
    return out


async def push_objections(client: MaileonClient, ws: Workspace, *, concurrency: int = 4,
                          on_progress: object = None, cancel: threading.Event | None = None,
                          on_pushed: Callable[[str, str, bool], None] | None = None,
                          on_sending: Callable[[str], None] | None = None,
                          on_answered: Callable[[str, bool], None] | None = None,
                          done_before: Collection[str] = ()) -> PushResult:
    """Unsubscribe KUFER objections in Maileon, each person once; failures stay pending for the next run.

    Once ``cancel`` is set no further person is started (those in flight finish), so a cancel ends the push
    within a few requests' time; the rest stays pending for the resumed run. When several calls in a row fail
    server-side (``breaker.py``), the push stops with KeepsFailing. ``done_before``: call tokens
    (``target_token``) a killed attempt of this run already saw through: not sent again, counted as found."""
    pending = ws.ledger.pending_push()
    targets = objection_targets(ws, pending)
    rechecking = {email.lower() for email, _ in pending if ws.ledger.push_outcome(email) == "not-in-maileon"}
    result = PushResult()
    gate = asyncio.Semaphore(max(1, concurrency))
    streak = FailureStreak()
    done = 0

    async def call(kind: str, value: str) -> bool:
        if kind == "eid":
            return await client.unsubscribe_external_id(value)
        return await client.unsubscribe_email(value)

    async def push(email: str) -> None:
        nonlocal done
        row = email.lower()
        async with gate:
            if cancel is not None and cancel.is_set():
                result.skipped += 1
                return
            existed = False
            error: MaileonError | None = None
            for kind, value in targets[row]:
                token = target_token(row, kind, value)
                if token in done_before:
                    existed = True
                    continue
                if on_sending is not None:
                    on_sending(token)
                try:
                    hit = await call(kind, value)
                except MaileonError as exc:
                    if exc.hint_id in FATAL_HINTS:
                        raise
                    error = exc
                    break
                if on_answered is not None:
                    on_answered(token, hit)
                existed = existed or hit
            recheck = row in rechecking
            if error is not None:
                outcome = "failed"
                result.failed += 1
                result.last_error = error
            elif existed:
                outcome = "unsubscribed"
                result.unsubscribed += 1
            else:
                outcome = "not-in-maileon"
                if not recheck:
                    result.not_in_maileon += 1
            result.rechecked += recheck
            if not (error is not None and recheck):  # a re-check that failed stays as it was, still due
                ws.ledger.mark_pushed(email, outcome)
            if on_pushed is not None:
                on_pushed(email, outcome, recheck)
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
        report.objections_pending = len(ws.ledger.pending_push(rechecks=0))


def _seen(token: str, row_targets: dict[str, list[tuple[str, str]]], seen_in_report: Collection[str]) -> bool:
    """A call in flight when the run was killed went through if Maileon's report now lists its address (for
    a call by number: any address of the person)."""
    row, _, target = token.partition("|")
    kind, _, value = target.partition(":")
    if kind == "email":
        return value in seen_in_report
    return any(v.lower() in seen_in_report for k, v in row_targets.get(row, []) if k == "email")


async def push_for_run(client: MaileonClient, ws: Workspace, run_id: int, *, concurrency: int,
                       cancel: threading.Event | None, on_progress: object, seen_in_report: Collection[str]
                       ) -> PushResult:
    """The objection push of one sync run, its figures journaled per call (with the calls in flight and
    those that found a contact), so that a run killed mid-push and resumed still reports every objection
    it passed on. Returns this attempt's figures; the journal holds the run's totals (step "push")."""
    before = ws.journal.steps(run_id).get("push", {})
    base_unsubscribed = int(before.get("unsubscribed", 0))
    base_not_found = int(before.get("not_in_maileon", 0))
    found: set[str] = set(before.get("found") or ())
    in_flight_before = set(before.get("in_flight") or ())
    if in_flight_before:
        row_targets = objection_targets(ws, ws.ledger.pending_push())
        found |= {t for t in in_flight_before if _seen(t, row_targets, seen_in_report)}
    in_flight: set[str] = set()
    tally = PushResult()

    def journal() -> None:
        ws.journal.record_step(run_id, "push", {"unsubscribed": base_unsubscribed + tally.unsubscribed,
                                                "not_in_maileon": base_not_found + tally.not_in_maileon,
                                                "in_flight": sorted(in_flight), "found": sorted(found)})

    def sending(token: str) -> None:
        in_flight.add(token)
        journal()

    def answered(token: str, hit: bool) -> None:
        in_flight.discard(token)
        if hit:
            found.add(token)
        journal()

    def pushed(email: str, outcome: str, recheck: bool) -> None:
        if outcome != "failed":  # a failed person keeps what was found: its resume must not call it unknown
            prefix = f"{email.lower()}|"
            found.difference_update({t for t in found if t.startswith(prefix)})
        if outcome == "unsubscribed":
            tally.unsubscribed += 1
        elif outcome == "not-in-maileon" and not recheck:
            tally.not_in_maileon += 1
        journal()

    return await push_objections(client, ws, concurrency=concurrency, on_progress=on_progress, cancel=cancel,
                                 on_pushed=pushed, on_sending=sending, on_answered=answered,
                                 done_before=frozenset(found))
