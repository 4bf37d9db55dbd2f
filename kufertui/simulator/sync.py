"""``POST /contacts`` (bulk sync) semantics of the simulator: parse, validate, apply, report."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..maileon.xml import parse_xml
from .state import SimContact, SimState
from .validation import (
    LENGTH_ONLY_CODES,
    SPECIAL_STANDARD,
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


@dataclass(slots=True)
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


# Parsing a 1000-contact body is the simulator's hot path. The walk below takes each element's children
# as a list (``el[:]``, same children as iterating, in document order) because creating an iterator per
# small element cost more than everything else; only direct children at the expected depth are read.


def _text(el: etree._Element) -> str | None:
    """Stripped text; None for ``nil="true"``."""
    return None if el.get("nil") == "true" else (el.text or "").strip()


def _fields(group: etree._Element) -> dict[str, str | None]:
    """``<field><name/><value/></field>`` children of a group; fields without a name are ignored and the
    last ``name``/``value`` of a field counts. A name seen again keeps its first position, last value."""
    out: dict[str, str | None] = {}
    for f in group[:]:
        if f.tag != "field":
            continue
        parts = f[:]
        if len(parts) == 2:
            # the usual shape, exactly <name/><value/>: no loop needed
            n, v = parts
            if n.tag == "name" and v.tag == "value":
                name = n.text
                if name and (name := name.strip()):
                    out[name] = _text(v)
                continue
        name: str | None = None
        value: str | None = None
        for part in parts:
            tag = part.tag
            if tag == "name":
                name = part.text
            elif tag == "value":
                value = _text(part)
        if name and (name := name.strip()):
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
    # child order is irrelevant: everything is dispatched by tag; a repeated element: the last one counts
    for c in [root] if root.tag == "contact" else root[:]:
        if c.tag != "contact":
            continue
        email: str | None = None
        external_id: str | None = None
        maileon_id: int | None = None
        standard: dict[str, str | None] = {}
        custom: dict[str, str | None] = {}
        for part in c[:]:
            tag = part.tag
            if tag == "standard_fields":
                standard = _fields(part)
            elif tag == "custom_fields":
                custom = _fields(part)
            elif tag == "email":
                email = _text(part) or None
            elif tag == "external_id":
                external_id = _text(part) or None
            elif tag == "id":
                raw_id = _text(part)
                try:
                    maileon_id = int(raw_id) if raw_id else None
                except ValueError:
                    raise SyncRequestError(f"contact id is not a number: {raw_id[:20]!r}") from None
        out.append(IncomingContact(email, external_id, maileon_id, standard, custom))
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
        key = name.upper()
        # most fields only have the 255-character rule: decide those (and names without a rule) without a call
        code = LENGTH_ONLY_CODES.get(key)
        if code is None:
            if key not in SPECIAL_STANDARD:
                continue
            code = standard_error(key, value)
        elif len(value) <= 255:
            continue
        if code is not None:
            return code, key
    types = state.custom_fields
    for name, value in c.custom.items():
        type_ = types.get(name)
        if type_ is None:
            return 21, name
        if value:  # None and "" clear the field: nothing to check
            code = custom_error(type_, value)
            if code is not None:
                return code, name
    return None


def _find(state: SimState, c: IncomingContact, p: SyncParams, email_key: str) -> SimContact | None:
    """``email_key`` is ``(c.email or "").lower()``, computed once per contact by the caller."""
    if p.use_external_id:
        found = state.by_external_id(c.external_id or "")
        return found[0] if found else None
    if p.prefer_maileon_id and c.maileon_id is not None:
        hit = state.by_id(c.maileon_id)
        if hit is not None:
            return hit
    return state.contacts.get(email_key) if email_key else None


def apply_fields(state: SimState, target: SimContact, c: IncomingContact) -> None:
    standard = target.standard
    for name, value in c.standard.items():
        key = name.upper()
        if key not in STANDARD_FIELDS:
            continue  # unknown standard names are ignored [U]
        if value is None:
            standard.pop(key, None)
        else:
            standard[key] = value[:255] if key in UNCODED_STRINGS else value
    custom = target.custom
    types = state.custom_fields
    for name, value in c.custom.items():
        if not value:  # None or ""
            custom.pop(name, None)
        else:
            custom[name] = normalise_custom(types[name], value)


def run_sync(state: SimState, data: bytes, p: SyncParams) -> tuple[Report, bool]:
    """Returns (report, persisted). With ignore_invalid_contacts=false and any invalid contact
    nothing is written and the caller answers 400 [I: all-or-nothing is our reading]."""
    if p.use_external_id and p.prefer_maileon_id:
        raise SyncRequestError("use_external_id and prefer_maileon_id must not both be true")
    incoming = parse_body(data)
    if len(incoming) > state.max_batch:
        raise SyncRequestError(f"too many contacts: {len(incoming)} > {state.max_batch}")
    report = Report(count_contacts=len(incoming))
    invalid = report.invalid
    by_email = not p.use_external_id
    with state.lock:
        # nothing changes the state while the batch is checked: one external-id map serves every lookup
        # (fetched on first need: a re-sync of known contacts needs none, and a stale map costs a rebuild)
        eid_owners: dict[str, list[SimContact]] | None = None
        # [U] which comes first is undocumented: by default a marked address is skipped before its external id
        # is checked (so no code 4 tells the client to move it); ``marker_before_code4=False`` plays the other
        # order, where the client must look the marker up itself before moving onto such an address
        marked = (state.markers if not p.reimport_unsubscribed_contacts and state.marker_before_code4
                  else frozenset())
        plan: list[tuple[IncomingContact, SimContact | None, str]] = []
        seen_emails: set[str] = set()
        seen_eids: set[str] = set()
        for c in incoming:
            problem = validate_contact(state, c, p)
            email_key = (c.email or "").lower()
            # duplicates in one call: the first occurrence is synced, later ones are invalid [I]
            if problem is None and not by_email and c.external_id in seen_eids:
                problem = (4, None)
            if problem is None and by_email and email_key and email_key in seen_emails:
                problem = (5, None)
            existing = _find(state, c, p, email_key) if problem is None else None
            # An existing contact that already carries this external id keeps it: no other contact can own it,
            # since every assignment passed this check (saves a lookup per contact on a re-sync).
            if problem is None and by_email and c.external_id and email_key not in marked and (
                    existing is None or existing.external_id != c.external_id):
                if eid_owners is None:
                    eid_owners = state.external_id_owners()
                if any(o is not existing for o in eid_owners.get(c.external_id, ())):
                    problem = (4, None)  # external id already used by another contact
            if problem is not None:
                invalid.append(Invalid(c.email, c.external_id, problem[0], problem[1]))
                continue
            if email_key:
                seen_emails.add(email_key)
            if c.external_id:
                seen_eids.add(c.external_id)
            plan.append((c, existing, email_key))
        report.count_invalid_contacts = len(invalid)
        if invalid and not p.ignore_invalid_contacts:
            report.success = False
            return report, False
        now = state.clock.now_ms()
        markers = state.markers if not p.reimport_unsubscribed_contacts else None
        permission = p.permission if p.permission is not None else 1
        unsubscribed = existing_count = new_count = 0
        for c, existing, email_key in plan:
            if markers is not None and email_key and email_key in markers:
                unsubscribed += 1
                continue
            if existing is not None:
                existing_count += 1
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
                invalid.append(Invalid(c.email, c.external_id, 2, None))  # new contacts need an email
                continue
            new = SimContact(state.new_id(), c.email, c.external_id, permission, created_ms=now, updated_ms=now)
            apply_fields(state, new, c)
            state.add_contact(new)
            new_count += 1
        report.count_unsubscribed_contacts = unsubscribed
        report.count_existing_contacts = existing_count
        report.count_new_contacts = new_count
        report.count_invalid_contacts = len(invalid)
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
