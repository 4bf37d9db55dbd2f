"""A changed e-mail in KUFER moves the contact in Maileon.

We send the KUFER number as external id. When a person's address changed since an earlier transfer,
Maileon rejects the new address with code 4 (the external id belongs to another contact: the one with the
old address). Such a reject is moved the documented way, by the old address (``PUT /contacts/email/{old}``
with the new address and this run's fields), and without a permission, so Maileon keeps the one it holds;
but only when the contact holding the id is ours: an address an earlier run sent for this very person. A
holder we never sent (another source, a reused number) is left alone, and the reject stays as it was.

Nothing is guessed: several contacts with the id, a new address Maileon already knows (a contact of its own,
or an unsubscription marker: unsubscribed or blocked), or a 409 change nothing and are reported with both
addresses and a hint. An address on the suppression ledger, or a person opted out by number, is never moved.

Each move is journaled with its batch when the batch's result is checkpointed (``Journal.batch_sent``), and as
done when it ends, so a resumed run performs exactly the moves left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import Conflict, MaileonError, NotFound
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.internals.breaker import FailureStreak, KeepsFailing
from kufertui.sync.plan import Planned

CODE_EXTERNAL_ID_TAKEN = 4
CONFLICT_CODE = "email-move-conflict"  # several holders of the number, or Maileon refused the move (409)
TARGET_EXISTS_CODE = "email-move-target-exists"  # the new address is already a contact in Maileon
TARGET_UNSUBSCRIBED_CODE = "email-move-target-unsubscribed"  # ... or carries an unsubscription marker


@dataclass(slots=True)
class MoveResult:
    moved: int = 0
    conflicts: list[str] = field(default_factory=list)  # "old → new" (or the new e-mail) left as rejected
    # (code, "old → new"): the new address is Maileon's already (TARGET_EXISTS_CODE / TARGET_UNSUBSCRIBED_CODE)
    target_known: list[tuple[str, str]] = field(default_factory=list)


async def move_changed_emails(client: MaileonClient, ws: Workspace, run_id: int,
                              candidates: list[tuple[int, Planned]], *, concurrency: int = 8,
                              fatal: Callable[[MaileonError], bool] = lambda exc: False) -> MoveResult:
    """``candidates``: (batch no, contact) of this run's journaled moves (code-4 rejects with an external id).
    Each move ends journaled (moved: invalid → existing in its batch; conflict; left as the reject), so the
    report line still adds up and a resume does only what is left. Several moves in a row failing
    server-side stop the rest with KeepsFailing (``breaker.py``); those stay pending."""
    result = MoveResult()
    gate = asyncio.Semaphore(max(1, concurrency))
    streak = FailureStreak()
    opted_out = ws.ledger.opted_out_numbers()
    sent_before = ws.journal.sent_emails((p.key for _no, p in candidates), except_run=run_id)

    def leave(p: Planned) -> None:
        ws.journal.finish_move(run_id, p.key, "left")

    def refuse(batch_no: int, p: Planned, code: str, detail: str) -> None:
        ws.journal.finish_move(run_id, p.key, "conflict", [ContactOutcome(
            p.key, p.email, p.status, "invalid", batch_no, code, detail[:200])])

    async def move(batch_no: int, p: Planned) -> None:
        eid = p.contact.external_id
        if not eid or ws.ledger.contains(p.email) or eid in opted_out:
            leave(p)  # not ours to move, or an address (a person) that must never be mailed
            return
        earlier = sent_before.get(p.key, set())
        if not earlier:
            leave(p)  # never sent by us: whoever holds the number in Maileon is not this person's old entry
            return
        old = ""
        async with gate:
            try:
                holders = await client.contacts_by_external_id(eid)
                if len(holders) > 1:
                    streak.answered()
                    result.conflicts.append(p.email)
                    refuse(batch_no, p, CONFLICT_CODE, ", ".join(h.email or "?" for h in holders[:3]))
                    return
                old = (holders[0].email or "") if holders else ""
                if old.lower() == p.email.lower():  # an interrupted attempt moved it already
                    streak.answered()
                    _moved(ws, run_id, batch_no, p, old)
                    result.moved += 1
                    return
                if old.lower() not in earlier:
                    streak.answered()
                    leave(p)  # nobody, or an address we never sent for this person: leave it alone
                    return
                both = f"{old} → {p.email}"
                # the new address must be nobody's in Maileon: a contact of its own, or unsubscribed/blocked there
                if await client.contact_by_email(p.email) is not None:
                    code = TARGET_EXISTS_CODE
                elif await client.has_unsubscription_marker(p.email):
                    code = TARGET_UNSUBSCRIBED_CODE
                else:
                    code = ""
                if code:
                    streak.answered()
                    result.target_known.append((code, both))
                    refuse(batch_no, p, code, both)
                    return
                await client.update_contact_by_email(old, p.contact)
                # read back: the new address is now the contact with our number (else it is not counted moved)
                after = await client.contact_by_email(p.email)
                if after is None or (after.external_id or "") != eid:
                    streak.answered()
                    result.conflicts.append(p.email)
                    refuse(batch_no, p, CONFLICT_CODE, f"{both}: not found moved when read back")
                    return
            except NotFound:
                streak.answered()
                leave(p)  # the old contact is gone meanwhile: stays a reject, the next run creates it
                return
            except Conflict as exc:
                streak.answered()
                result.conflicts.append(p.email)
                refuse(batch_no, p, CONFLICT_CODE, f"{old} → {p.email}: {exc.detail or ''}")
                return
            except MaileonError as exc:
                if fatal(exc):
                    raise
                streak.failed(exc)
                return  # stays pending: a resumed run tries again, else the next run meets code 4 again
        streak.answered()
        result.moved += 1
        _moved(ws, run_id, batch_no, p, old)

    try:
        async with asyncio.TaskGroup() as group:
            for batch_no, p in candidates:
                group.create_task(move(batch_no, p))
    except BaseExceptionGroup as failures:
        # raised as itself (a fatal answer first), so the engine shows its hint, not a group's traceback
        first = [e for e in failures.exceptions if isinstance(e, MaileonError)]
        first += [e for e in failures.exceptions if isinstance(e, KeepsFailing)]
        if first:
            raise first[0] from None
        raise
    return result


def _moved(ws: Workspace, run_id: int, batch_no: int, p: Planned, old: str) -> None:
    ws.journal.revise_batch(run_id, batch_no, {"invalid": -1, "existing": 1, "moved": 1},
                            [ContactOutcome(p.key, p.email, p.status, "sent", batch_no, "moved", old[:200] or None)],
                            move_done=p.key)
