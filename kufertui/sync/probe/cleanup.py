"""Remove everything a probe made, found by the names in its record, then look again: what is still there is a
leftover (the record stays, so the next probe or `kufertui doctor --probe --cleanup` tries again).

Only what carries the probe's names is touched: contacts by the reserved external ids and the probe's addresses,
markers on those addresses, the scratch field, and filters and target groups whose name starts with the probe's
prefix (the ids the record keeps are for support: whose an id is now, only its name tells). Entries in the
unsubscription report stay: Maileon keeps them as records and offers no way to delete them; kufertui's pull
passes over them (reserved ids).
"""

from __future__ import annotations

from kufertui.maileon.client import seg
from kufertui.maileon.errors import MaileonError, NotFound
from kufertui.maileon.probe_client import ProbeClient

from .record import ProbeRecord


def _ours(name: str, record: ProbeRecord) -> bool:
    return bool(record.name_prefix) and name.strip().casefold().startswith(record.name_prefix.casefold())


async def _groups_and_filters(client: ProbeClient, record: ProbeRecord) -> tuple[set[int], set[int]]:
    groups = {g.id for g in await client.groups_as_sent() if _ours(g.name, record)}
    filters = {f.id for f in await client.filters_as_sent() if _ours(f.name, record)}
    return groups, filters


async def remove_probe(client: ProbeClient, record: ProbeRecord) -> list[str]:
    """Delete what ``record`` names in Maileon; return what is still there afterwards (empty: all gone)."""
    # by name only: an id in the record says nothing about whose it is now (a record is a file, not a proof)
    groups, filters = await _groups_and_filters(client, record)
    for group_id in sorted(groups):  # a group before the filter it stands on
        try:
            await client.delete_target_group(group_id)
        except NotFound:
            pass
    for filter_id in sorted(filters):
        try:
            await client.delete_contact_filter(filter_id)
        except NotFound:
            pass
    for eid in record.external_ids:
        await client.answer("DELETE", f"/contacts/externalid/{seg(eid)}")
    for email in record.emails:  # a contact whose external id an update changed, or one made without
        await client.answer("DELETE", f"/contacts/email/{seg(email)}")
        await client.delete_marker(email)
    if record.custom_field:
        try:
            await client.delete_custom_field(record.custom_field)
        except NotFound:
            pass
    return await leftovers(client, record)


async def leftovers(client: ProbeClient, record: ProbeRecord) -> list[str]:
    """What of the probe is still in Maileon, each as a short language-neutral line."""
    left: list[str] = []
    groups, filters = await _groups_and_filters(client, record)
    left += [f"target group {g}" for g in sorted(groups)]
    left += [f"contact filter {f}" for f in sorted(filters)]
    for eid in record.external_ids:
        if await client.contacts_by_external_id(eid):
            left.append(f"contact {eid}")
    for email in record.emails:
        if await client.contact_by_email(email) is not None:
            left.append(f"contact {email}")
        if await client.marker_status(email) == 200:
            left.append(f"unsubscription marker {email}")
    if record.custom_field and record.custom_field in await client.list_custom_fields():
        left.append(f"custom field {record.custom_field}")
    return left


async def try_remove(client: ProbeClient, record: ProbeRecord) -> tuple[list[str], MaileonError | None]:
    """``remove_probe`` that reports a failure instead of raising: (what is left as far as known, the error)."""
    try:
        return await remove_probe(client, record), None
    except MaileonError as exc:
        return [f"unknown ({exc.technical()[:120]})"], exc
