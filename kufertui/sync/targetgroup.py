"""After the upload: the contact filter "ImportAPI equals true" and its target group, in one call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kufertui.config import Settings
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import BadRequest, Conflict, MaileonError
from kufertui.sync import events as ev
from kufertui.sync.connect import open_client


async def create_target_group(client: MaileonClient, name: str, import_field: str,
                              emit: Callable[[ev.Event], None]) -> dict[str, Any]:
    emit(ev.PhaseStarted("targetgroup"))
    try:
        filter_id, group_id = await client.create_contact_filter(name, import_field, "true", True)
    except Conflict:
        emit(ev.Message("warning", "engine.target-group-exists", {"name": name}, "target-group-exists"))
        return {"name": name, "error": "exists"}
    except BadRequest as exc:
        detail = (exc.detail or "").lower()
        # Maileon caps contact filters per account (200); its wording is not documented, so match loosely
        hint = "filter-limit" if any(w in detail for w in ("limit", "maximum", "200")) else "bad-request"
        emit(ev.Message("warning", "engine.target-group-failed", {"name": name}, hint))
        return {"name": name, "error": hint}
    result: dict[str, Any] = {"name": name, "contact_filter_id": filter_id, "target_group_id": group_id}
    if group_id:
        info = await client.get_target_group(group_id)
        result.update(count_contacts=info.count_contacts, count_active_contacts=info.count_active_contacts)
    emit(ev.Message("info", "engine.target-group-created",
                    {"name": name, "id": group_id or 0, "count": result.get("count_active_contacts", 0)}))
    return result


async def create_target_group_from_settings(settings: Settings, name: str, *, transport: Any = None,
                                            emit: Callable[[ev.Event], None] = lambda _e: None) -> dict[str, Any]:
    """For the faces: the same step after a finished run; a Maileon refusal comes back in the result."""
    try:
        async with open_client(settings, transport) as client:
            return await create_target_group(client, name, settings.maileon.import_field, emit)
    except MaileonError as exc:
        return {"name": name, "error": exc.hint_id, "detail": str(exc)}
