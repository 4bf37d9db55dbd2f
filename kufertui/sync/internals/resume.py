"""Rebuild the rest of an interrupted upload from the journal, without sending a batch twice.

A resumed run keeps the selection it started with, less the persons a full export has shown to have left
KUFER since (README.md, "People who leave KUFER"): they are journaled with the outcome ``left`` (out of the
selection, so not counted in the report) and never sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kufertui.core.contact import Status
from kufertui.core.fields import FieldMapping
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.mapping import ContactMapper
from kufertui.sync.plan import Plan, Planned

LEFT = "left"  # the outcome of a person who left KUFER after the run began: out of its selection


def drop_leavers(ws: Workspace, run_id: int, ids: Sequence[int]) -> list[int]:
    """The run's stored selection without the persons who left KUFER since; those not journaled yet get the
    outcome ``left`` (the planned ones in an unsent batch are plan_for_resume's)."""
    gone = ws.contacts.left_keys()
    leaving = [i for i in ids if i in gone]
    if not leaving:
        return list(ids)
    journaled = {o.contact_key for o in ws.journal.outcomes(run_id)}
    ws.journal.record_outcomes(run_id, [ContactOutcome(c.key, c.email, c.status.value, LEFT, None, None)
                                        for _, c in ws.contacts.iter_contacts(ids=leaving) if c.key not in journaled])
    return [i for i in ids if i not in gone]


def plan_for_resume(ws: Workspace, run_id: int, mappings: Sequence[FieldMapping], import_field: str,
                    segment_marks: Mapping[str, frozenset[str]] | None = None) -> Plan:
    """The batches not yet confirmed by Maileon, with their original composition.

    A contact that unsubscribed since the run began (now on the ledger) is taken out of its batch:
    nobody on the ledger is ever sent again. So is a person who left KUFER since (outcome ``left``).
    """
    plan = Plan()
    suppressed = ws.ledger.emails()
    gone = set(ws.contacts.left_keys().values())
    contacts_by_key = {c.key: c for _, c in ws.contacts.iter_contacts()}
    to_maileon = ContactMapper(mappings, import_field, segment_marks)
    pending: list[tuple[int, int, list[Planned]]] = []
    dropped: list[ContactOutcome] = []
    for batch_no, state, _size, permission, _report in ws.journal.batches(run_id):
        if state == "done":
            continue
        members: list[Planned] = []
        for key in ws.journal.batch_contacts(run_id, batch_no):
            contact = contacts_by_key.get(key)
            if contact is None:
                continue
            if contact.email.lower() in suppressed or contact.status == Status.N:
                dropped.append(ContactOutcome(key, contact.email, contact.status.value, "unsubscribed",
                                              batch_no, "unsubscribed-in-maileon"))
                continue
            if key in gone:
                dropped.append(ContactOutcome(key, contact.email, contact.status.value, LEFT, batch_no, None))
                continue
            members.append(Planned(key, contact.email, contact.status.value,
                                   to_maileon(contact)))
        pending.append((batch_no, permission, members))
    if dropped:
        ws.journal.record_outcomes(run_id, dropped)
    plan.fixed_batches = [b for b in pending if b[2]]
    # batches emptied by unsubscribes count as done: nothing is left to send for them
    for batch_no, _permission, members in pending:
        if not members:
            ws.journal.batch_sent(run_id, batch_no, {"new": 0, "existing": 0, "invalid": 0, "unsubscribed": 0,
                                                     "contacts": 0})
    plan.sendable = [p for _, _, members in plan.fixed_batches for p in members]
    plan.selected = sum(n for outcome, n in ws.journal.outcome_counts(run_id).items() if outcome != LEFT)
    return plan
