"""Select and pre-flight: which selected contacts go to Maileon, in which batch, and who is held back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kufertui.config import Settings
from kufertui.core.contact import UPLOADABLE_STATUSES, Contact, Status, contact_key
from kufertui.core.fields import FieldMapping, custom_field_types
from kufertui.core.legal import k_notice_confirmed
from kufertui.core.validation import (
    LENGTH_CODES,
    MAX_LEN,
    NOT_XML_CHARS,
    RULED_STANDARD_FIELDS,
    Problem,
    check_contact,
    email_problems,
)
from kufertui.maileon.xml import MaileonContact
from kufertui.store.contacts import ContactFilter
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync.mapping import ContactMapper


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


def selection_filter(selection: ContactFilter) -> ContactFilter:
    """The selection restricted to J and K: N and empty are never uploaded, whatever was ticked."""
    statuses = (selection.statuses & UPLOADABLE_STATUSES) if selection.statuses else UPLOADABLE_STATUSES
    return ContactFilter(frozenset(statuses), selection.department, selection.dozent, selection.search)


def selected_ids(ws: Workspace, selection: ContactFilter, ids: Sequence[int] | None) -> list[int]:
    """The selection, fixed before the unsubscriber pull so that the report can count who dropped out."""
    if ids is not None:
        wanted = set(ids)
        return [i for i in ws.contacts.ids(ContactFilter(UPLOADABLE_STATUSES)) if i in wanted]
    if selection.statuses and not selection.statuses & UPLOADABLE_STATUSES:
        return []  # only N and/or empty asked for: nobody (an empty status set would mean everybody)
    return ws.contacts.ids(selection_filter(selection))


class Preflight:
    """Maileon's rules and the suppression ledger for one contact at a time (in selection order)."""

    def __init__(self, mappings: Sequence[FieldMapping], *, import_field: str, suppressed: set[str],
                 declared_custom: Mapping[str, str] | None, k_allowed: bool = True,
                 segment_marks: Mapping[str, frozenset[str]] | None = None,
                 suppressed_numbers: set[str] | None = None) -> None:
        self.mappings = mappings
        self.import_field = import_field
        self.segment_marks = dict(segment_marks or {})
        self.to_maileon = ContactMapper(mappings, import_field, self.segment_marks)
        self.suppressed = suppressed
        self.suppressed_numbers = suppressed_numbers or set()  # persons opted out by KUFER number
        self.k_allowed = k_allowed
        self.declared = dict(declared_custom) if declared_custom is not None else None
        if self.declared is not None:
            for name in (import_field, *self.segment_marks):
                self.declared.setdefault(name, "boolean")  # created before the upload if missing
            for name, kind in custom_field_types(mappings).items():
                self.declared.setdefault(name, kind)  # so are the mapped custom fields
        self.seen: set[str] = set()  # e-mails already planned in this run: later duplicates are rejected
        self.by_code: dict[str, int] = {}
        # what check_row needs after e-mail, status and KUFER number: a pass over many contacts reads only these
        self.fields = self.to_maileon.fields
        self._at_once = _rules_at_once(self)  # see check_rows: None, or whether a length rule applies
        self.chunks_at_once = 0  # chunks check_rows took in one look (the tests see the fast way is taken)

    def check(self, contact: Contact) -> Planned | ContactOutcome:
        """The contact to send, or why it is held back."""
        return self.check_values(contact.key, contact.email, contact.status, contact.person_no,
                                 self.to_maileon.values_of(contact))

    def check_row(self, row: Sequence[Any]) -> Planned | ContactOutcome:
        """``check`` of a contact read as ``[id, e-mail, status, KUFER number, *self.fields]``
        (``ContactStore.field_rows``): a pass over many contacts builds no Contact objects."""
        email, person_no = row[1], row[3]
        return self.check_values(contact_key(person_no, email.lower()), email, row[2], person_no, row[4:])

    def check_rows(self, rows: Sequence[Sequence[Any]]) -> list[Planned | ContactOutcome]:
        """``check_row`` of each row, in order. A chunk whose values break none of Maileon's field rules (the usual
        one: no character XML cannot carry, no text too long) is looked at once for those, and then contact by
        contact only for the rest (status, ledger, duplicates, the address): the verdicts are the same."""
        at_once = self._at_once
        if at_once is None or not rows:
            return [self.check_row(row) for row in rows]
        texts = [value for row in rows for value in row[1:] if value.__class__ is str]
        # any text too long (of a length-ruled field, or another: then needlessly) sends the chunk the slow way
        if NOT_XML_CHARS.search("".join(texts)) or (at_once.length_ruled and max(map(len, texts)) > MAX_LEN):
            return [self.check_row(row) for row in rows]
        self.chunks_at_once += 1
        out: list[Planned | ContactOutcome] = []
        seen, from_values = self.seen, self.to_maileon.from_values
        for row in rows:
            email, status, person_no = row[1], row[2], row[3]
            email_lc = email.lower()
            key = contact_key(person_no, email_lc)
            held = self._held_before_mapping(key, email, email_lc, status, person_no)
            if held is None:
                if email_lc in seen:
                    held = self._hold(key, email, status, "rejected", "preflight:5", email)
                else:
                    held = self._rejected(key, email, status, email_problems(email))
            if held is not None:
                out.append(held)
                continue
            seen.add(email_lc)
            out.append(Planned(key, email, status, from_values(key, email, person_no, row[4:])))
        return out

    def _held_before_mapping(self, key: str, email: str, email_lc: str, status: str,
                             person_no: str | None) -> ContactOutcome | None:
        if status == Status.N:  # selected, then unsubscribed in Maileon: this run's pull set N
            return self._hold(key, email, status, "unsubscribed", "unsubscribed-in-maileon")
        if status not in UPLOADABLE_STATUSES:
            return self._hold(key, email, status, "rejected", "status-not-uploadable")
        if email_lc in self.suppressed:
            return self._hold(key, email, status, "suppressed", "suppressed")
        if person_no and person_no in self.suppressed_numbers:  # under any address
            return self._hold(key, email, status, "suppressed", "opted-out-person")
        if status == Status.K and not self.k_allowed:
            return self._hold(key, email, status, "held", "k-notice-missing")
        return None

    def check_values(self, key: str, email: str, status: str, person_no: str | None,
                     values: Sequence[object]) -> Planned | ContactOutcome:
        """``check`` of a contact given as its key, e-mail, status, KUFER number and the values of ``fields``."""
        status = str(status)  # a Status is its value
        email_lc = email.lower()
        held = self._held_before_mapping(key, email, email_lc, status, person_no)
        if held is not None:
            return held
        mc = self.to_maileon.from_values(key, email, person_no, values)
        custom = mc.custom_fields
        texts = [mc.email, mc.external_id or "", *filter(None, mc.standard_fields.values()),
                 *(v for v in custom.values() if isinstance(v, str))]
        if NOT_XML_CHARS.search("".join(texts)):
            return self._hold(key, email, status, "rejected", "control-characters")  # imported before cleaning
        problems = check_contact(mc.email, mc.standard_fields, custom, self.declared)
        if email_lc in self.seen:
            return self._hold(key, email, status, "rejected", "preflight:5", email)
        rejected = self._rejected(key, email, status, problems)
        if rejected is not None:
            return rejected
        self.seen.add(email_lc)
        return Planned(key, email, status, mc)

    def _rejected(self, key: str, email: str, status: str, problems: list[Problem]) -> ContactOutcome | None:
        """Held back for the first of Maileon's rules it breaks (all of them in the detail); None: none."""
        if not problems:
            return None
        return self._hold(key, email, status, "rejected", f"preflight:{problems[0].code}",
                          "; ".join(f"{p.field}={p.detail}" if p.detail else str(p.field) for p in problems))

    def _hold(self, key: str, email: str, status: str, outcome: str, code: str, detail: str = "") -> ContactOutcome:
        self.by_code[code] = self.by_code.get(code, 0) + 1
        return ContactOutcome(key, email, status, outcome, None, code, detail)


@dataclass(frozen=True, slots=True)
class _AtOnce:
    length_ruled: bool  # a mapped field has a length rule: a chunk with a longer text goes contact by contact


def _rules_at_once(preflight: Preflight) -> _AtOnce | None:
    """Whether ``check_rows`` can look at a whole chunk: the mapping fills standard fields with text as it is
    (ContactMapper: no value map), none of them has a rule but the length (dates, gender and locale are checked
    contact by contact), and the custom fields we set (the import field, segment fields) pass their declared
    types. Then a contact's only possible problems are its address and what a chunk shows at once. None where
    a chunk must go contact by contact."""
    if not preflight.to_maileon.plain:
        return None
    names = [m.maileon_field for m in preflight.mappings]
    if any(name not in LENGTH_CODES and name in RULED_STANDARD_FIELDS for name in names):
        return None
    for value in (True, False):  # the import field's mark, a segment's either way
        marks = {name: value for name in (preflight.import_field, *preflight.segment_marks)}
        if check_contact("a@b.de", {}, marks, preflight.declared):
            return None
    return _AtOnce(any(name in LENGTH_CODES for name in names))


def run_preflight(settings: Settings, ws: Workspace, mappings: Sequence[FieldMapping], *,
                  declared_custom: Mapping[str, str] | None,
                  segment_marks: Mapping[str, frozenset[str]] | None = None,
                  today: date | None = None) -> Preflight:
    """The pre-flight exactly as a run builds it: the ledger's e-mails and persons opted out by number are
    suppressed, K waits for the § 7 Abs. 3 UWG confirmation (a date, not in the future: core.legal).
    `declared_custom` is None where Maileon's custom fields are not known (the contact dialog works
    offline); then their types go unchecked. The contact dialog asks this one."""
    k_allowed = k_notice_confirmed(settings.legal.k_notice_confirmed_on, today)
    return Preflight(mappings, import_field=settings.maileon.import_field, suppressed=ws.ledger.emails(),
                     declared_custom=declared_custom, k_allowed=k_allowed, segment_marks=segment_marks,
                     suppressed_numbers=ws.ledger.opted_out_numbers())


def plan_with(preflight: Preflight, contacts: Iterable[Contact]) -> Plan:
    plan = Plan()
    for contact in contacts:
        plan.selected += 1
        checked = preflight.check(contact)
        if isinstance(checked, Planned):
            plan.sendable.append(checked)
        else:
            plan.held_back.append(checked)
    plan.by_code = preflight.by_code
    return plan


@dataclass(slots=True)
class ContactVerdict:
    """What a run with the current selection would do with one contact (the contact dialog shows it)."""

    outcome: Planned | ContactOutcome
    selected: bool  # the selection holds the contact: a run takes it (else: what it would do if it did)
    sent_instead: int | None = None  # held back as a duplicate: the contact sent with this address


def contact_verdict(settings: Settings, ws: Workspace, mappings: Sequence[FieldMapping], contact_id: int,
                    selection: ContactFilter, ids: Sequence[int] | None) -> ContactVerdict | None:
    """The run's own pre-flight on one contact, in the run's order (id order of the selection): the contacts
    of the selection with the same address come first, so a later duplicate is held back exactly as a run
    holds it back (code 5), and an earlier one held back for another reason lets this one through."""
    contact = ws.contacts.get(contact_id)
    if contact is None:
        return None
    chosen = set(selected_ids(ws, selection, ids))
    email_lc = contact.email.lower()  # as Preflight.check compares them
    same: list[tuple[int, Contact]] = []
    if email_lc.strip():  # every contact whose search text holds the address, then the exact ones
        candidates = ws.contacts.ids(ContactFilter(frozenset(), search=contact.email))
        same = [(i, c) for i, c in ws.contacts.iter_contacts(ids=[i for i in candidates if i in chosen])
                if i < contact_id and c.email.lower() == email_lc]
    preflight = run_preflight(settings, ws, mappings, declared_custom=None)
    sent_instead = None
    for other_id, other in same:
        if isinstance(preflight.check(other), Planned) and sent_instead is None:
            sent_instead = other_id
    outcome = preflight.check(contact)
    duplicate = isinstance(outcome, ContactOutcome) and outcome.code == "preflight:5"
    return ContactVerdict(outcome, contact_id in chosen, sent_instead if duplicate else None)
