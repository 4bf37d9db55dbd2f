"""The bookkeeping of a run before it talks to Maileon: a new run's journal entry (and room for its upload
file), or a resumed run's own options and selection; then the contacts it goes through (a new run's in a thread
of its own, ``fix_selection``, while its first reads go to Maileon)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

from kufertui.config import Settings
from kufertui.core.contact import UPLOADABLE
from kufertui.core.exitcodes import EXIT_USAGE
from kufertui.core.fields import FieldMapping
from kufertui.store.contacts import ContactFilter
from kufertui.store.workspace import Workspace
from kufertui.sync.mapping import mapping_refusal
from kufertui.sync.options import SyncOptions
from kufertui.sync.plan import selected_ids
from kufertui.sync.segments import SegmentRun
from kufertui.sync.upload_owner import set_aside, upload_file_owner

Fail = Callable[..., NoReturn]  # SyncEngine._fail: emits Failed and raises SyncAborted
Say = Callable[..., None]
Refuse = Callable[..., NoReturn]  # SyncEngine._refuse: journals the run as failed, then fails


@dataclass(slots=True)
class RunStart:
    run_id: int
    resumed: bool  # goes on with batches planned before
    options: SyncOptions  # a resumed run's own, whoever resumes it
    ids: list[int]  # the contacts still to plan (none when every batch was planned before)
    segments: SegmentRun | None
    # a new run's selection is not taken yet: ``fix_selection`` takes it (``ids`` is empty until then)
    unfixed: bool = False


def open_run(ws: Workspace, settings: Settings, options: SyncOptions, segment_fields: list[str], *,
             fail: Fail, say: Say, refuse: Refuse) -> RunStart:
    run_id, resumed = start_or_resume(ws, settings, options, fail=fail, say=say)
    stored = ws.journal.selection_ids(run_id) if resumed else None
    planned_before = False
    if resumed:
        options = options_of_run(ws, run_id, options)
        refusal = mapping_refusal(options.mappings, settings.maileon.import_field, segment_fields)
        if refusal:  # journaled before this guard existed: it must not go on sending it
            refuse(run_id, refusal[0], **refusal[1])
        record = ws.journal.run(run_id)
        planned_before = bool(record and record.options.get("planned"))
        if not ws.journal.batches(run_id):
            # stopped before its first batch was planned (during the pull, say): plan it again now
            ws.journal.reset_outcomes(run_id)
            resumed = planned_before = False
    segments = SegmentRun.open(ws, run_id, options.segments, fresh=stored is None) if options.segments else None
    # fixed before the unsubscriber pull, so that the report can count who dropped out; a resumed
    # run takes the selection its start fixed (taken again, the pulled unsubscribes would drop out)
    if planned_before:
        ids = []
    elif stored is not None:
        from kufertui.sync.internals.resume import drop_leavers

        ids = drop_leavers(ws, run_id, stored)  # a full export imported since may have dropped some
    elif segments:
        ids = segments.ids
        ws.journal.save_selection(run_id, ids)
    else:
        return RunStart(run_id, resumed, options, [], segments, unfixed=True)
    return RunStart(run_id, resumed, options, ids, segments)


def fix_selection(root: Path, start: RunStart) -> list[int]:
    """A new run's selection, taken and journaled on a connection of its own: called in a thread while the event
    loop sends the run's first reads to Maileon (100,000 contacts: a tenth of a second). Nothing the pull
    writes may come before it (``pull_unsubscribes`` waits): the report counts who dropped out of it."""
    with Workspace.open(root) as ws:
        ids = selected_ids(ws, start.options.selection, start.options.ids)
        ws.journal.save_selection(start.run_id, ids)
    return ids


@asynccontextmanager
async def selection_taken(root: Path, start: RunStart) -> AsyncIterator[asyncio.Task[list[int]] | None]:
    """A new run's selection taken in a thread (``fix_selection``) while the run goes on; awaited however the run
    ends, before it is journaled as ended, so that a resume finds it. None where ``open_run`` took it."""
    task = asyncio.create_task(asyncio.to_thread(fix_selection, root, start)) if start.unfixed else None
    try:
        yield task
    finally:
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)


def options_of_run(ws: Workspace, run_id: int, options: SyncOptions) -> SyncOptions:
    """A resumed run keeps the selection and fields it started with, whoever resumes it."""
    record = ws.journal.run(run_id)
    assert record is not None
    selection = record.selection or {}
    mappings = [FieldMapping(k, v["maileon"], bool(v.get("custom")), dict(v.get("value_map") or {}))
                for k, v in (record.fields or {}).items()]
    return replace(options, selection=ContactFilter.from_json(selection.get("filter") or {}),
                   ids=selection.get("ids"), mappings=mappings or options.mappings,
                   dry_run=bool(record.options.get("dry_run", options.dry_run)),
                   segments=list(record.options.get("segments") or []))


def start_or_resume(ws: Workspace, settings: Settings, options: SyncOptions, *, fail: Fail,
                    say: Say) -> tuple[int, bool]:
    kind = "dry-run" if options.dry_run else "sync"
    if options.resume_run_id is not None:
        latest = ws.journal.resumable_run()  # only the newest run, and only while it is unfinished
        if latest is None or latest.id != options.resume_run_id:
            fail("engine.nothing-to-resume", EXIT_USAGE, "resume-available")
        ws.journal.set_state(options.resume_run_id, "running")
        say("engine.resuming", run_id=options.resume_run_id)
        return options.resume_run_id, True
    if not options.dry_run:
        make_room_for_upload_file(ws, options, fail=fail, say=say)
    selection: dict[str, Any] = {"filter": options.selection.to_json(), "ids": options.ids}
    fields = {m.kufer_field: {"maileon": m.maileon_field, "custom": m.custom, "value_map": m.value_map}
              for m in options.mappings}
    run_options = {"dry_run": options.dry_run,
                   "permissions": {s.value: getattr(settings.permissions, s) for s in UPLOADABLE},
                   "import_field": settings.maileon.import_field,
                   "batch_size": settings.maileon.batch_size,
                   "k_notice_confirmed_on": settings.legal.k_notice_confirmed_on or None}
    if options.segments:
        run_options["segments"] = list(dict.fromkeys(options.segments))
    run_id = ws.journal.start_run(kind, selection=selection, fields=fields, options=run_options)
    if kind == "sync":
        ws.journal.supersede_unfinished(run_id)
    return run_id, False


def make_room_for_upload_file(ws: Workspace, options: SyncOptions, *, fail: Fail, say: Say) -> None:
    """A finished run's upload file is ours to replace (kept as ….prev.xml); the resumable run's, or one
    no run of ours wrote, only with consent (--yes, or "Yes" in the app)."""
    owner = upload_file_owner(ws)
    if owner.state == "absent":
        return
    if owner.state == "unfinished" and not options.replace_xml:
        fail("engine.xml-unfinished", EXIT_USAGE, "resume-available", path=str(ws.paths.upload_xml),
             run=owner.run_id, prev=owner.prev)
    if owner.state == "foreign" and not options.replace_xml:
        fail("engine.xml-exists", EXIT_USAGE, "xml-exists", path=str(ws.paths.upload_xml), prev=owner.prev)
    try:
        kept = set_aside(ws)
    except OSError as exc:  # the run may replace it (that was asked or is ours); only the copy is missing
        say("engine.xml-not-kept", "warning", path=str(ws.paths.upload_xml), detail=str(exc))
    else:
        if kept is not None:
            say("engine.xml-kept-as", path=str(kept))
