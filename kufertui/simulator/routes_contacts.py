"""Simulator routes: contacts (sync, single, list, count) and custom field definitions."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .state import SimContact, SimState
from .sync import (
    IncomingContact,
    Report,
    SyncParams,
    SyncRequestError,
    apply_fields,
    parse_body,
    render_report,
    run_sync,
    validate_contact,
)
from .validation import CUSTOM_TYPES, custom_name_problem, valid_email
from .web import (
    XML_MEDIA,
    ApiError,
    contact_element,
    paged_response,
    paging,
    qbool,
    qint,
    require_media,
    sim,
    text_element,
    xml_response,
)


def _move(state: SimState, contact: SimContact, new_email: str | None) -> None:
    """An update whose body names another address moves the contact there (under the state's lock): refused when
    the address is invalid (400) or another contact's (409)."""
    if not new_email or new_email.lower() == (contact.email or "").lower():
        return
    if not valid_email(new_email):
        raise ApiError(400, "invalid email address")
    if new_email.lower() in state.contacts:
        raise ApiError(409, "the new email address belongs to another contact")
    state.contacts.pop((contact.email or "").lower(), None)
    contact.email = new_email
    state.add_contact(contact)

async def sync_contacts(request: Request) -> Response:
    require_media(request, XML_MEDIA)
    params = SyncParams(
        permission=qint(request, "permission", None, lo=1, hi=6),
        sync_mode=qint(request, "sync_mode", 2, lo=1, hi=2) or 2,
        use_external_id=qbool(request, "use_external_id", False),
        prefer_maileon_id=qbool(request, "prefer_maileon_id", False),
        ignore_invalid_contacts=qbool(request, "ignore_invalid_contacts", False),
        override_permission=qbool(request, "override_permission", True),
        reimport_unsubscribed_contacts=qbool(request, "reimport_unsubscribed_contacts", True),
        update_only=qbool(request, "update_only", False),
    )
    body = await request.body()
    if sim(request).latency_only:  # a benchmark's server: the answer costs nothing per contact
        count = body.count(b"<contact>")
        return xml_response(render_report(Report(count_contacts=count, count_existing_contacts=count)))
    try:
        report, persisted = run_sync(sim(request), body, params)
    except SyncRequestError as exc:
        raise ApiError(400, str(exc)) from None
    # ignore_invalid_contacts=false + invalid → 400 with the report, nothing stored [I]
    return xml_response(render_report(report), 200 if persisted else 400)


def _email_param(request: Request) -> str:
    return str(request.path_params["email"])


async def get_contact(request: Request) -> Response:
    contact = sim(request).contacts.get(_email_param(request).lower())
    if contact is None:
        raise ApiError(404, "contact not found")
    return xml_response(contact_element(contact))


async def upsert_contact(request: Request) -> Response:
    """POST /contacts/email/{email}: create (201 <id>) or, with sync_mode=1, update [I: status]."""
    state = sim(request)
    email = _email_param(request)
    if not valid_email(email):
        raise ApiError(400, "invalid email address")
    body = await request.body()
    if body.strip():
        require_media(request, XML_MEDIA)
        try:
            parsed = parse_body(body)
        except SyncRequestError as exc:
            raise ApiError(400, str(exc)) from None
        incoming = parsed[0] if parsed else IncomingContact(email, None, None)
    else:
        incoming = IncomingContact(email, None, None)
    incoming.email = email
    params = SyncParams(
        permission=qint(request, "permission", 1, lo=1, hi=6), sync_mode=qint(request, "sync_mode", 2) or 2,
        ignore_invalid_contacts=False, override_permission=False,
    )
    problem = validate_contact(state, incoming, params)
    if problem is not None:
        raise ApiError(400, f"invalid contact: error code {problem[0]} field {problem[1]}")
    with state.lock:
        existing = state.contacts.get(email.lower())
        now = state.clock.now_ms()
        if existing is None:
            existing = SimContact(id=state.new_id(), email=email, external_id=incoming.external_id,
                                  permission=params.permission or 1, created_ms=now, updated_ms=now)
            apply_fields(state, existing, incoming)
            state.add_contact(existing)
        elif params.sync_mode == 1:
            apply_fields(state, existing, incoming)
            existing.updated_ms = now
    return xml_response(text_element("id", str(existing.id)), 201)


async def get_by_external_id(request: Request) -> Response:
    """GET /contacts/externalid/{eid}: every contact carrying the external id (a list, possibly empty)."""
    state = sim(request)
    root = etree.Element("contacts")
    with state.lock:
        for contact in state.by_external_id(str(request.path_params["eid"])):
            root.append(contact_element(contact))
    return xml_response(root)


async def update_by_external_id(request: Request) -> Response:
    """PUT /contacts/externalid/{eid}: update the one contact with this external id; a new e-mail in the
    body moves it. 404 none, 409 several [C]; 409 too when the new address is another contact's [I]."""
    state = sim(request)
    require_media(request, XML_MEDIA)
    try:
        parsed = parse_body(await request.body())
    except SyncRequestError as exc:
        raise ApiError(400, str(exc)) from None
    incoming = parsed[0] if parsed else IncomingContact(None, None, None)
    eid = str(request.path_params["eid"])
    with state.lock:
        owners = state.by_external_id(eid)
        if not owners:
            raise ApiError(404, "contact not found")
        if len(owners) > 1:
            raise ApiError(409, f"{len(owners)} contacts have the external id {eid[:40]}")
        contact = owners[0]
        _move(state, contact, incoming.email)
        incoming.external_id = None  # the path names it; the body does not change it
        apply_fields(state, contact, incoming)
        permission = qint(request, "permission", None, lo=1, hi=6)
        if permission is not None and contact.permission < permission:
            contact.permission = permission
        contact.updated_ms = state.clock.now_ms()
    return Response(status_code=200)


async def delete_by_external_id(request: Request) -> Response:
    """DELETE /contacts/externalid/{eid}: removes every contact carrying the id, also unsubscribed
    (anonymised) ones [C-client]. The answer when nobody has it is undocumented: the harsh reading, 200
    all the same, so a client cannot tell "deleted" from "was not there" by the status alone (mode
    ``delete-absent-status=404`` plays the other one)."""
    state = sim(request)
    eid = str(request.path_params["eid"])
    with state.lock:
        holders = state.by_external_id(eid)
        anonymised = [i for i, c in state.anonymised.items() if c.external_id == eid]
        if not holders and not anonymised and state.delete_absent_status == 404:
            raise ApiError(404, "contact not found")
        for contact in holders:
            state.contacts.pop((contact.email or "").lower(), None)
        for contact_id in anonymised:
            del state.anonymised[contact_id]
    return Response(status_code=200)


async def update_by_email(request: Request) -> Response:
    """PUT /contacts/email/{email}: update the contact with this (old) address; a new e-mail in the body moves
    it [C-client PHP updateContactByEmail]. 404 none; 409 when the new address is another contact's [I]. The
    harsh readings: a ``permission`` parameter overwrites what the contact holds (PHP docblock: "it will be
    overwritten"), even downwards; an external id in the body is set as it is; an unsubscription marker on
    the new address is not checked (the client must look first). The first two are modes
    (``update-permission-overwrites``, ``update-sets-external-id``)."""
    state = sim(request)
    require_media(request, XML_MEDIA)
    try:
        parsed = parse_body(await request.body())
    except SyncRequestError as exc:
        raise ApiError(400, str(exc)) from None
    incoming = parsed[0] if parsed else IncomingContact(None, None, None)
    permission = qint(request, "permission", None, lo=1, hi=6)
    checked = IncomingContact(incoming.email or _email_param(request), None, None, incoming.standard, incoming.custom)
    problem = validate_contact(state, checked, SyncParams())
    if problem is not None:
        raise ApiError(400, f"invalid contact: error code {problem[0]} field {problem[1]}")
    with state.lock:
        contact = state.contacts.get(_email_param(request).lower())
        if contact is None:
            raise ApiError(404, "contact not found")
        _move(state, contact, incoming.email)
        if state.update_sets_external_id and incoming.external_id and incoming.external_id != contact.external_id:
            contact.external_id = incoming.external_id
            state.eid_generation += 1
        incoming.external_id = None
        apply_fields(state, contact, incoming)
        if permission is not None and (state.update_permission_overwrites or permission > contact.permission):
            contact.permission = permission
        contact.updated_ms = state.clock.now_ms()
    return Response(status_code=200)


async def delete_contact(request: Request) -> Response:
    state = sim(request)
    with state.lock:
        if state.contacts.pop(_email_param(request).lower(), None) is None:
            raise ApiError(404, "contact not found")
    return Response(status_code=200)


async def list_contacts(request: Request) -> Response:
    state = sim(request)
    contacts = sorted(state.contacts.values(), key=lambda c: c.id)
    offset, size, headers = paging(request, len(contacts))
    standard = request.query_params.getlist("standard_field")
    custom = request.query_params.getlist("custom_field")
    root = etree.Element("contacts")
    for c in contacts[offset:offset + size]:
        root.append(contact_element(c, [s.upper() for s in standard], custom))
    return paged_response(root, headers)


async def count_contacts(request: Request) -> Response:
    return xml_response(text_element("count", str(len(sim(request).contacts))))


async def list_custom_fields(request: Request) -> Response:
    root = etree.Element("custom_fields")
    for name, type_ in sorted(sim(request).custom_fields.items()):
        f = etree.SubElement(root, "custom_field")
        etree.SubElement(f, "name").text = name
        etree.SubElement(f, "type").text = type_
    return xml_response(root)


async def create_custom_field(request: Request) -> Response:
    state = sim(request)
    name = str(request.path_params["name"])
    type_ = (request.query_params.get("type") or "string").lower()
    if type_ not in CUSTOM_TYPES:
        raise ApiError(400, f"invalid type {type_[:20]}")
    problem = custom_name_problem(name)
    if problem:
        raise ApiError(400, problem)
    with state.lock:
        if name in state.custom_fields:
            raise ApiError(409, f"custom field {name} already exists")  # [U] status; 409 is our reading
        state.custom_fields[name] = type_
    return Response(status_code=201)


async def delete_custom_field(request: Request) -> Response:
    state = sim(request)
    name = str(request.path_params["name"])
    with state.lock:
        if state.custom_fields.pop(name, None) is None:
            raise ApiError(404, "no such custom field")
        for c in state.contacts.values():
            c.custom.pop(name, None)
    return Response(status_code=200)


async def clear_custom_field_values(request: Request) -> Response:
    state = sim(request)
    name = str(request.path_params["name"])
    with state.lock:
        if name not in state.custom_fields:
            raise ApiError(404, "no such custom field")
        state.clear_values(name)  # at once, or later in the clear-delay mode
    return Response(status_code=200)


ROUTES = [
    Route("/contacts", sync_contacts, methods=["POST"]),
    Route("/contacts", list_contacts, methods=["GET"]),
    Route("/contacts/count", count_contacts, methods=["GET"]),
    Route("/contacts/fields/custom", list_custom_fields, methods=["GET"]),
    Route("/contacts/fields/custom/{name}", create_custom_field, methods=["POST"]),
    Route("/contacts/fields/custom/{name}", delete_custom_field, methods=["DELETE"]),
    Route("/contacts/fields/custom/{name}/values", clear_custom_field_values, methods=["DELETE"]),
    Route("/contacts/email/{email}", get_contact, methods=["GET"]),
    Route("/contacts/email/{email}", upsert_contact, methods=["POST"]),
    Route("/contacts/email/{email}", update_by_email, methods=["PUT"]),
    Route("/contacts/email/{email}", delete_contact, methods=["DELETE"]),
    Route("/contacts/externalid/{eid}", get_by_external_id, methods=["GET"]),
    Route("/contacts/externalid/{eid}", update_by_external_id, methods=["PUT"]),
    Route("/contacts/externalid/{eid}", delete_by_external_id, methods=["DELETE"]),
]

# legacy single-contact paths (JAVA/NET/RUBY use them); must come after every other /contacts/... route
LEGACY_ROUTES = [
    Route("/contacts/{email}", get_contact, methods=["GET"]),
    Route("/contacts/{email}", upsert_contact, methods=["POST"]),
    Route("/contacts/{email}", delete_contact, methods=["DELETE"]),
]
