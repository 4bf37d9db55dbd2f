"""The probe's steps on its scratch field and the filters and target groups on it: reading marks back (R5), the
filter rule for a boolean field and when its count is fresh (R9), the filter cap (R8, only if the account is at
it), duplicate group names (R6), a v2 create that fails on the group's name (R7), and whether a clear of the
field's values has landed when it returns (R4)."""

from __future__ import annotations

import math
from typing import Any

from kufertui.maileon.errors import BadRequest, Conflict, MaileonError, PermissionDeniedError
from kufertui.maileon.xml import MaileonContact, RemoteContact, build_sync_body
from kufertui.sync.marks import is_true
from kufertui.sync.targetgroup import FILTER_LIMIT

from .context import ProbeRun, StepFailed

LIMIT_WORDS = ("limit", "maximum", "200")  # what our filter-cap rule looks for (targetgroup._filter_failure)
MARKS = ("m1", "m2", "m3")


def _value(contact: RemoteContact | None, name: str) -> str | None:
    return None if contact is None else contact.custom_fields.get(name)


async def _marks(run: ProbeRun) -> dict[str, tuple[bool, bool]]:
    """Role → (the field listed, its value true) for the marked and unmarked scratch contacts."""
    out = {}
    for role in MARKS:
        contact = await run.client.contact_with_fields(run.names.email(role), [run.names.field])
        value = _value(contact, run.names.field)
        out[role] = (contact is not None and run.names.field in contact.custom_fields, is_true(value))
    return out


async def marks_readback(run: ProbeRun) -> None:
    """R5: a contact read with the field shows ``true``/``1`` when set and leaves the field out when unset; the
    same in the list (``GET /contacts`` with ``custom_field``), on its last pages where the newest contacts are."""
    step, names = "marks-readback", run.names
    single = await _marks(run)
    want = {"m1": True, "m2": True, "m3": False}
    if any(single[r][1] != want[r] for r in MARKS):
        run.differs(step, "values", marked=sum(v for _l, v in single.values()))
        return
    if single["m3"][0]:
        run.differs(step, "unset-shown")
        return
    total = await run.client.contact_count()
    last = max(1, math.ceil(total / 1000))
    listed: dict[str, RemoteContact] = {}
    emails = {names.email(r).lower(): r for r in MARKS}
    for index in range(last, max(0, last - 2), -1):
        for contact in await run.client.contacts_page_as_sent(index, 1000, [names.field]):
            role = emails.get((contact.email or "").lower())
            if role is not None:
                listed[role] = contact
        if len(listed) == len(MARKS):
            break
    if len(listed) < len(MARKS):
        run.unchecked(step, "list-not-found", contacts=total)
    elif any(is_true(_value(listed[r], names.field)) != want[r] for r in MARKS):
        run.differs(step, "list-values")
    elif names.field in listed["m3"].custom_fields:
        run.differs(step, "unset-shown")
    else:
        run.holds(step, "read")


async def _filter_cap(run: ProbeRun, exc: MaileonError) -> None:
    """R8 when the account refused the probe's filter: would our rule have recognised the cap?"""
    detail = (exc.detail or "").lower()
    try:
        count: Any = await run.client.contact_filter_count()
    except MaileonError:
        count = "?"
    recognised = isinstance(exc, Conflict) or any(w in detail for w in LIMIT_WORDS) or (
        isinstance(count, int) and count >= FILTER_LIMIT)
    facts = {"status": exc.status if exc.status is not None else "-", "filters": count}
    if recognised:
        run.holds("filter-limit-answer", "recognised", **facts)
    else:
        run.differs("filter-limit-answer", "not-recognised", **facts)


async def filters(run: ProbeRun) -> None:
    """R9 on a filter "scratch field equals true": its count after a refresh is the marked contacts; a contact
    marked afterwards is counted only after the next refresh (stale until then). R8 unless refused."""
    names, client, step = run.names, run.client, "filter-rule-and-count"
    try:
        filter_id, _group = await client.create_contact_filter(names.name_prefix, names.field, "true", False)
    except (BadRequest, Conflict, PermissionDeniedError) as exc:
        await _filter_cap(run, exc)
        raise StepFailed("needs-filter", detail=exc.technical()[:200]) from None
    run.note_filter(filter_id)
    run.found["filter_id"] = filter_id
    run.unchecked("filter-limit-answer", "not-at-cap", filters=await client.contact_filter_count(),
                  limit=FILTER_LIMIT)
    await client.refresh_contact_filter(filter_id)
    first, first_wait = await _count_settled(run, filter_id, 2)
    run.checkpoint()
    report = await client.sync_contacts(
        build_sync_body([MaileonContact(names.email("m3"), custom_fields={names.field: True})]), permission=None,
        sync_mode=1, update_only=True, ignore_invalid_contacts=True, reimport_unsubscribed_contacts=False,
        override_permission=False)
    if report.count_existing_contacts != 1:
        raise StepFailed("failed", detail=f"POST /contacts (update m3): {report.count_existing_contacts} updated")
    unrefreshed = await client.count_contacts_by_filter(filter_id)
    await client.refresh_contact_filter(filter_id)
    refreshed, refreshed_wait = await _count_settled(run, filter_id, 3)
    facts = {"first": first, "unrefreshed": unrefreshed, "refreshed": refreshed}
    if first_wait is None or refreshed_wait is None:
        run.differs(step, "rule", **facts)
    elif first_wait or refreshed_wait:
        run.differs(step, "slow", seconds=max(first_wait, refreshed_wait), **facts)
    elif unrefreshed == 3:
        run.differs(step, "fresh", **facts)
    elif unrefreshed == 2:
        run.holds(step, "stale", **facts)
    else:
        run.differs(step, "rule", **facts)


async def _count_settled(run: ProbeRun, filter_id: int, want: int) -> tuple[int, float | None]:
    """The filter's count, read again (within the settle bound) until it is ``want``: (the last count, the
    seconds that took, None when it never was). A filter Maileon evaluates in the background shows late."""
    got = [await run.client.count_contacts_by_filter(filter_id)]
    if got[0] == want:
        return got[0], 0.0

    async def counted() -> bool:
        got[0] = await run.client.count_contacts_by_filter(filter_id)
        return got[0] == want

    waited = await run.until(counted)
    return got[0], waited


async def group_names(run: ProbeRun) -> None:
    """R6: a second target group of the same name is refused (409); whether the comparison is case-blind and
    whether an umlaut is taken is recorded beside it (kufertui is safe either way)."""
    names, client, step = run.names, run.client, "targetgroup-duplicate-name"
    filter_id = run.found.get("filter_id")
    if not filter_id:
        raise StepFailed("needs-filter", detail="-")

    async def make(name: str) -> int:
        status, made = await client.create_group_answer(name, filter_id)
        if made is not None:
            run.note_group(made)
        return status

    first = await make(names.group("a"))
    if not 200 <= first < 300:
        run.unchecked(step, "first-refused", status=first)
        return
    run.found["group_made"] = True
    again = await make(names.group("a"))
    capitals = await make(names.group("a").upper())
    umlaut = await make(names.group("grün"))
    facts = {"status": again, "capitals": "refused" if capitals == 409 else f"HTTP {capitals}",
             "umlaut": "taken" if 200 <= umlaut < 300 else f"HTTP {umlaut}"}
    if again == 409:
        run.holds(step, "refused", **facts)
    else:
        run.differs(step, "accepted" if 200 <= again < 300 else "other", **facts)


async def v2_atomic(run: ProbeRun) -> None:
    """R7: ``POST /contactfilters/v2?createTargetGroup=true`` with a target group name that is taken (no filter
    has it): Maileon refuses, and the filter it made on the way stays (the simulator's default)."""
    names, client, step = run.names, run.client, "filter-v2-atomic"
    if not run.found.get("group_made"):
        raise StepFailed("needs-filter", detail="-")
    name = names.group("a")
    resp = await client.create_filter_answer(name, names.field, create_target_group=True)
    if 200 <= resp.status_code < 300:
        try:
            data = resp.json()
            run.note_filter(int(data["contact_filter_id"]))
            if int(data.get("target_group_id", -1)) >= 0:
                run.note_group(int(data["target_group_id"]))
        except (ValueError, KeyError, TypeError):
            pass
    orphans = [f.id for f in await client.filters_as_sent() if f.name.strip().casefold() == name.casefold()]
    for filter_id in orphans:
        run.note_filter(filter_id)
    if 200 <= resp.status_code < 300:
        run.differs(step, "accepted", status=resp.status_code)
    elif orphans:
        run.holds(step, "orphan", status=resp.status_code)
    else:
        run.differs(step, "atomic", status=resp.status_code)


async def clear_landed(run: ProbeRun) -> None:
    """R4: ``DELETE …/values`` of the scratch field; read right after its answer, no contact carries it (the
    simulator's default); otherwise how long it took to land, within the settle bound."""
    step = "clear-values-landed"
    before = await _marks(run)
    if not any(v for _l, v in before.values()):
        run.unchecked(step, "no-marks")
        return
    await run.client.clear_custom_field_values(run.names.field, resend=False)

    async def cleared() -> bool:
        return not any(v for _l, v in (await _marks(run)).values())

    if await cleared():
        run.holds(step, "at-once")
        return
    waited = await run.until(cleared)
    if waited is None:
        run.differs(step, "never", seconds=int(run.settle_s))
    else:
        run.differs(step, "late", seconds=max(waited, 0.1))
