"""``POST /contacts`` (bulk sync) semantics of the simulator: parse, validate, apply, report."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..maileon.xml import parse_xml
from .state import SimContact, SimState
from .validation import (
    STANDARD_FIELDS,
    UNCODED_STRINGS,
    custom_error,
    normalise_custom,
    standard_error,
    valid_email,
)


class SyncRequestError(ValueError):
    """Whole request rejected (HTTP 400)."""


@dataclass
class SyncParams:
    permission: int | None = None  # None = parameter absent
    sync_mode: int = 2
    use_external_id: bool = False
    prefer_maileon_id: bool = False
    ignore_invalid_contacts: bool = False
    override_permission: bool = True
    reimport_unsubscribed_contacts: bool = True  # PHP default [C-client]
    update_only: bool = False


@dataclass
class IncomingContact:
    email: str | None
    external_id: str | None
    maileon_id: int | None
    standard: dict[str, str | None] = field(default_factory=dict)
    custom: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Invalid:
    email: str | None
    external_id: str | None
    code: int
    field: str | None


@dataclass
class Report:
    success: bool = True
    count_contacts: int = 0
    count_new_contacts: int = 0
    count_existing_contacts: int = 0
    count_unsubscribed_contacts: int = 0
    count_invalid_contacts: int = 0
    invalid: list[Invalid] = field(default_factory=list)


def _val(el: etree._Element | None) -> str | None:
    if el is None or el.get("nil") == "true":
        return None
    return (el.text or "").strip()


def _fields(group: etree._Element | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    if group is None:
        return out
    for f in group:  # direct child loops: this is the hot path of the simulator
        if f.tag != "field":
            continue
        name: str | None = None
        value: str | None = None
        for part in f:
            if part.tag == "name":
                name = (part.text or "").strip()
            elif part.tag == "value":
                value = None if part.get("nil") == "true" else (part.text or "").strip()
        if name:
            out[name] = value
    return out


def parse_body(data: bytes) -> list[IncomingContact]:
    try:
        root = parse_xml(data)
    except ValueError as exc:
        raise SyncRequestError(str(exc)) from None
    if root.tag not in ("contacts", "contact"):
        raise SyncRequestError(f"expected <contacts>, got <{root.tag}>")
    out: list[IncomingContact] = []
    # child order is irrelevant: everything is dispatched by tag
    for c in [root] if root.tag == "contact" else root:
        if c.tag != "contact":
            continue
        item = IncomingContact(None, None, None)
        for part in c:
            tag = part.tag
            if tag == "email":
                item.email = _val(part) or None
            elif tag == "external_id":
                item.external_id = _val(part) or None
            elif tag == "id":
                raw_id = _val(part)
                try:
                    item.maileon_id = int(raw_id) if raw_id else None
                except ValueError:
                    raise SyncRequestError(f"contact id is not a number: {raw_id[:20]!r}") from None
            elif tag == "standard_fields":
                item.standard = _fields(part)
            elif tag == "custom_fields":
                item.custom = _fields(part)
        out.append(item)
    return out


def validate_contact(state: SimState, c: IncomingContact, p: SyncParams) -> tuple[int, str | None] | None:
    if p.use_external_id and not c.external_id:
        return 1, None
    if c.email is not None and not valid_email(c.email):
        return 3, None
    if not p.use_external_id and c.email is None and not (p.prefer_maileon_id and c.maileon_id):
        return 2, None
    for name, value in c.standard.items():
        if value is None:
            continue
        code = standard_error(name.upper(), value)
        if code is not None:
            return code, name.upper()
    for name, value in c.custom.items():
        type_ = state.custom_fields.get(name)
        if type_ is None:
            return 21, name
        if value is not None and value != "":
            code = custom_error(type_, value)
            if code is not None:
                return code, name
    return None


def _find(state: SimState, c: IncomingContact, p: SyncParams) -> SimContact | None:
    if p.use_external_id:
        found = state.by_external_id(c.external_id or "")
        return found[0] if found else None
    if p.prefer_maileon_id and c.maileon_id is not None:
        hit = state.by_id(c.maileon_id)
        if hit is not None:
            return hit
    return state.contacts.get((c.email or "").lower()) if c.email else None


def apply_fields(state: SimState, target: SimContact, c: IncomingContact) -> None:
    for name, value in c.standard.items():
        key = name.upper()
        if key not in STANDARD_FIELDS:
            continue  # unknown standard names are ignored [U]
        if value is None:
            target.standard.pop(key, None)
        else:
            target.standard[key] = value[:255] if key in UNCODED_STRINGS else value
    for name, value in c.custom.items():
        if value is None or value == "":
            target.custom.pop(name, None)
        else:
            target.custom[name] = normalise_custom(state.custom_fields[name], value)


def run_sync(state: SimState, data: bytes, p: SyncParams) -> tuple[Report, bool]:
    """Returns (report, persisted). With ignore_invalid_contacts=false and any invalid contact
    nothing is written and the caller answers 400 [I: all-or-nothing is our reading, §2.6]."""
    if p.use_external_id and p.prefer_maileon_id:
        raise SyncRequestError("use_external_id and prefer_maileon_id must not both be true")
    incoming = parse_body(data)
    if len(incoming) > state.max_batch:
        raise SyncRequestError(f"too many contacts: {len(incoming)} > {state.max_batch}")
    report = Report(count_contacts=len(incoming))
    with state.lock:
        plan: list[tuple[IncomingContact, SimContact | None]] = []
        seen_emails: set[str] = set()
        seen_eids: set[str] = set()
        for c in incoming:
            problem = validate_contact(state, c, p)
            email_key = (c.email or "").lower()
            # duplicates in one call: the first occurrence is synced, later ones are invalid [I]
            if problem is None and p.use_external_id and c.external_id in seen_eids:
                problem = (4, None)
            if problem is None and not p.use_external_id and email_key and email_key in seen_emails:
                problem = (5, None)
            existing = _find(state, c, p) if problem is None else None
            # An existing contact that already carries this external id keeps it: no other contact can own it,
            # since every assignment passed this check (saves a lookup per contact on a re-sync).
            if problem is None and not p.use_external_id and c.external_id and (
                    existing is None or existing.external_id != c.external_id):
                owners = [o for o in state.by_external_id(c.external_id) if o is not existing]
                if owners:
                    problem = (4, None)  # external id already used by another contact
            if problem is not None:
                report.invalid.append(Invalid(c.email, c.external_id, problem[0], problem[1]))
                continue
            if email_key:
                seen_emails.add(email_key)
            if c.external_id:
                seen_eids.add(c.external_id)
            plan.append((c, existing))
        report.count_invalid_contacts = len(report.invalid)
        if report.invalid and not p.ignore_invalid_contacts:
            report.success = False
            return report, False
        now = state.clock.now_ms()
        for c, existing in plan:
            if not p.reimport_unsubscribed_contacts and c.email and c.email.lower() in state.markers:
                report.count_unsubscribed_contacts += 1
                continue
            if existing is not None:
                report.count_existing_contacts += 1
                if p.sync_mode == 1:
                    apply_fields(state, existing, c)
                    if c.external_id and c.external_id != existing.external_id:
                        existing.external_id = c.external_id
                        state.eid_generation += 1
                    if p.override_permission and p.permission is not None:
                        existing.permission = p.permission
                    existing.updated_ms = now
                continue
            if p.update_only:
                continue
            if not c.email:
                report.invalid.append(Invalid(c.email, c.external_id, 2, None))  # new contacts need an email
                continue
            new = SimContact(id=state.new_id(), email=c.email, external_id=c.external_id,
                             permission=p.permission if p.permission is not None else 1,
                             created_ms=now, updated_ms=now)
            apply_fields(state, new, c)
            state.add_contact(new)
            report.count_new_contacts += 1
        report.count_invalid_contacts = len(report.invalid)
    return report, True


def render_report(report: Report) -> bytes:
    root = etree.Element("report")
    sub = etree.SubElement
    sub(root, "success").text = "true" if report.success else "false"
    for name in ("count_contacts", "count_new_contacts", "count_existing_contacts",
                 "count_unsubscribed_contacts", "count_invalid_contacts"):
        sub(root, name).text = str(getattr(report, name))
    if report.invalid:
        group = sub(root, "invalid_contacts")
        for inv in report.invalid:
            c = sub(group, "contact")
            for tag, value in (("email", inv.email), ("external_id", inv.external_id)):
                el = sub(c, tag)
                if value is None:
                    el.set("nil", "true")
                else:
                    el.text = value
            err = sub(c, "error", code=str(inv.code))
            ef = sub(err, "error_field")
            if inv.field is None:
                ef.set("nil", "true")
            else:
                ef.text = inv.field
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
