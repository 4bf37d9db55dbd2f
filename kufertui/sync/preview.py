"""What the Fields pane shows (the exact XML one contact will be sent as, and the reject count) and what the
Upload screen's confirmation says before a run starts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from kufertui.config import Settings
from kufertui.core.contact import Contact
from kufertui.core.fields import FieldMapping
from kufertui.maileon.xml import build_sync_body
from kufertui.store.contacts import ContactFilter
from kufertui.store.workspace import Workspace
from kufertui.sync.connect import remembered_rate
from kufertui.sync.mapping import mapping_refusal, to_maileon
from kufertui.sync.plan import plan_with, run_preflight, selected_ids
from kufertui.sync.unsubscribes import objections_to_push
from kufertui.sync.upload_owner import upload_file_owner


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


@dataclass(frozen=True, slots=True)
class UploadPreview:
    """The facts of the Upload screen's confirmation besides the counts."""

    objections: int  # KUFER objections the run passes to Maileon first (0 while the push is off)
    seconds: float | None  # how long that takes, and at which rate (objection_estimate)
    rate: float | None
    needs_consent: bool  # the upload file in place is replaced only when the user says so
    refusal: tuple[str, dict[str, Any]] | None  # a hand-edited [fields] the run would refuse
    refresh_size: int | None  # a segment refresh: the contacts it selects


def upload_preview(ws: Workspace, settings: Settings, mappings: Sequence[FieldMapping],
                   segments: Sequence[str]) -> UploadPreview:
    objections, seconds, rate = objection_estimate(ws, settings) if settings.unsubscribers.push_objections \
        else (0, None, None)
    refusal = mapping_refusal(mappings, settings.maileon.import_field, [seg.field for seg in ws.segments.all()])
    size = None
    if segments:
        from kufertui.sync.segments import refresh_size

        size = refresh_size(ws, segments)
    return UploadPreview(objections, seconds, rate, upload_file_owner(ws).needs_consent, refusal, size)
