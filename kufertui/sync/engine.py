"""The round trip (README.md, "What it does") as one engine: pull → write back → push objections → pre-flight →
XML file → ImportAPI → checkpointed upload → report. UI-agnostic: it only emits events.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx

from kufertui.config import Settings
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.core.fields import custom_field_types
from kufertui.core.report import RunReport, report_line
from kufertui.kufer.errors import ImportFailure
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import client_options, key_origin, learned_rate
from kufertui.sync.internals.breaker import KeepsFailing
from kufertui.sync.internals.interrupt import CANCEL_GRACE_S, CancelRequested, unless_cancelled
from kufertui.sync.internals.marks_ahead import MarksAhead, marks_ahead
from kufertui.sync.internals.run_start import RunStart, open_run, selection_taken
from kufertui.sync.internals.upload_step import StreamedUpload, UploadContext
from kufertui.sync.lock import LockHeld, WorkspaceLock
from kufertui.sync.mapping import mapping_refusal
from kufertui.sync.options import SyncOptions
from kufertui.sync.plan import Plan, Preflight, plan_with, run_preflight
from kufertui.sync.segments import SegmentRun
from kufertui.sync.unsubscribes import (
    objection_figures,
    pull_unsubscribes,
    push_for_run,
    record_kufer_objections,
    write_back,
)
from kufertui.sync.upload_owner import record_upload_file

T = TypeVar("T")


class SyncAborted(Exception):
    """The run stopped early; `failed` says why and whether it can be resumed."""

    def __init__(self, failed: ev.Failed) -> None:
        super().__init__(failed.key)
        self.failed = failed


def maileon_failure(exc: MaileonError) -> tuple[str, int]:
    """The message key and exit code of a run that Maileon (or the way to it) stopped. The message says it in
    the user's words; the technical side (`failure_detail`) follows it after "Details:"."""
    if exc.configuration:
        return ("engine.key-refused" if exc.hint_id == "key-invalid" else "engine.maileon-refused"), EXIT_USAGE
    return "engine.maileon-error", EXIT_UNREACHABLE


def local_detail(exc: OSError | ImportFailure) -> str:
    """The `detail` of local trouble: an import failure in the user's words (not its code), else the OS's text."""
    if isinstance(exc, ImportFailure):
        from kufertui.i18n import t

        return t(f"import.fail.{exc.code}", **exc.params)
    return str(exc)


def failure_detail(exc: MaileonError) -> str:
    """The `detail` of a Maileon failure: request, HTTP status, the server's words (not the exception class)."""
    return exc.technical()


class SyncEngine:
    def __init__(self, settings: Settings, workspace_root: Path, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 on_event: Callable[[ev.Event], None] | None = None,
                 cancel: threading.Event | None = None,
                 client_factory: Callable[[], MaileonClient] | None = None) -> None:
        self.settings = settings
        self.root = Path(workspace_root)
        self.transport = transport
        self.emit: Callable[[ev.Event], None] = on_event or (lambda _e: None)
        self.cancel = cancel or threading.Event()
        self._client_factory = client_factory

    # --- helpers -------------------------------------------------------------------------------
    def client(self) -> MaileonClient:
        if self._client_factory:
            return self._client_factory()
        return MaileonClient(client_options(self.settings), transport=self.transport)

    def _say(self, key: str, level: str = "info", hint_id: str | None = None, **params: Any) -> None:
        self.emit(ev.Message(level, key, params, hint_id))

    # --- the round trip -----------------------------------------------------------------------
    async def run(self, options: SyncOptions) -> RunReport:
        """One whole sync. Raises SyncAborted (after emitting Failed) when it cannot finish."""
        with self._locked_workspace() as ws:
            return await self._run_locked(ws, options)

    async def run_pull(self) -> RunReport:
        """The daily job (`kufertui unsubscribers pull`): the same unsubscriber steps as a full run – pull,
        write-back, KUFER objections to Maileon – and nothing else, journaled as a run of kind "pull".
        Raises SyncAborted like run()."""
        with self._locked_workspace() as ws:
            run_id = ws.journal.start_run("pull", selection={}, fields={}, options={})
            report = RunReport(run_id=run_id)
            with self._journaled_failures(ws, report, resumable=False):
                async with self.client() as client:
                    await self._unsubscriber_steps(client, ws, report, run_id)
            ws.journal.finish_run(run_id, "done", counts=report.to_json())
            self.emit(ev.Finished(report))
            return report

    @contextmanager
    def _locked_workspace(self) -> Iterator[Workspace]:
        """One run per workspace at a time (a second process gets a clear message, not a race)."""
        lock = WorkspaceLock(self.root / "sync.lock")
        try:
            lock.acquire()
        except LockHeld as exc:
            self._fail("engine.lock-held", EXIT_USAGE, "lock-held", holder=exc.holder)
        try:
            ws = Workspace.open(self.root)
            try:
                yield ws
            finally:
                ws.close()
        finally:
            lock.release()

    def _fail(self, key: str, code: int, hint_id: str | None, *, run_id: int | None = None,
              resumable: bool = False, **params: Any) -> None:
        failed = ev.Failed(key, params, hint_id, code, run_id, resumable)
        self.emit(failed)
        raise SyncAborted(failed)

    async def _run_locked(self, ws: Workspace, options: SyncOptions) -> RunReport:
        segment_fields = [s.field for s in ws.segments.all()]
        refusal = mapping_refusal(options.mappings, self.settings.maileon.import_field, segment_fields)
        if refusal and options.resume_run_id is None:  # the last guard: before the journal and Maileon
            self._fail(refusal[0], EXIT_USAGE, None, **refusal[1])
        if options.segments and options.resume_run_id is None and SegmentRun.unknown(ws, options.segments):
            self._fail("segment.unknown", EXIT_USAGE, None, name=", ".join(SegmentRun.unknown(ws, options.segments)))
        start = open_run(ws, self.settings, options, segment_fields, fail=self._fail, say=self._say,
                         refuse=lambda run_id, key, **params: self._refuse(ws, run_id, RunReport(run_id=run_id),
                                                                           key, **params))
        run_id, options = start.run_id, start.options
        report = RunReport(run_id=run_id, dry_run=options.dry_run)
        try:
            with self._journaled_failures(ws, report, resumable=not options.dry_run):
                # a new run's selection is taken while the first reads go to Maileon (the pull waits for it)
                async with selection_taken(self.root, start) as selection, self.client() as client, \
                        learned_rate(client, ws, self._say):
                    declared_task = asyncio.create_task(client.list_custom_fields())  # alongside the pull
                    marks = marks_ahead(client, self.settings.maileon.import_field, declared_task,
                                        wanted=not options.dry_run and not start.resumed)
                    async with marks as marks_seen:  # a look at the marks, alongside the pull as well
                        await self._steps(client, ws, report, start, declared_task, marks_seen, selection)
        except asyncio.CancelledError:
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(),
                                  error={"key": "engine.cancelled", "params": {"run": run_id}})
            raise
        finally:  # however the run ended: an upload file it moved into place is known as its own
            record_upload_file(ws, run_id, report)
        self._finish_report(ws, report, run_id, options)
        return report

    async def _steps(self, client: MaileonClient, ws: Workspace, report: RunReport, start: RunStart,
                     declared_task: asyncio.Task[dict[str, str]], marks_seen: MarksAhead,
                     selection: asyncio.Task[list[int]] | None) -> None:
        """The run's steps with Maileon: unsubscribers (pull, write-back, objections), then pre-flight and upload
        (or the dry run's comparison). Maileon's custom fields are read alongside the pull; a new run's
        ``selection`` is taken alongside its read."""
        run_id, options, segments = start.run_id, start.options, start.segments
        try:
            await self._unsubscriber_steps(client, ws, report, run_id, dry_run=options.dry_run, selection=selection)
            if selection is not None:
                start.ids = selection.result()  # the pull waited for it
            declared = await self._until_cancelled(declared_task, ws, run_id, report)
        finally:
            if not declared_task.done():
                declared_task.cancel()
            # always awaited: a failure of its own must not end as "Task exception was never retrieved"
            await asyncio.gather(declared_task, return_exceptions=True)
        if segments and segments.type_conflicts(declared):
            self._refuse(ws, run_id, report, "segment.field-type", fields=", ".join(
                f"{n} ({k})" for n, k in segments.type_conflicts(declared)))
        preflight = run_preflight(self.settings, ws, options.mappings, declared_custom=declared,
                                  segment_marks=segments.marks if segments else None)
        if options.dry_run:
            await self._dry_run(client, ws, report, start, preflight, declared)
        else:
            await self._upload(client, ws, report, start, preflight, declared, marks_seen)

    async def _dry_run(self, client: MaileonClient, ws: Workspace, report: RunReport, start: RunStart,
                       preflight: Preflight, declared: dict[str, str]) -> None:
        from kufertui.sync.dryrun import compare_with_maileon

        for name, kind in custom_field_types(start.options.mappings).items():
            if name not in declared:
                self._say("engine.custom-field-would-create", field=name, type=kind)
        plan = await self._dry_run_plan(ws, preflight, start.ids, report, start.run_id)
        if start.segments:
            start.segments.dry_run_report(plan, report, self._say)
        objections = ws.ledger.pending_push() if self.settings.unsubscribers.push_objections else []
        await compare_with_maileon(client, ws, plan, report, self.emit, objections=objections)

    async def _upload(self, client: MaileonClient, ws: Workspace, report: RunReport, start: RunStart,
                      preflight: Preflight, declared: dict[str, str], marks_seen: MarksAhead) -> None:
        run_id, segments = start.run_id, start.segments
        ctx = UploadContext(self.settings, self.root, ws, run_id, report, self.emit, self._say,
                            self.cancel, lambda: self._cancelled(ws, run_id, report))
        await StreamedUpload(ctx, preflight, start.ids, resumed=start.resumed, declared_fields=declared,
                             segments=segments, marks_seen=marks_seen).run(client)
        if segments:
            await segments.finish(client, ws, report, self.emit, declared)
        if start.options.target_group:
            from kufertui.sync.targetgroup import target_group_after_run

            report.target_group = await target_group_after_run(
                client, ws, run_id, start.options.target_group, self.settings.maileon.import_field, self.emit)

    @contextmanager
    def _journaled_failures(self, ws: Workspace, report: RunReport, *, resumable: bool) -> Iterator[None]:
        """A run (or pull) that Maileon or local trouble (disk full, write-back database refused) stops: journaled
        as aborted with what happened, then Failed; ``resumable`` when a resume may go on with it."""
        run_id = report.run_id
        try:
            yield
        except MaileonError as exc:
            key, code = maileon_failure(exc)
            detail = failure_detail(exc)
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(),
                                  error={"hint_id": exc.hint_id, "status": exc.status, "key": key,
                                         "params": {"detail": detail}})
            self._fail(key, code, exc.hint_id, run_id=run_id,
                       resumable=resumable, detail=detail, origin=key_origin(self.settings))
        except (OSError, ImportFailure) as exc:
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(),
                                  error={"local": type(exc).__name__, "key": "engine.local-error",
                                         "params": {"detail": local_detail(exc)}})
            self._fail("engine.local-error", EXIT_ABORTED, getattr(exc, "hint_id", None), run_id=run_id,
                       resumable=resumable, detail=local_detail(exc))

    def _refuse(self, ws: Workspace, run_id: int, report: RunReport, key: str, **params: Any) -> None:
        """Bad input found once Maileon's side is known: the run ends, not resumable, nothing uploaded."""
        ws.journal.finish_run(run_id, "failed", counts=report.to_json(), error={"key": key, "params": params})
        self._fail(key, EXIT_USAGE, None, run_id=run_id, **params)

    def _cancelled(self, ws: Workspace, run_id: int, report: RunReport) -> None:
        from kufertui.sync.internals.reconcile import fill_report

        if ws.journal.outcome_counts(run_id):  # the figures so far, for Results and History
            fill_report(ws, report, run_id)
        objection_figures(ws, run_id, report)
        selection = ws.journal.selection_ids(run_id)
        if selection is not None:
            report.selected = len(selection)
        record = ws.journal.run(run_id)
        if record is not None and record.kind == "pull":  # the daily job: the next pull simply goes on
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(), error={"key": "engine.pull-cancelled"})
            self._fail("engine.pull-cancelled", EXIT_ABORTED, None, run_id=run_id)
        ws.journal.finish_run(run_id, "aborted", counts=report.to_json(),
                              error={"key": "engine.cancelled", "params": {"run": run_id}})
        self._fail("engine.cancelled", EXIT_ABORTED, "resume-available", run_id=run_id, resumable=True, run=run_id)

    def _stop_if_cancelled(self, ws: Workspace, run_id: int, report: RunReport) -> None:
        if self.cancel.is_set():
            self._cancelled(ws, run_id, report)

    async def _until_cancelled(self, aw: Awaitable[T], ws: Workspace, run_id: int, report: RunReport, *,
                               grace_s: float = 0.0) -> T:
        """Await requests that stop within seconds of a cancel, also while they wait for a retry or a rate
        slot: the pull and the field list at once (nothing is written for them until they return), the
        objection push after a short grace (what is not pushed stays pending)."""
        try:
            return await unless_cancelled(aw, self.cancel, grace_s=grace_s)
        except CancelRequested:
            self._cancelled(ws, run_id, report)
            raise  # not reached: _cancelled raises SyncAborted

    async def _unsubscriber_steps(self, client: MaileonClient, ws: Workspace, report: RunReport, run_id: int, *,
                                  dry_run: bool = False, selection: asyncio.Task[list[int]] | None = None) -> None:
        """Steps 4a–4c. Each step's figures are journaled as it finishes; a resumed run adds to them. The pull
        writes nothing before ``selection`` is taken."""
        steps = ws.journal.steps(run_id)
        self.emit(ev.PhaseStarted("pull"))
        pulled = await self._until_cancelled(pull_unsubscribes(client, ws, ready=selection), ws, run_id, report)
        before = steps.get("pull", {})
        report.unsubscribes_pulled = int(before.get("new", 0)) + len(pulled.new)
        report.unsubscribes_seen = int(before.get("seen", pulled.seen))  # the run's first read (a resume re-reads)
        report.contacts_set_n = int(before.get("set_n", 0)) + pulled.contacts_set_n
        ws.journal.record_step(run_id, "pull", {"new": report.unsubscribes_pulled, "seen": report.unsubscribes_seen,
                                                "set_n": report.contacts_set_n})
        self.emit(ev.Pulled(pulled.seen, len(pulled.new), pulled.contacts_set_n))
        self._stop_if_cancelled(ws, run_id, report)
        if pulled.anonymised_matched:
            self._say("engine.anonymised-matched", count=pulled.anonymised_matched)
        if pulled.persons:
            self._say("engine.persons-opted-out", "warning", "opted-out-person", count=len(pulled.persons),
                      numbers=", ".join(pulled.persons[:5]))
        if pulled.unmatched:
            self._say("engine.anonymised-unmatched", "warning", "unsub-anonymised-unmatched",
                      count=len(pulled.unmatched), ids=", ".join(pulled.unmatched[:5]))
        self.emit(ev.PhaseStarted("writeback"))
        src = self.settings.source
        written = write_back(ws, sql_dsn=src.sql_dsn if src.kind == "sql" else "", sql_statement=src.sql_writeback)
        count, path = written.count, written.path
        before = steps.get("writeback", {})
        report.written_back = int(before.get("count", 0)) + count
        report.writeback_file = str(path) if path else before.get("file")
        report.writeback_tnr_withheld = int(before.get("tnr_withheld", 0)) + len(written.tnr_withheld)
        ws.journal.record_step(run_id, "writeback", {"count": report.written_back, "file": report.writeback_file,
                                                     "tnr_withheld": report.writeback_tnr_withheld})
        if count:
            self._say("engine.written-back", count=count, path=str(path))
        if written.tnr_withheld:
            self._say("engine.writeback-tnr-withheld", "warning", "writeback-tnr-withheld",
                      count=len(written.tnr_withheld), numbers=", ".join(written.tnr_withheld[:5]))
        self._stop_if_cancelled(ws, run_id, report)
        record_kufer_objections(ws)
        if not self.settings.unsubscribers.push_objections:
            self._say("engine.push-off", "warning", "objection-push-off")
        else:
            pending = len(ws.ledger.pending_push())
            before = steps.get("push", {})  # pushed before an interruption: still this run's figures
            report.objections_pushed = int(before.get("unsubscribed", 0))
            report.objections_not_in_maileon = int(before.get("not_in_maileon", 0))
            if pending and dry_run:  # a dry run writes nothing to Maileon: it only lists them
                report.objections_pending = pending
            elif pending:
                self.emit(ev.PhaseStarted("push", pending))
                try:
                    pushed = await self._until_cancelled(push_for_run(
                        client, ws, run_id, concurrency=self.settings.maileon.single_call_concurrency,
                        cancel=self.cancel, on_progress=lambda d, t: self.emit(ev.Progress("push", d, t)),
                        seen_in_report=pulled.emails), ws, run_id, report, grace_s=CANCEL_GRACE_S)
                except KeepsFailing as stop:  # Maileon keeps failing: the rest waits on the ledger
                    self._stop_if_cancelled(ws, run_id, report)  # asked to stop meanwhile: that is what happened
                    objection_figures(ws, run_id, report)
                    self._say("engine.push-stopped", "warning", stop.error.hint_id, count=stop.count,
                              pending=report.objections_pending)
                    raise stop.error from None
                report.objections_pushed = int(before.get("unsubscribed", 0)) + pushed.unsubscribed
                report.objections_not_in_maileon = int(before.get("not_in_maileon", 0)) + pushed.not_in_maileon
                report.objections_pending = pushed.failed + pushed.skipped
                self._say("engine.pushed", unsubscribed=pushed.unsubscribed,
                          not_found=pushed.not_in_maileon, failed=pushed.failed)
        self._stop_if_cancelled(ws, run_id, report)

    async def _dry_run_plan(self, ws: Workspace, preflight: Preflight, ids: list[int], report: RunReport,
                            run_id: int) -> Plan:
        self.emit(ev.PhaseStarted("preflight"))
        plan = await asyncio.to_thread(self._plan_all, preflight, ids)
        ws.journal.record_outcomes(run_id, plan.held_back)
        report.selected = plan.selected
        if plan.by_code.get("k-notice-missing"):
            self._say("engine.k-notice-missing", "warning", "k-notice-missing",
                      count=plan.by_code["k-notice-missing"])
        self._say("engine.preflight", selected=plan.selected, sendable=len(plan.sendable),
                  held=len(plan.held_back))
        return plan

    def _plan_all(self, preflight: Preflight, ids: list[int]) -> Plan:
        # A thread of its own: SQLite reads and validation of 100k contacts must not block the loop.
        with Workspace.open(self.root) as ws:
            return plan_with(preflight, (c for _, c in ws.contacts.iter_contacts(ids=ids)))

    def _finish_report(self, ws: Workspace, report: RunReport, run_id: int, options: SyncOptions) -> None:
        self.emit(ev.PhaseStarted("report"))
        from kufertui.sync.internals.reconcile import fill_report

        fill_report(ws, report, run_id)
        lang = self.settings.ui.language
        line = report_line(report, lang)
        state = "done"
        ws.journal.finish_run(run_id, state, counts=report.to_json(), report_line=line)
        if not report.reconciled:
            self._say("engine.reconciliation-gap", "warning", "reconciliation-gap",
                      missing=len(report.missing), gap=report.selected - report.accounted)
        self.emit(ev.Finished(report))


def run_to_end(engine: SyncEngine, options: SyncOptions, on_error: Callable[[BaseException], None]) -> None:
    """A whole run in the calling thread (a face's worker thread, with a loop of its own). Its end is an event
    (Finished, or Failed before SyncAborted); anything unexpected, a cancelled task too, goes to ``on_error``
    to be shown, never ends the thread unseen."""
    try:
        asyncio.run(engine.run(options))
    except SyncAborted:
        pass  # already reported as a Failed event
    except BaseException as exc:
        on_error(exc)
