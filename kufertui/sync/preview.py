"""What the Fields pane shows: the exact XML one contact will be sent as, and the reject count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from kufertui.config import Settings
from kufertui.core.contact import Contact
from kufertui.core.fields import FieldMapping
from kufertui.maileon.xml import build_sync_body
from kufertui.store.contacts import ContactFilter
from kufertui.store.workspace import Workspace
from kufertui.sync.connect import remembered_rate
from kufertui.sync.mapping import to_maileon
from kufertui.sync.plan import plan_with, run_preflight, selected_ids
from kufertui.sync.unsubscribes import objections_to_push


def preview_xml(contact: Contact, mappings: Sequence[FieldMapping], import_field: str) -> str:
    body = build_sync_body([to_maileon(contact, mappings, import_field)])
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def preflight_summary(ws: Workspace, settings: Settings, selection: ContactFilter, ids: Sequence[int] | None,
                      mappings: Sequence[FieldMapping],
                      declared_custom: Mapping[str, str] | None = None) -> dict[str, int]:
    """Held-back contacts per code ("preflight:19", "suppressed", ...) plus "sendable" and "selected",
    from the pre-flight a run would build (K held back while the UWG notice is unconfirmed)."""
    chosen = selected_ids(ws, selection, ids)
    contacts = (c for _, c in ws.contacts.iter_contacts(ids=chosen))
    plan = plan_with(run_preflight(settings, ws, mappings, declared_custom=declared_custom), contacts)
    return {**plan.by_code, "sendable": len(plan.sendable), "selected": plan.selected}


def objection_estimate(ws: Workspace, settings: Settings) -> tuple[int, float | None, float | None]:
    """(objections, seconds, rate): how many KUFER objections the next run passes to Maileon first (one call
    each), and how long that takes at the rate a run learned from Maileon (kept in the workspace; never above
    the admin's ceiling). Seconds and rate are None while no rate was learned: Maileon never limited a run,
    and neither its answer times nor the ceiling (an upper bound) are a figure to promise."""
    n = objections_to_push(ws)
    learned = remembered_rate(ws)  # the rate the next run starts at (recovered since it was held)
    if learned is None:
        return n, None, None
    ceiling = settings.maileon.requests_per_second
    rate = min(learned, ceiling) if ceiling > 0 else learned
    return n, n / rate, rate
