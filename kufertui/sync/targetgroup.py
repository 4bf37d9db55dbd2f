"""After the upload: the contact filter "ImportAPI equals true" and its target group, in one call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kufertui.config import Settings
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import BadRequest, Conflict, MaileonError
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import open_client


def marked_in_run(ws: Workspace, run_id: int) -> int:
    """Contacts Maileon took in this run's finished batches (new + existing): each carries the import field."""
    return sum(int(rep.get("new", 0)) + int(rep.get("existing", 0))
               for _no, state, _size, _perm, rep in ws.journal.batches(run_id) if state == "done" and rep)


def target_group_refusal(ws: Workspace, run_id: int, import_field: str, *,
                         finishing: bool = False) -> tuple[str, dict[str, Any]] | None:
    """Why the target group "import field equals true" must not be made for this run (a message key and its
    parameters), or None. Maileon builds the group from the marks it holds now, and those are the newest
    uploading run's alone: for an older run, one that sent nothing or one that stopped half way, the group
    would hold other people than the run promises. A segment refresh marks the import field like any run.
    ``finishing``: the engine asks for its own run after the upload, before the run is journaled as done."""
    record = ws.journal.run(run_id)
    if record is None or record.kind != "sync":
        return "marks.not-upload", {"run": run_id}
    holder = ws.journal.latest_upload_run()
    params: dict[str, Any] = {"run": run_id, "field": import_field}
    if holder is None:
        return "marks.none", params
    params["holder_id"] = holder.id
    if holder.id < run_id:
        return "marks.sent-nothing", params
    if holder.id > run_id:
        return ("marks.other-run" if holder.state == "done" else "marks.other-run-partial"), params
    if record.state != "done" and not finishing:
        return "marks.unfinished", params
    return None


async def create_target_group(client: MaileonClient, name: str, import_field: str,
                              emit: Callable[[ev.Event], None], *, marked: int = 0) -> dict[str, Any]:
    """``marked``: contacts this run marked with the import field (what the group should count)."""
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
    if not group_id:
        result["message"] = "engine.target-group-created"
        emit(ev.Message("info", "engine.target-group-created", {"name": name, "id": 0, "count": 0}))
        return result
    return await read_target_group(client, result, emit, marked=marked)


async def target_group_after_run(client: MaileonClient, ws: Workspace, run_id: int, name: str, import_field: str,
                                 emit: Callable[[ev.Event], None]) -> dict[str, Any]:
    """`sync --target-group`: the group at the end of the run, unless the run sent nothing (then the marks in
    Maileon are an older run's, and the group would hold its contacts): refused with a warning."""
    refusal = target_group_refusal(ws, run_id, import_field, finishing=True)
    if refusal:
        from kufertui.i18n import t

        emit(ev.Message("warning", refusal[0], refusal[1]))
        return {"name": name, "error": "marks-elsewhere", "detail": t(refusal[0], **refusal[1])}
    return await create_target_group(client, name, import_field, emit, marked=marked_in_run(ws, run_id))


async def read_target_group(client: MaileonClient, result: dict[str, Any], emit: Callable[[ev.Event], None], *,
                            marked: int = 0) -> dict[str, Any]:
    """Read Maileon's counts of a group just made (again: the refresh). The group exists whatever this read
    says, so a failed or early read is reported, never raised: a finished run is not aborted for it."""
    name, group_id = result["name"], result["target_group_id"]
    params: dict[str, Any] = {"name": name, "id": group_id, "marked": marked}
    for key in ("count_contacts", "count_active_contacts", "message", "hint"):
        result.pop(key, None)
    try:
        info = await client.get_target_group(group_id)
    except MaileonError as exc:
        counts: tuple[int | None, int | None] = (None, None)
        params["detail"] = exc.technical()
    else:
        counts = (info.count_contacts, info.count_active_contacts)
    if counts[0] is None or counts[1] is None:
        key, level, hint = "engine.target-group-uncounted", "info", "target-group-uncounted"
    elif counts[1] == 0 and marked > 0:
        key, level, hint = "engine.target-group-empty", "warning", "target-group-empty"
    else:
        key, level, hint = "engine.target-group-created", "info", None
    if counts[0] is not None and counts[1] is not None:
        result.update(count_contacts=counts[0], count_active_contacts=counts[1])
    params["count"] = counts[1] or 0
    result.update(message=key, hint=hint, run_marked=marked)
    emit(ev.Message(level, key, params, hint))
    return result


async def create_target_group_from_settings(settings: Settings, name: str, *, transport: Any = None,
                                            emit: Callable[[ev.Event], None] = lambda _e: None, marked: int = 0,
                                            existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """For the faces: the same step after a finished run (or, with ``existing``, a fresh read of the group's
    counts); a Maileon refusal comes back in the result."""
    try:
        async with open_client(settings, transport) as client:
            if existing is not None:
                return await read_target_group(client, dict(existing), emit, marked=marked)
            return await create_target_group(client, name, settings.maileon.import_field, emit, marked=marked)
    except MaileonError as exc:
        return {"name": name, "error": exc.hint_id, "detail": exc.technical()}
