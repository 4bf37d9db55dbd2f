"""Select and pre-flight: which selected contacts go to Maileon, in which batch, and who is held back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import FieldMapping
from kufertui.core.validation import check_contact
from kufertui.maileon.xml import MaileonContact
from kufertui.store.contacts import ContactFilter
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.mapping import to_maileon

UPLOADABLE = frozenset({Status.J.value, Status.K.value})


@dataclass(slots=True)
class Planned:
    key: str
    email: str
    status: str
    contact: MaileonContact


@dataclass(slots=True)
class Plan:
    selected: int = 0
    sendable: list[Planned] = field(default_factory=list)
    held_back: list[ContactOutcome] = field(default_factory=list)  # rejected, suppressed, k-notice
    by_code: dict[str, int] = field(default_factory=dict)
    fixed_batches: list[tuple[int, int, list[Planned]]] | None = None  # a resumed run keeps its batches

    def batches(self, batch_size: int, permission_for_status: Mapping[str, int]
                ) -> list[tuple[int, int, list[Planned]]]:
        """(batch_no, permission, contacts): one permission per batch, J first, then K."""
        if self.fixed_batches is not None:
            return self.fixed_batches
        out: list[tuple[int, int, list[Planned]]] = []
        number = 0
        for status in (Status.J.value, Status.K.value):
            group = [p for p in self.sendable if p.status == status]
            for start in range(0, len(group), batch_size):
                number += 1
                out.append((number, permission_for_status[status], group[start:start + batch_size]))
        return out


def selection_filter(selection: ContactFilter) -> ContactFilter:
    """The selection restricted to J and K: N and empty are never uploaded, whatever was ticked."""
    statuses = (selection.statuses & UPLOADABLE) if selection.statuses else UPLOADABLE
    return ContactFilter(frozenset(statuses), selection.department, selection.dozent, selection.search)


def selected_ids(ws: Workspace, selection: ContactFilter, ids: Sequence[int] | None) -> list[int]:
    """The selection, fixed before the unsubscriber pull so that the report can count who dropped out."""
    if ids is not None:
        wanted = set(ids)
        return [i for i in ws.contacts.ids(ContactFilter(UPLOADABLE)) if i in wanted]
    return ws.contacts.ids(selection_filter(selection))


def build_plan(contacts: Iterable[Contact], mappings: Sequence[FieldMapping], *, import_field: str,
               suppressed: set[str], declared_custom: Mapping[str, str] | None,
               k_allowed: bool = True) -> Plan:
    """Pre-flight every selected contact with Maileon's rules and the suppression ledger."""
    plan = Plan()
    seen: set[str] = set()
    declared = dict(declared_custom) if declared_custom is not None else None
    if declared is not None:
        declared.setdefault(import_field, "boolean")  # created before the upload if missing

    def hold(c: Contact, outcome: str, code: str, detail: str = "") -> None:
        plan.held_back.append(ContactOutcome(c.key, c.email, c.status.value, outcome, None, code, detail))
        plan.by_code[code] = plan.by_code.get(code, 0) + 1

    for contact in contacts:
        plan.selected += 1
        email_lc = contact.email.lower()
        if contact.status == Status.N:  # selected, then unsubscribed in Maileon: this run's pull set N
            hold(contact, "unsubscribed", "unsubscribed-in-maileon")
            continue
        if contact.status not in (Status.J, Status.K):
            hold(contact, "rejected", "status-not-uploadable")
            continue
        if email_lc in suppressed:
            hold(contact, "suppressed", "suppressed")
            continue
        if contact.status == Status.K and not k_allowed:
            hold(contact, "held", "k-notice-missing")
            continue
        mc = to_maileon(contact, mappings, import_field)
        problems = check_contact(mc.email, mc.standard_fields, mc.custom_fields, declared)
        if email_lc in seen:
            hold(contact, "rejected", "preflight:5", contact.email)
            continue
        if problems:
            first = problems[0]
            hold(contact, "rejected", f"preflight:{first.code}",
                 "; ".join(f"{p.field}={p.detail}" if p.detail else str(p.field) for p in problems))
            continue
        seen.add(email_lc)
        plan.sendable.append(Planned(contact.key, contact.email, contact.status.value, mc))
    return plan
