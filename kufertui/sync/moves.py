"""A changed e-mail in KUFER moves the contact in Maileon.

We send the KUFER number as external id. When a person's address changed since an earlier transfer,
Maileon rejects the new address with code 4 (the external id belongs to another contact: the one with the
old address). For such a reject the contact is updated by its external id, which gives it the new address
and this run's fields, but only when the contact holding the id is ours: an address an earlier run sent
for this very person. A holder we never sent (another source, a reused number) is left alone, and the
reject stays as it was. Nothing is guessed: several contacts with the id, or a new address that is already
another contact's (409), change nothing and are reported with a hint; an address on the suppression ledger
is never moved onto.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import Conflict, MaileonError, NotFound
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.breaker import FailureStreak, KeepsFailing
from kufertui.sync.plan import Planned

CODE_EXTERNAL_ID_TAKEN = 4
CONFLICT_CODE = "email-move-conflict"


@dataclass(slots=True)
class MoveResult:
    moved: int = 0
    conflicts: list[str] = field(default_factory=list)  # e-mails left as rejected


async def move_changed_emails(client: MaileonClient, ws: Workspace, run_id: int,
                              candidates: list[tuple[int, int, Planned]], *, concurrency: int = 8,
                              fatal: Callable[[MaileonError], bool] = lambda exc: False) -> MoveResult:
    """``candidates``: (batch no, permission, contact) of this run's code-4 rejects with an external id.
    Each move is journaled with its batch (invalid → existing), so the report line still adds up.
    Several moves in a row failing server-side stop the rest with KeepsFailing (``breaker.py``)."""
    result = MoveResult()
    gate = asyncio.Semaphore(max(1, concurrency))
    streak = FailureStreak()

    async def move(batch_no: int, permission: int, p: Planned) -> None:
        eid = p.contact.external_id
        if not eid or ws.ledger.contains(p.email):
            return  # not ours to move, or an address that must never be mailed
        earlier = ws.journal.earlier_emails(p.key, run_id)
        if not earlier:
            return  # never sent by us: whoever holds the number in Maileon is not this person's old entry
        async with gate:
            try:
                holders = await client.contacts_by_external_id(eid)
                if len(holders) > 1:
                    raise Conflict("several contacts with this external id", status=409,
                                   detail=", ".join(h.email or "?" for h in holders[:3]))
                if not holders or (holders[0].email or "").lower() not in earlier:
                    streak.answered()
                    return  # the holder is not an address we sent for this person: leave it alone
                await client.update_contact_by_external_id(eid, p.contact, permission)
            except NotFound:
                streak.answered()
                return  # the owner is gone meanwhile: stays a reject, the next run creates it
            except Conflict as exc:
                streak.answered()
                result.conflicts.append(p.email)
                ws.journal.record_outcomes(run_id, [ContactOutcome(
                    p.key, p.email, p.status, "invalid", batch_no, CONFLICT_CODE, (exc.detail or "")[:200])])
                return
            except MaileonError as exc:
                if fatal(exc):
                    raise
                streak.failed(exc)
                return  # stays a code-4 reject; the next run tries again
        streak.answered()
        result.moved += 1
        ws.journal.revise_batch(run_id, batch_no, {"invalid": -1, "existing": 1, "moved": 1},
                                [ContactOutcome(p.key, p.email, p.status, "sent", batch_no, "moved", None)])

    try:
        async with asyncio.TaskGroup() as group:
            for batch_no, permission, p in candidates:
                group.create_task(move(batch_no, permission, p))
    except BaseExceptionGroup as failures:
        # raised as itself (a fatal answer first), so the engine shows its hint, not a group's traceback
        first = [e for e in failures.exceptions if isinstance(e, MaileonError)]
        first += [e for e in failures.exceptions if isinstance(e, KeepsFailing)]
        if first:
            raise first[0] from None
        raise
    return result
