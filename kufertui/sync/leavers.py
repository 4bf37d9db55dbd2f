"""People who left KUFER (README.md, "People who leave KUFER"): a full export that no longer has a known
person takes them out of the selection (store/contacts.py); this module lists them and removes them from
Maileon, only when asked.

The removal is a run of its own kind ("leavers") in the journal, one outcome per person (deleted, not in
Maileon, failed). It deletes by KUFER number (``DELETE /contacts/externalid/{no}``), and only persons that a
sync run sent under that number and no removal run has taken out since. Repeating it is harmless: who is done
is no candidate any more, and a person Maileon no longer has is journaled as "not in Maileon". Before it
deletes anything it pulls Maileon's unsubscribes into the ledger: a deleted contact takes its unsubscription
with it, and the ledger must still know it should the person come back to KUFER.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kufertui.config import Settings
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.i18n import t
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError, NotFound
from kufertui.maileon.xml import RemoteContact
from kufertui.store.contacts import Leaver
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.connect import learned_rate, open_client
from kufertui.sync.internals.breaker import FailureStreak, KeepsFailing
from kufertui.sync.internals.interrupt import CANCEL_GRACE_S, CancelRequested, unless_cancelled
from kufertui.sync.lock import LockHeld, WorkspaceLock
from kufertui.sync.unsubscribes import pull_unsubscribes

RUN_KIND = "leavers"
DELETED, NOT_IN_MAILEON, FAILED = "deleted", "not-in-maileon", "failed"


class LeaversError(Exception):
    """The removal could not start or stopped: a message key, its parameters and the exit code."""

    def __init__(self, key: str, exit_code: int, hint_id: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.exit_code = exit_code
        self.hint_id = hint_id
        self.params = params


@dataclass(slots=True)
class Removal:
    run_id: int | None = None
    deleted: list[str] = field(default_factory=list)  # KUFER numbers
    not_in_maileon: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (KUFER number, why)
    unsubscribes_pulled: int = 0  # new on the ledger from the pull before the deletions

    @property
    def done(self) -> int:
        return len(self.deleted) + len(self.not_in_maileon) + len(self.failed)

    def counts(self) -> dict[str, int]:
        return {"deleted": len(self.deleted), "not_in_maileon": len(self.not_in_maileon),
                "failed": len(self.failed), "unsubscribes_pulled": self.unsubscribes_pulled}

    def to_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, **self.counts(), "deleted_numbers": list(self.deleted),
                "not_in_maileon_numbers": list(self.not_in_maileon),
                "failed_numbers": [{"person_no": no, "detail": why} for no, why in self.failed]}


def leavers(ws: Workspace) -> list[Leaver]:
    """Everybody who left KUFER, oldest departure first (History, `kufertui leavers list`)."""
    return ws.contacts.leavers()


def removable(people: Collection[Leaver]) -> list[Leaver]:
    """Who a removal deletes: sent under their KUFER number and, as far as the journal knows, still there."""
    return [p for p in people if p.person_no and p.in_maileon]


def leaver_json(p: Leaver) -> dict[str, Any]:
    return {"person_no": p.person_no, "email": p.email, "status": p.status, "left_at": p.left_at,
            "sent": p.sent, "in_maileon": p.in_maileon, "removable": bool(p.person_no and p.in_maileon)}


def report_line(counts: dict[str, int]) -> str:
    return t("leavers.report-line", deleted=counts["deleted"], absent=counts["not_in_maileon"],
             failed=counts["failed"])


async def remove_leavers(settings: Settings, root: Path, *, only: Collection[str] | None = None,
                         transport: httpx.AsyncBaseTransport | None = None,
                         client_factory: Callable[[], MaileonClient] | None = None,
                         cancel: threading.Event | None = None,
                         on_progress: Callable[[int, int], None] | None = None) -> Removal:
    """Delete the removable leavers from Maileon; ``only``: the KUFER numbers the admin saw in the preview
    (a person who came back to KUFER meanwhile, or was never shown, is left alone). Raises LeaversError
    when it cannot start or stops (Maileon unreachable, the key refused, cancelled): what it did is journaled,
    and running it again does the rest."""
    lock = WorkspaceLock(root / "sync.lock")  # no sync at the same time: it could send them anew meanwhile
    try:
        lock.acquire()
    except LockHeld as exc:
        raise LeaversError("engine.lock-held", EXIT_USAGE, "lock-held", holder=exc.holder) from None
    try:
        with Workspace.open(root) as ws:
            return await _remove_locked(settings, ws, only=only, transport=transport,
                                        client_factory=client_factory, cancel=cancel or threading.Event(),
                                        on_progress=on_progress)
    finally:
        lock.release()


async def _remove_locked(settings: Settings, ws: Workspace, *, only: Collection[str] | None,
                         transport: httpx.AsyncBaseTransport | None,
                         client_factory: Callable[[], MaileonClient] | None, cancel: threading.Event,
                         on_progress: Callable[[int, int], None] | None) -> Removal:
    wanted = set(only) if only is not None else None
    people = [p for p in removable(leavers(ws)) if wanted is None or p.person_no in wanted]
    result = Removal()
    if not people:
        return result
    for record in ws.journal.runs(50):  # an earlier removal that was killed: the journal says so
        if record.kind == RUN_KIND and record.state == "running":
            ws.journal.finish_run(record.id, "aborted", error={"key": "leavers.interrupted"})
    numbers = [p.person_no or "" for p in people]
    run_id = result.run_id = ws.journal.start_run(RUN_KIND, selection={"persons": numbers}, fields={}, options={})
    client = client_factory() if client_factory else open_client(settings, transport)
    try:
        async with client, learned_rate(client, ws):
            pulled = await unless_cancelled(pull_unsubscribes(client, ws), cancel)
            result.unsubscribes_pulled = len(pulled.new)
            await unless_cancelled(_delete_all(client, ws, run_id, people, result, settings, on_progress),
                                   cancel, grace_s=CANCEL_GRACE_S)
    except CancelRequested:
        _stop(ws, run_id, result, "leavers.cancelled", EXIT_ABORTED, None)
    except KeepsFailing as stop:
        _stop(ws, run_id, result, "leavers.stopped", EXIT_UNREACHABLE, stop.error.hint_id, detail=str(stop.error))
    except MaileonError as exc:
        code = EXIT_USAGE if exc.configuration else EXIT_UNREACHABLE
        _stop(ws, run_id, result, "leavers.stopped", code, exc.hint_id, detail=str(exc))
    if cancel.is_set() and result.done < len(people):
        _stop(ws, run_id, result, "leavers.cancelled", EXIT_ABORTED, None)
    counts = result.counts()
    ws.journal.finish_run(run_id, "done", counts=counts, report_line=report_line(counts))
    return result


def _stop(ws: Workspace, run_id: int, result: Removal, key: str, code: int, hint_id: str | None,
          **params: Any) -> None:
    ws.journal.finish_run(run_id, "aborted", counts=result.counts(),
                          error={"key": key, "hint_id": hint_id, "params": params})
    raise LeaversError(key, code, hint_id, run=run_id, done=result.done, **params)


async def _delete_all(client: MaileonClient, ws: Workspace, run_id: int, people: list[Leaver], result: Removal,
                      settings: Settings, on_progress: Callable[[int, int], None] | None) -> None:
    gate = asyncio.Semaphore(max(1, settings.maileon.single_call_concurrency))
    streak = FailureStreak()

    async def one(person: Leaver) -> None:
        number = person.person_no or ""
        async with gate:
            try:
                outcome, detail = await _delete_one(client, number)
            except MaileonError as exc:
                if exc.configuration:
                    raise  # the key or its rights: nobody else will succeed either
                outcome, detail = FAILED, f"{exc.hint_id}: {exc}"[:300]
                streak.failed(exc)  # raises KeepsFailing after several server-side failures in a row
            else:
                streak.answered()
        # journaled as each answer comes: a kill loses nothing that Maileon did
        ws.journal.record_outcomes(run_id, [ContactOutcome(person.key, person.email, person.status, outcome,
                                                           None, None, detail)])
        if outcome == DELETED:
            result.deleted.append(number)
        elif outcome == NOT_IN_MAILEON:
            result.not_in_maileon.append(number)
        else:
            result.failed.append((number, detail or ""))
        if on_progress is not None:
            on_progress(result.done, len(people))

    tasks = [asyncio.ensure_future(one(p)) for p in people]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _holders(client: MaileonClient, number: str) -> list[RemoteContact]:
    try:
        return await client.contacts_by_external_id(number)
    except NotFound:
        return []


async def _delete_one(client: MaileonClient, number: str) -> tuple[str, str | None]:
    """Look the number up, delete, look again: Maileon's answer to the DELETE alone does not tell "deleted"
    from "was not there" (undocumented), nor whether the deletion took effect."""
    before = await _holders(client, number)
    if not before:
        return NOT_IN_MAILEON, None
    await client.delete_contacts_by_external_id(number)
    if await _holders(client, number):
        return FAILED, "still-in-maileon"
    return DELETED, str(len(before))
