"""The probe's steps on contacts it made itself: code 4 and the marker (M5, M7), moves by e-mail (M1–M4),
unsubscribing by external id and by address (P1, M6). Every contact is created with permission 1 (none) and never
given another one; no call here carries a permission at all, except the create's 1."""

from __future__ import annotations

from kufertui.maileon.client import seg
from kufertui.maileon.xml import MaileonContact, RemoteContact, SyncReport, build_sync_body

from .context import ProbeRun, StepFailed
from .steps import CONTACT_ROLES, MARKED

NO_MAIL = 1  # permission "none": the only one the probe ever sends


def _ok(status: int) -> bool:
    return 200 <= status < 300


async def _sync(run: ProbeRun, contacts: list[MaileonContact]) -> SyncReport:
    """A sync as the upload sends it, but for scratch contacts with permission none (never a permission that
    mails), existing contacts' permission untouched, marked addresses skipped."""
    return await run.client.sync_contacts(
        build_sync_body(contacts), permission=NO_MAIL, sync_mode=1, ignore_invalid_contacts=True,
        reimport_unsubscribed_contacts=False, override_permission=False, update_only=False, use_external_id=False)


async def _found(run: ProbeRun, email: str) -> RemoteContact | None:
    """The contact with this address, waited for within the settle bound (a sync's contacts may take a moment
    to be found [U]); None when it never shows."""
    got: list[RemoteContact | None] = [None]

    async def there() -> bool:
        got[0] = await run.client.contact_by_email(email)
        return got[0] is not None

    return got[0] if await run.until(there) is not None else None


async def make_contacts(run: ProbeRun) -> None:
    """The scratch field and contacts. Anything short of all of them, each with permission none, stops every
    step that needs them (StepFailed)."""
    names, client = run.names, run.client
    await client.create_custom_field(names.field, "boolean")
    contacts = [MaileonContact(names.email(r), names.eid(r), custom_fields={names.field: True} if r in MARKED else {})
                for r in CONTACT_ROLES]
    report = await _sync(run, contacts)
    if report.count_new_contacts != len(contacts):
        codes = sorted({i.code for i in report.invalid_contacts})
        raise StepFailed("needs-contacts", made=report.count_new_contacts, wanted=len(contacts),
                         codes=", ".join(map(str, codes)) or "-")
    for role in CONTACT_ROLES:
        found = await _found(run, names.email(role))
        if found is None or found.id is None:
            raise StepFailed("needs-contacts", made=len(run.ids), wanted=len(contacts), codes="-")
        if found.permission not in (None, NO_MAIL):
            raise StepFailed("needs-contacts", made=len(run.ids), wanted=len(contacts),
                             codes=f"permission {found.permission}")
        run.ids[role] = found.id


async def code4(run: ProbeRun) -> None:
    """M7: a new address with an external id another contact carries is rejected with code 4, nothing made."""
    names, step = run.names, "code4-taken-external-id"
    report = await _sync(run, [MaileonContact(names.email("y"), names.eid("c"))])
    codes = sorted({i.code for i in report.invalid_contacts})
    made = await run.client.contact_by_email(names.email("y")) is not None
    if made or report.count_new_contacts:
        run.differs(step, "created", codes=", ".join(map(str, codes)) or "-")
    elif codes == [4]:
        run.holds(step, "code4")
    else:
        run.differs(step, "other", codes=", ".join(map(str, codes)) or "-",
                    unsubscribed=report.count_unsubscribed_contacts)


async def marker_order(run: ProbeRun) -> None:
    """M5: an address with an unsubscription marker and someone else's external id: skipped as unsubscribed
    (the marker checked first) or rejected with code 4 (the owner first)."""
    names, step = run.names, "marker-vs-code4"
    status = await run.client.set_marker(names.email("x"))
    if not _ok(status):
        raise StepFailed("failed", detail=f"PUT /contacts/email/…/unsubscription: HTTP {status}")
    report = await _sync(run, [MaileonContact(names.email("x"), names.eid("c"))])
    codes = sorted({i.code for i in report.invalid_contacts})
    if report.count_unsubscribed_contacts == 1 and not codes and not report.count_new_contacts:
        run.holds(step, "marker-first")
    elif 4 in codes:
        run.differs(step, "code4-first")
    else:
        run.differs(step, "other", codes=", ".join(map(str, codes)) or "-",
                    unsubscribed=report.count_unsubscribed_contacts, new=report.count_new_contacts)


async def moves(run: ProbeRun) -> None:
    """M1 (a move by the old address keeps id, external id and permission), M2 (the permission part that can be
    checked without one that mails), M4 (a move onto another contact's address is refused with 409)."""
    names, client = run.names, run.client
    a, a2, b = names.email("a"), names.email("a2"), names.email("b")
    resp = await client.update_by_email_as_given(a, MaileonContact(a2))
    moved = await client.contact_by_email(a2)
    left = await client.contact_by_email(a)
    if not _ok(resp.status_code):
        run.differs("move-by-email", "refused", status=resp.status_code)
    elif moved is None or left is not None:
        run.differs("move-by-email", "not-moved", old_found=left is not None, new_found=moved is not None)
    elif moved.id != run.ids["a"] or moved.external_id != names.eid("a") or moved.permission not in (None, NO_MAIL):
        run.differs("move-by-email", "changed", same_id=moved.id == run.ids["a"],
                    same_external_id=moved.external_id == names.eid("a"), permission=moved.permission)
    else:
        run.holds("move-by-email", "moved")
    kept = moved.permission if moved is not None else None
    run.unchecked("move-permission", "no-mailing-permission", permission=kept if kept is not None else "-")
    source = a2 if moved is not None else a
    onto = await client.update_by_email_as_given(source, MaileonContact(b))
    if onto.status_code == 409:
        run.holds("move-onto-existing", "conflict")
        return
    holder = await client.contact_by_email(b)
    run.differs("move-onto-existing", "accepted" if _ok(onto.status_code) else "other", status=onto.status_code,
                merged=holder is not None and holder.id == run.ids["a"])


async def external_id_update(run: ProbeRun) -> None:
    """M3: an external id in an update-by-e-mail body changes the contact's. Then, if it does, contact e takes
    d's id as well: the second holder that P1 unsubscribes together with d."""
    names, client, step = run.names, run.client, "move-external-id"
    e = names.email("e")
    resp = await client.update_by_email_as_given(e, MaileonContact(e, names.eid("e2")))
    after = await client.contact_by_email(e)
    now = after.external_id if after is not None else None
    if not _ok(resp.status_code):
        run.differs(step, "refused", status=resp.status_code)
    elif now == names.eid("e2"):
        run.holds(step, "set")
    elif now == names.eid("e"):
        run.differs(step, "ignored")
    else:
        run.differs(step, "other", found=after is not None)
    run.found["second_holder"] = False
    if now == names.eid("e2"):
        await client.update_by_email_as_given(e, MaileonContact(e, names.eid("d")))
        holders = await client.contacts_by_external_id(names.eid("d"))
        run.found["second_holder"] = len(holders) >= 2


async def unsubscribe_by_external_id(run: ProbeRun) -> None:
    """P1: the unsubscribe by external id reaches every contact carrying it (one or, after M3, two) and answers
    404 when nobody has it. A contact counts unsubscribed when the report lists it under that id."""
    names, client, step = run.names, run.client, "unsubscribe-by-external-id"
    nobody = await client.answer("DELETE", f"/contacts/externalid/{seg(names.eid('none'))}/unsubscribe")
    resp = await client.answer("DELETE", f"/contacts/externalid/{seg(names.eid('d'))}/unsubscribe")
    holders = 2 if run.found.get("second_holder") else 1
    if not _ok(resp.status_code):
        run.differs(step, "refused", status=resp.status_code)
        return
    listed: list[int] = [0]

    async def all_listed() -> bool:
        listed[0] = sum(1 for e in await run.own_entries(eids=[names.eid("d")]) if e.external_id == names.eid("d"))
        return listed[0] >= holders

    waited = await run.until(all_listed)
    run.found["eid_unsubscribed"] = listed[0]
    if waited is None:
        run.differs(step, "not-all", holders=holders, listed=listed[0], seconds=int(run.settle_s))
    elif nobody.status_code != 404:
        run.differs(step, "nobody-answered", status=nobody.status_code, holders=holders)
    else:
        run.holds(step, "all", holders=holders, seconds=waited)


async def unsubscribe_by_email(run: ProbeRun) -> None:
    """Contact f unsubscribes by address (what a KUFER objection does). M6: it is then not found by address any
    more, but its unsubscription marker is."""
    names, client, step = run.names, run.client, "unsubscribed-lookup"
    f = names.email("f")
    resp = await client.answer("DELETE", f"/contacts/email/{seg(f)}/unsubscribe")
    if not _ok(resp.status_code):
        raise StepFailed("failed", detail=f"DELETE /contacts/email/…/unsubscribe: HTTP {resp.status_code}")
    run.found["f_unsubscribed"] = True
    state = {"contact": True, "marker": False}

    async def settled() -> bool:
        state["contact"] = await client.contact_by_email(f) is not None
        state["marker"] = await client.marker_status(f) == 200
        return not state["contact"] and state["marker"]

    waited = await run.until(settled)
    if waited is None:
        run.differs(step, "still-found" if state["contact"] else "no-marker", seconds=int(run.settle_s))
    else:
        run.holds(step, "gone", seconds=waited)
