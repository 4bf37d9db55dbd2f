"""Steps 5–8 of the round trip for a real run: pre-flight, the upload XML file, the ImportAPI field and
the checkpointed upload, pipelined. Pre-flight streams batches (see ``stream.py``); each batch is
journaled as planned before it is sent and checkpointed when Maileon confirms it, so a resumed run
sends the unconfirmed batches again and plans only what was never planned.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kufertui.config import Settings, permission_code
from kufertui.core.contact import UPLOADABLE
from kufertui.core.fields import custom_field_types
from kufertui.core.report import RunReport
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.uploader import BatchResult, upload_batches
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.internals.breaker import KeepsFailing
from kufertui.sync.internals.interrupt import CANCEL_GRACE_S, CancelRequested, unless_cancelled
from kufertui.sync.internals.marks_ahead import MarksAhead
from kufertui.sync.internals.moves import CODE_EXTERNAL_ID_TAKEN, move_changed_emails
from kufertui.sync.internals.resume import plan_for_resume
from kufertui.sync.internals.stream import PlanStream
from kufertui.sync.internals.upload_file import UploadFileWriter
from kufertui.sync.marks import (
    clear_marks,
    expected_marks,
    mark_filter,
    read_marks,
    report_observed,
    verify_marks,
)
from kufertui.sync.plan import Planned, Preflight
from kufertui.sync.segments import SegmentRun
from kufertui.sync.targetgroup import marked_in_run

Say = Callable[..., None]


@dataclass(slots=True)
class UploadContext:
    settings: Settings
    root: Path
    ws: Workspace
    run_id: int
    report: RunReport
    emit: Callable[[ev.Event], None]
    say: Say
    cancel: threading.Event
    cancelled: Callable[[], None]  # journals the stop and raises SyncAborted (resumable)


class StreamedUpload:
    def __init__(self, ctx: UploadContext, preflight: Preflight, ids: list[int], *, resumed: bool,
                 declared_fields: Mapping[str, str] | None = None, segments: SegmentRun | None = None,
                 marks_seen: MarksAhead | None = None) -> None:
        self.ctx = ctx
        self.marks_seen = marks_seen or MarksAhead(None)  # what a look at the marks found during the pull
        self.segments = segments
        self.declared_fields = declared_fields  # Maileon's custom fields as read at the start of this run
        self.preflight = preflight
        self.ids = ids
        self.resumed = resumed
        m = ctx.settings.maileon
        self.batch_size = m.batch_size
        self.permissions = {s.value: permission_code(ctx.settings, s) for s in UPLOADABLE}
        self.by_no: dict[int, tuple[int, list[Planned]]] = {}
        self.fixed: list[tuple[int, int, list[Planned]]] = []
        self.fixed_contacts = 0
        self.done_contacts = 0
        self.stream: PlanStream | None = None
        self.mark_filter: int | None = None  # our filter "import field equals true" (counts the marks)

    # --- planning ------------------------------------------------------------------------------
    def _prepare(self) -> PlanStream:
        ws, run_id = self.ctx.ws, self.ctx.run_id
        skip: set[str] = set()
        first_no = 1
        if self.resumed:
            pending = plan_for_resume(ws, run_id, self.preflight.mappings, self.preflight.import_field,
                                      self.preflight.segment_marks)
            self.fixed = pending.fixed_batches or []
            self.fixed_contacts = sum(len(cs) for _, _, cs in self.fixed)
            journaled = ws.journal.outcomes(run_id)
            skip = {o.contact_key for o in journaled}
            # an e-mail planned before the interruption stays taken: a later duplicate is still rejected
            self.preflight.seen.update(o.email.lower() for o in journaled if o.outcome in ("planned", "sent"))
            first_no = max((no for no, *_ in ws.journal.batches(run_id)), default=0) + 1
            self.ctx.report.selected = len(journaled)
        self.ctx.report.selected += len(self.ids)  # an estimate until planning ends (then exact)
        return PlanStream(self.ctx.root, self.ids, self.preflight, batch_size=self.batch_size,
                          permissions=self.permissions, first_batch_no=first_no, skip_keys=skip, run_id=run_id)

    def _estimated_total(self) -> int:
        assert self.stream is not None
        return self.fixed_contacts + self.stream.sendable + self.stream.remaining_estimate()

    def _estimated_batches(self) -> int:
        assert self.stream is not None
        return len(self.fixed) + self.stream.batches_estimate()

    async def _batches(self) -> AsyncIterator[tuple[int, list[Planned]]]:
        """Fixed batches of the interrupted run first, then the stream, each journaled before it is sent."""
        for no, perm, members in self.fixed:
            if self.ctx.cancel.is_set():
                return
            self.by_no[no] = (perm, members)
            yield no, members
        assert self.stream is not None
        while not self.ctx.cancel.is_set():
            item = await self.stream.next()  # journaled by the stream's thread (planned) before it comes
            if item is None:
                self._planning_finished()
                return
            batch = item.batch
            if batch is not None:
                self.by_no[batch.number] = (batch.permission, batch.contacts)
                yield batch.number, batch.contacts

    def _planning_finished(self) -> None:
        assert self.stream is not None
        report, stream = self.ctx.report, self.stream
        report.selected = report.selected - len(self.ids) + stream.selected
        by_code = self.preflight.by_code
        if by_code.get("k-notice-missing"):
            self.ctx.say("engine.k-notice-missing", "warning", "k-notice-missing", count=by_code["k-notice-missing"])
        self.ctx.say("engine.preflight", selected=report.selected, sendable=self.fixed_contacts + stream.sendable,
                     held=stream.held)

    # --- the run -------------------------------------------------------------------------------
    async def run(self, client: MaileonClient) -> None:
        ctx = self.ctx
        ctx.emit(ev.PhaseStarted("preflight"))
        self.stream = self._prepare()
        self.stream.start()
        try:
            await self._run(client)
        finally:
            self.stream.close()

    async def _run(self, client: MaileonClient) -> None:
        ctx, ws, run_id = self.ctx, self.ctx.ws, self.ctx.run_id
        m = ctx.settings.maileon
        batches = self._batches()
        first = await anext(batches, None)
        if first is None:
            if ctx.cancel.is_set():  # cancelled during pre-flight: stopped, not "nothing to send"
                ctx.cancelled()
            if not self.resumed:
                # nothing to send: leave Maileon untouched (clearing ImportAPI would erase the last run's marks)
                ctx.say("engine.nothing-to-send" if ctx.report.selected else "engine.nothing-selected", "warning")
                return
        if not any(state == "done" for _no, state, *_rest in ws.journal.batches(run_id)):
            # Nothing of this run is in Maileon yet: (re)do the field step, which a crash may have cut short.
            # Once a batch is confirmed, clearing ImportAPI again would erase this run's own marks.
            # Pre-flight goes on in its thread meanwhile.
            ctx.emit(ev.PhaseStarted("fields"))
            created = await client.ensure_custom_field(m.import_field, "boolean", known=self.declared_fields)
            if not created:  # cleared, and read back until the clear has landed (``marks.py``)
                self.mark_filter, seen = await self.marks_seen.before_clear(client, m.import_field)
                await clear_marks(client, [m.import_field], ctx.say, filters={m.import_field: self.mark_filter},
                                  cancelled=ctx.cancel.is_set, seen=seen)
                if ctx.cancel.is_set():
                    ctx.cancelled()
            ctx.say("engine.import-field-created" if created else "engine.import-field-cleared", field=m.import_field)
            if self.segments is not None:  # a segment refresh: its fields created or cleared as well
                await self.segments.prepare_fields(client, self.declared_fields, ctx.say, cancelled=ctx.cancel.is_set)
            for name, kind in custom_field_types(self.preflight.mappings).items():
                # a mapped custom field missing in Maileon: created now, or Maileon rejects every contact (code 21)
                if await client.ensure_custom_field(name, kind, known=self.declared_fields):
                    ctx.say("engine.custom-field-created", field=name, type=kind)
            if ctx.cancel.is_set():
                ctx.cancelled()
        ctx.emit(ev.PhaseStarted("upload", self._estimated_total()))
        writer = UploadFileWriter(ws.paths.upload_xml, resumed=self.resumed)

        async def all_batches() -> AsyncIterator[tuple[int, list[Any]]]:
            pending = [first] if first is not None else []
            for no, members in pending:
                yield no, [p.contact for p in members]
            async for no, members in batches:
                yield no, [p.contact for p in members]

        try:
            # a cancel lets the batches in flight finish for a moment, then cuts them off (sent again on resume)
            summary = await unless_cancelled(upload_batches(
                client, all_batches(), permission_for=lambda no: self.by_no[no][0], on_result=self._on_result,
                max_in_flight=m.batches_in_flight, build=writer.build, cancelled=ctx.cancel.is_set),
                ctx.cancel, grace_s=CANCEL_GRACE_S)
        except BaseException as exc:
            writer.close(complete=False)
            if isinstance(exc, CancelRequested):
                ctx.cancelled()
            raise
        written = writer.close(complete=not summary.stopped and not ctx.cancel.is_set()) or writer.part_path
        if written != ws.paths.upload_xml and not summary.stopped and not ctx.cancel.is_set():
            ctx.say("platform.replaced-elsewhere", "warning", path=str(ws.paths.upload_xml), other=str(written))
        ctx.report.upload_xml = str(written)
        if summary.errors:
            raise summary.errors[0]
        if not ctx.cancel.is_set():
            moves = self._pending_moves()  # the journal's, also those of batches a killed attempt confirmed
            if moves:
                await self._move_changed_emails(client, moves)
        if ctx.cancel.is_set():
            ctx.cancelled()
        await self._verify_marks(client)

    async def _verify_marks(self, client: MaileonClient) -> None:
        """No run ends "done" while Maileon's marks differ from what it sent (``marks.py``)."""
        ctx = self.ctx
        field = ctx.settings.maileon.import_field
        segment_marks = self.segments.marks if self.segments is not None else {}

        def expected_on_own_connection() -> dict[str, set[str]]:
            with Workspace.open(ctx.root) as ws:
                return expected_marks(ws, ctx.run_id, field, segment_marks)

        async def verify() -> None:
            # No filter before the upload: most likely the marks are read back contact by contact, against what the
            # run sent. Both go out while the filter is looked for once more (what the run sent is gathered in a
            # thread); where a filter turns up and counts the marks, the read is dropped (read only).
            fields = [field, *segment_marks]
            early = asyncio.create_task(asyncio.to_thread(expected_on_own_connection)) if self.mark_filter is None \
                else None
            first_read = asyncio.create_task(read_marks(client, fields)) if self.mark_filter is None else None

            async def expected_of() -> dict[str, set[str]]:
                return await early if early is not None else expected_marks(ctx.ws, ctx.run_id, field, segment_marks)

            try:
                if self.mark_filter is None:
                    self.mark_filter = await mark_filter(client, field)
                counts = {field: (self.mark_filter, marked_in_run(ctx.ws, ctx.run_id))} if self.mark_filter else None
                await verify_marks(client, ctx.ws, ctx.run_id, fields, expected_of, ctx.say,
                                   batch_size=self.batch_size, counts=counts, first_read=first_read)
            finally:  # never left behind, whatever became of the verification
                if first_read is not None and not first_read.done():
                    first_read.cancel()
                await asyncio.gather(*(t for t in (early, first_read) if t is not None), return_exceptions=True)

        try:
            await unless_cancelled(verify(), ctx.cancel, grace_s=CANCEL_GRACE_S)
        except CancelRequested:
            ctx.cancelled()
            raise
        report_observed(client, ctx.say)

    def _pending_moves(self) -> list[tuple[int, Planned]]:
        """The run's moves not yet done, each with its contact as this run sends it (from the batch in memory,
        or rebuilt from the workspace for a batch confirmed before an interruption). A contact whose address
        changed again since is left: the next run meets it afresh."""
        ws, run_id = self.ctx.ws, self.ctx.run_id
        pending = ws.journal.pending_moves(run_id)
        if not pending:
            return []
        in_memory = {p.key: p for _perm, members in self.by_no.values() for p in members}
        gone = set(ws.contacts.left_keys().values())  # left KUFER since their batch: not moved, stay the reject
        missing = {key for _no, key, _email in pending if key not in in_memory}
        if missing:
            for _id, contact in ws.contacts.iter_contacts():
                if contact.key in missing:
                    in_memory[contact.key] = Planned(contact.key, contact.email, contact.status.value,
                                                     self.preflight.to_maileon(contact))
        out: list[tuple[int, Planned]] = []
        for batch_no, key, email in pending:
            p = in_memory.get(key)
            if p is None or p.email.lower() != email.lower() or key in gone:
                ws.journal.finish_move(run_id, key, "left")
                continue
            out.append((batch_no, p))
        return out

    async def _move_changed_emails(self, client: MaileonClient, moves: list[tuple[int, Planned]]) -> None:
        ctx = self.ctx
        try:
            moved = await unless_cancelled(move_changed_emails(
                client, ctx.ws, ctx.run_id, moves, concurrency=ctx.settings.maileon.single_call_concurrency,
                fatal=lambda exc: exc.hint_id in ("key-invalid", "key-rights", "proxy-socket", "proxy-auth", "tls")),
                ctx.cancel, grace_s=CANCEL_GRACE_S)
        except CancelRequested:
            ctx.cancelled()
            raise
        except KeepsFailing as stop:  # Maileon keeps failing: the run stops resumably with the error's hint
            if ctx.cancel.is_set():  # asked to stop meanwhile: that is what happened
                ctx.cancelled()
            ctx.say("engine.moves-stopped", "warning", stop.error.hint_id, count=stop.count)
            raise stop.error from None
        if moved.moved:
            ctx.say("engine.emails-moved", count=moved.moved)
        if moved.conflicts:
            ctx.say("engine.email-move-conflict", "warning", "email-move-conflict", count=len(moved.conflicts),
                    emails=", ".join(moved.conflicts[:5]))
        if moved.target_known:  # the hint of the first case (both hints name the other)
            ctx.say("engine.email-move-target-known", "warning", moved.target_known[0][0],
                    count=len(moved.target_known), emails="; ".join(both for _code, both in moved.target_known[:5]))

    def _on_result(self, result: BatchResult) -> None:
        if result.error is not None:
            return
        rep = result.report
        assert rep is not None
        perm, contacts = self.by_no[result.batch_no]
        rejected: list[ContactOutcome] = []
        moves: list[tuple[str, str]] = []  # code-4 rejects: e-mail changed in KUFER, moved after the upload
        if rep.invalid_contacts:
            invalid = {(ic.email or "").lower(): ic for ic in rep.invalid_contacts}
            for p in contacts:
                ic = invalid.get(p.email.lower())
                if ic is not None:
                    if ic.code == CODE_EXTERNAL_ID_TAKEN and p.contact.external_id:
                        moves.append((p.key, p.email))
                    rejected.append(ContactOutcome(p.key, p.email, p.status, "invalid", result.batch_no,
                                                   f"maileon:{ic.code}", ic.field))
        self.ctx.ws.journal.batch_sent(self.ctx.run_id, result.batch_no, {
            "new": rep.count_new_contacts, "existing": rep.count_existing_contacts,
            "invalid": rep.count_invalid_contacts, "unsubscribed": rep.count_unsubscribed_contacts,
            "contacts": rep.count_contacts}, rejected, moves)
        # confirmed: only the contacts to be moved are still needed (a 100k run kept every contact of every batch
        # alive to the end, which made each full garbage collection walk all of them)
        move_keys = {key for key, _email in moves}
        self.by_no[result.batch_no] = (perm, [p for p in contacts if p.key in move_keys] if move_keys else [])
        self.done_contacts += result.size
        self.ctx.emit(ev.BatchFinished(result.batch_no, self._estimated_batches(), result.size,
                                       rep.count_new_contacts, rep.count_existing_contacts,
                                       rep.count_invalid_contacts, rep.count_unsubscribed_contacts))
        self.ctx.emit(ev.Progress("upload", self.done_contacts, self._estimated_total()))
