"""After the upload: the target group on the contact filter "ImportAPI equals true", found again before
anything is created (docs/maileon-assumptions.md, R6-R9): one filter per field, reused; a group of the same
name reused when it is ours; nothing left behind when a create fails; names checked locally; counts read after
a refresh."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kufertui.config import Settings
from kufertui.i18n import t
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import BadRequest, Conflict, MaileonError, NotFound, PermissionDeniedError
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


FILTER_LIMIT = 200  # contact filters per account [C] DOC get-contactfilters
_LIMIT_WORDS = ("limit", "maximum", "200")


def target_group_name_problem(name: str) -> str | None:
    """Why Maileon would refuse ``name`` for a target group (DOC create-targetgroup: unique, 3–64 characters,
    letters, digits and spaces), as a hint id; None when it is fine. Checked before anything is sent."""
    text = name.strip()
    if not 3 <= len(text) <= 64 or not all(ch.isalnum() or ch == " " for ch in text):
        return "target-group-name"
    return None


def shared_filter_name(field: str) -> str:
    """The one contact filter "field equals true" that every target group of ``field`` is built on: a name of
    our own (letters, digits, spaces), so it is found again instead of a new filter per group."""
    return "kufertui " + " ".join(field.replace("_", " ").split())


@dataclass(slots=True)
class GroupOutcome:
    """What ``ensure_group`` did: the group's and filter's ids, or why not (``error``: a hint id or "exists")."""

    name: str
    group_id: int | None = None
    filter_id: int | None = None
    reused: bool = False
    error: str | None = None
    detail: str = ""
    counts: tuple[int | None, int | None] = (None, None)


def same_name(a: str, b: str) -> bool:
    """Names compared as Maileon might: whether its names are case-blind is not documented."""
    return a.strip().casefold() == b.strip().casefold()


async def _filter_failure(client: MaileonClient, exc: MaileonError, filter_name: str) -> str:
    """Why a filter could not be made. The cap is documented, the answer is not: a 409 although no filter has
    our name, words about a limit, or the account at the cap all mean the limit."""
    detail = (exc.detail or "").lower()
    if isinstance(exc, Conflict) or any(w in detail for w in _LIMIT_WORDS):
        if isinstance(exc, Conflict) and any(same_name(f.name, filter_name) for f in await client.contact_filters()):
            return "exists"
        return "filter-limit"
    try:
        if await client.contact_filter_count() >= FILTER_LIMIT:
            return "filter-limit"
    except MaileonError:
        pass
    return "bad-request"


async def ensure_group(client: MaileonClient, *, group_name: str, filter_name: str, field: str,
                       group_id: int | None = None, filter_id: int | None = None) -> GroupOutcome:
    """The target group ``group_name`` on the filter "``field`` equals true", without piling anything up in
    Maileon: a group we made before (its id, or its name on our filter) is reused; our filter (its id, or
    ``filter_name``) is reused; only what is missing is created, the filter with its own call so that a group
    that cannot be made leaves no filter behind (the v2 call with createTargetGroup may, Maileon's order is
    not documented). A name taken by someone else's group is left alone ("exists"). The filter is evaluated
    again (refresh) before its counts are read. Maileon's 4xx answers come back in ``error``; others raise."""
    out = GroupOutcome(group_name)
    problem = target_group_name_problem(group_name)
    if problem:
        out.error = problem
        return out
    if group_id:
        try:
            info = await client.get_target_group(group_id)
        except NotFound:
            info = None
        if info is not None and (not filter_id or info.contact_filter_id in (None, filter_id)):
            out.group_id, out.filter_id, out.reused = group_id, info.contact_filter_id or filter_id, True
            return await _counted(client, out)
    filters = await client.contact_filters()
    if filter_id not in {f.id for f in filters}:
        filter_id = next((f.id for f in filters if same_name(f.name, filter_name)), None)
    taken = next((g for g in await client.target_groups() if same_name(g.name, group_name)), None)
    if taken is not None:
        if filter_id and taken.contact_filter_id == filter_id:  # ours: made on our filter earlier
            out.group_id, out.filter_id, out.reused = taken.id, filter_id, True
            return await _counted(client, out)
        out.error, out.detail = "exists", f"target group {taken.id}"
        return out
    created_filter = False
    if not filter_id:
        try:
            filter_id, _none = await client.create_contact_filter(filter_name, field, "true", False)
        except (BadRequest, Conflict, PermissionDeniedError) as exc:
            out.error, out.detail = await _filter_failure(client, exc, filter_name), str(exc)
            return out
        created_filter = True
    try:
        out.group_id = await client.create_target_group(group_name, filter_id)
    except MaileonError as exc:
        if created_filter:  # no orphan: the filter made for this group goes with it
            try:
                await client.delete_contact_filter(filter_id)
            except MaileonError:
                pass
        if not isinstance(exc, BadRequest | Conflict | NotFound):
            raise
        out.error = "exists" if isinstance(exc, Conflict) else "bad-request"
        out.detail = str(exc)
        return out
    out.filter_id = filter_id
    return await _counted(client, out)


async def _counted(client: MaileonClient, out: GroupOutcome) -> GroupOutcome:
    """The group's counts after its filter was evaluated again (a reused group's would be its last run's)."""
    if out.filter_id:
        try:
            await client.refresh_contact_filter(out.filter_id)
        except (NotFound, BadRequest):
            pass  # the counts are read all the same; an uncounted group says so
    if out.group_id:
        try:
            info = await client.get_target_group(out.group_id)
            out.counts = (info.count_contacts, info.count_active_contacts)
        except MaileonError as exc:
            out.detail = str(exc)
    return out


async def create_target_group(client: MaileonClient, name: str, import_field: str,
                              emit: Callable[[ev.Event], None], *, marked: int = 0) -> dict[str, Any]:
    """``marked``: contacts this run marked with the import field (what the group should count)."""
    emit(ev.PhaseStarted("targetgroup"))
    made = await ensure_group(client, group_name=name, filter_name=shared_filter_name(import_field),
                              field=import_field)
    if made.error == "exists":
        emit(ev.Message("warning", "engine.target-group-exists", {"name": name}, "target-group-exists"))
        return {"name": name, "error": "exists"}
    if made.error == "target-group-name":
        emit(ev.Message("warning", "engine.target-group-name", {"name": name}, "target-group-name"))
        return {"name": name, "error": made.error, "detail": t("engine.target-group-name", name=name)}
    if made.error:
        emit(ev.Message("warning", "engine.target-group-failed", {"name": name}, made.error))
        return {"name": name, "error": made.error, "detail": made.detail}
    result: dict[str, Any] = {"name": name, "contact_filter_id": made.filter_id, "target_group_id": made.group_id,
                              "reused": made.reused}
    return await read_target_group(client, result, emit, marked=marked, refreshed=made.counts)


async def target_group_after_run(client: MaileonClient, ws: Workspace, run_id: int, name: str, import_field: str,
                                 emit: Callable[[ev.Event], None]) -> dict[str, Any]:
    """`sync --target-group`: the group at the end of the run, unless the run sent nothing (then the marks in
    Maileon are an older run's, and the group would hold its contacts): refused with a warning."""
    refusal = target_group_refusal(ws, run_id, import_field, finishing=True)
    if refusal:
        emit(ev.Message("warning", refusal[0], refusal[1]))
        return {"name": name, "error": "marks-elsewhere", "detail": t(refusal[0], **refusal[1])}
    return await create_target_group(client, name, import_field, emit, marked=marked_in_run(ws, run_id))


async def read_target_group(client: MaileonClient, result: dict[str, Any], emit: Callable[[ev.Event], None], *,
                            marked: int = 0, refreshed: tuple[int | None, int | None] | None = None
                            ) -> dict[str, Any]:
    """Read Maileon's counts of a group (again: the refresh), its filter evaluated again first, so that the
    counts are not those of its last evaluation (``refreshed``: counts just read that way). The group exists
    whatever this read says, so a failed or early read is reported, never raised: a finished run is not
    aborted for it."""
    name, group_id = result["name"], result["target_group_id"]
    params: dict[str, Any] = {"name": name, "id": group_id, "marked": marked}
    for key in ("count_contacts", "count_active_contacts", "message", "hint"):
        result.pop(key, None)
    counts: tuple[int | None, int | None] = (None, None)
    if refreshed is not None:
        counts = refreshed
    else:
        try:
            read = await _counted(client, GroupOutcome(name, group_id, result.get("contact_filter_id")))
        except MaileonError as exc:
            params["detail"] = exc.technical()
        else:
            counts = read.counts
            if read.detail:
                params["detail"] = read.detail
    if counts[0] is None or counts[1] is None:
        key, level, hint = "engine.target-group-uncounted", "info", "target-group-uncounted"
    elif counts[1] == 0 and marked > 0:
        key, level, hint = "engine.target-group-empty", "warning", "target-group-empty"
    elif result.get("reused"):
        key, level, hint = "engine.target-group-reused", "info", None
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


def target_group_for_run(settings: Settings, workspace_root: Path, name: str, run_id: int, *, marked: int,
                         existing: dict[str, Any] | None = None, transport: Any = None
                         ) -> tuple[tuple[str, dict[str, Any]] | None, dict[str, Any] | None]:
    """The Results screen's "target group from this run" (blocking: the screen runs it in a worker thread):
    why it must not be made (asked again: a run may have started meanwhile), or the result of making it (or,
    with ``existing``, of reading its counts anew). Any failure comes back in the result, never raised."""
    with Workspace.open(workspace_root) as ws:
        refusal = target_group_refusal(ws, run_id, settings.maileon.import_field)
    if refusal is not None:
        return refusal, None
    try:
        result = asyncio.run(create_target_group_from_settings(
            settings, name, transport=transport, marked=marked, existing=existing))
    except Exception as exc:  # unreachable proxy, TLS, …: shown, never crashes the UI
        result = {"name": name, "error": "maileon-error", "detail": f"{type(exc).__name__}: {exc}"}
    result.update(run=run_id, marked=marked)
    return None, result
