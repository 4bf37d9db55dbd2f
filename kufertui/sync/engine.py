"""The round trip of DESIGN §2 as one engine: pull → write back → push objections → pre-flight →
XML file → ImportAPI → checkpointed upload → report. UI-agnostic: it only emits events.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from kufertui.config import Settings, permission_code
from kufertui.core.fields import FieldMapping
from kufertui.core.report import RunReport, report_line
from kufertui.kufer.errors import ImportFailure
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.maileon.options import ClientOptions
from kufertui.maileon.uploader import BatchResult, upload_batches
from kufertui.store.contacts import ContactFilter
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.lock import LockHeld, WorkspaceLock
from kufertui.sync.plan import Plan, build_plan, selected_ids
from kufertui.sync.unsubscribes import (
    pull_unsubscribes,
    push_objections,
    record_kufer_objections,
    write_back,
)
from kufertui.sync.upload_file import UploadFileWriter

EXIT_OK, EXIT_REJECTS, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_ABORTED = 0, 1, 2, 3, 4


@dataclass(slots=True)
class SyncOptions:
    selection: ContactFilter = field(default_factory=ContactFilter)
    ids: list[int] | None = None
    mappings: list[FieldMapping] = field(default_factory=list)
    dry_run: bool = False
    replace_xml: bool = False
    resume_run_id: int | None = None
    target_group: str | None = None


class SyncAborted(Exception):
    """The run stopped early; `failed` says why and whether it can be resumed."""

    def __init__(self, failed: ev.Failed) -> None:
        super().__init__(failed.key)
        self.failed = failed


def client_options(settings: Settings) -> ClientOptions:
    m = settings.maileon
    return ClientOptions(
        api_key=m.api_key.get(), base_url=m.base_url, proxy=settings.proxy.url(),
        ca_bundle=settings.tls.ca_bundle or None, connect_timeout=m.connect_timeout,
        read_timeout=m.read_timeout, requests_per_second=m.requests_per_second,
        max_in_flight=m.batches_in_flight)


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

    def upload_xml_exists(self) -> bool:
        from kufertui.paths import WorkspacePaths

        return WorkspacePaths(self.root).upload_xml.exists()

    async def test_connection(self) -> dict[str, bool]:
        async with self.client() as client:
            return await client.check_rights()

    # --- the round trip -----------------------------------------------------------------------
    async def run(self, options: SyncOptions) -> RunReport:
        """One whole sync. Raises SyncAborted (after emitting Failed) when it cannot finish."""
        lock = WorkspaceLock(self.root / "sync.lock")
        try:
            lock.acquire()
        except LockHeld as exc:
            self._fail("engine.lock-held", EXIT_USAGE, "lock-held", holder=exc.holder)
        try:
            ws = Workspace.open(self.root)
            try:
                return await self._run_locked(ws, options)
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
        run_id, resumed = self._start_or_resume(ws, options)
        if resumed:
            options = self._options_of_run(ws, run_id, options)
            if not ws.journal.batches(run_id):
                # stopped before its upload was planned (during the pull, say): plan it again now
                ws.journal.reset_outcomes(run_id)
                resumed = False
        report = RunReport(run_id=run_id, dry_run=options.dry_run)
        ids = [] if resumed else selected_ids(ws, options.selection, options.ids)
        try:
            async with self.client() as client:
                await self._unsubscriber_steps(client, ws, report, dry_run=options.dry_run)
                plan = await self._preflight(client, ws, options, ids, report, run_id, resumed)
                if options.dry_run:
                    from kufertui.sync.dryrun import compare_with_maileon

                    objections = ws.ledger.pending_push() if self.settings.unsubscribers.push_objections else []
                    await compare_with_maileon(client, ws, plan, report, self.emit, objections=objections)
                else:
                    await self._upload(client, ws, plan, report, run_id, resumed)
                    if options.target_group:
                        from kufertui.sync.targetgroup import create_target_group

                        report.target_group = await create_target_group(
                            client, options.target_group, self.settings.maileon.import_field, self.emit)
        except MaileonError as exc:
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(),
                                  error={"hint_id": exc.hint_id, "status": exc.status})
            self._fail("engine.maileon-error", EXIT_UNREACHABLE, exc.hint_id, run_id=run_id,
                       resumable=not options.dry_run, detail=str(exc))
        except asyncio.CancelledError:
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json())
            raise
        except (OSError, ImportFailure) as exc:
            # local trouble (disk full, write-back database refused): stop resumably, say what happened
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json(), error={"local": type(exc).__name__})
            self._fail("engine.local-error", EXIT_ABORTED, None, run_id=run_id, resumable=not options.dry_run,
                       detail=str(exc))
        self._finish_report(ws, report, run_id, options)
        return report

    @staticmethod
    def _options_of_run(ws: Workspace, run_id: int, options: SyncOptions) -> SyncOptions:
        """A resumed run keeps the selection and fields it started with, whoever resumes it."""
        record = ws.journal.run(run_id)
        assert record is not None
        selection = record.selection or {}
        mappings = [FieldMapping(k, v["maileon"], bool(v.get("custom")), dict(v.get("value_map") or {}))
                    for k, v in (record.fields or {}).items()]
        return replace(options, selection=ContactFilter.from_json(selection.get("filter") or {}),
                       ids=selection.get("ids"), mappings=mappings or options.mappings,
                       dry_run=bool(record.options.get("dry_run", options.dry_run)))

    def _start_or_resume(self, ws: Workspace, options: SyncOptions) -> tuple[int, bool]:
        kind = "dry-run" if options.dry_run else "sync"
        if options.resume_run_id is not None:
            record = ws.journal.run(options.resume_run_id)
            if record is None or record.state not in ("running", "aborted"):
                self._fail("engine.nothing-to-resume", EXIT_USAGE, "resume-available")
            ws.journal.set_state(options.resume_run_id, "running")
            self._say("engine.resuming", run_id=options.resume_run_id)
            return options.resume_run_id, True
        if self.upload_xml_exists() and not options.replace_xml and not options.dry_run:
            self._fail("engine.xml-exists", EXIT_USAGE, "xml-exists", path=str(ws.paths.upload_xml))
        selection: dict[str, Any] = {"filter": options.selection.to_json(), "ids": options.ids}
        fields = {m.kufer_field: {"maileon": m.maileon_field, "custom": m.custom, "value_map": m.value_map}
                  for m in options.mappings}
        run_options = {"dry_run": options.dry_run, "permissions": {"J": self.settings.permissions.J,
                                                                    "K": self.settings.permissions.K},
                       "import_field": self.settings.maileon.import_field,
                       "batch_size": self.settings.maileon.batch_size,
                       "k_notice_confirmed_on": self.settings.legal.k_notice_confirmed_on or None}
        run_id = ws.journal.start_run(kind, selection=selection, fields=fields, options=run_options)
        return run_id, False

    async def _unsubscriber_steps(self, client: MaileonClient, ws: Workspace, report: RunReport, *,
                                  dry_run: bool = False) -> None:
        self.emit(ev.PhaseStarted("pull"))
        pulled = await pull_unsubscribes(client, ws)
        report.unsubscribes_pulled = len(pulled.new)
        self._say("engine.pulled", seen=pulled.seen, new=len(pulled.new), set_n=pulled.contacts_set_n)
        self.emit(ev.PhaseStarted("writeback"))
        src = self.settings.source
        count, path = write_back(ws, sql_dsn=src.sql_dsn if src.kind == "sql" else "",
                                 sql_statement=src.sql_writeback)
        report.written_back = count
        report.writeback_file = str(path) if path else None
        if count:
            self._say("engine.written-back", count=count, path=str(path))
        record_kufer_objections(ws)
        if not self.settings.unsubscribers.push_objections:
            self._say("engine.push-off", "warning", "objection-push-off")
        else:
            pending = len(ws.ledger.pending_push())
            if pending and dry_run:  # a dry run writes nothing to Maileon: it only lists them
                report.objections_pending = pending
            elif pending:
                self.emit(ev.PhaseStarted("push", pending))
                pushed = await push_objections(
                    client, ws, concurrency=self.settings.maileon.batches_in_flight,
                    on_progress=lambda d, t: self.emit(ev.Progress("push", d, t)))
                report.objections_pushed = pushed.unsubscribed
                report.objections_not_in_maileon = pushed.not_in_maileon
                report.objections_pending = pushed.failed
                self._say("engine.pushed", unsubscribed=pushed.unsubscribed,
                          not_found=pushed.not_in_maileon, failed=pushed.failed)
        if self.cancel.is_set():
            raise asyncio.CancelledError

    async def _preflight(self, client: MaileonClient, ws: Workspace, options: SyncOptions, ids: list[int],
                         report: RunReport, run_id: int, resumed: bool) -> Plan:
        self.emit(ev.PhaseStarted("preflight"))
        declared = await client.list_custom_fields()
        k_allowed = bool(self.settings.legal.k_notice_confirmed_on)
        if resumed:
            plan = self._plan_from_journal(ws, run_id, options)
        else:
            plan = await asyncio.to_thread(self._plan_fresh, options, ids, declared, k_allowed)
            ws.journal.record_outcomes(run_id, plan.held_back)
        report.selected = plan.selected
        if plan.by_code.get("k-notice-missing"):
            self._say("engine.k-notice-missing", "warning", "k-notice-missing",
                      count=plan.by_code["k-notice-missing"])
        self._say("engine.preflight", selected=plan.selected, sendable=len(plan.sendable),
                  held=len(plan.held_back))
        return plan

    def _plan_fresh(self, options: SyncOptions, ids: list[int], declared: dict[str, str],
                    k_allowed: bool) -> Plan:
        # A thread of its own: SQLite reads and validation of 100k contacts must not block the loop.
        with Workspace.open(self.root) as ws:
            suppressed = ws.ledger.emails()
            contacts = (c for _, c in ws.contacts.iter_contacts(ids=ids))
            return build_plan(contacts, options.mappings, import_field=self.settings.maileon.import_field,
                              suppressed=suppressed, declared_custom=declared, k_allowed=k_allowed)

    def _plan_from_journal(self, ws: Workspace, run_id: int, options: SyncOptions) -> Plan:
        from kufertui.sync.resume import plan_for_resume

        return plan_for_resume(ws, run_id, options.mappings, self.settings.maileon.import_field)

    async def _upload(self, client: MaileonClient, ws: Workspace, plan: Plan, report: RunReport,
                      run_id: int, resumed: bool) -> None:
        m = self.settings.maileon
        permissions = {s: permission_code(self.settings, s) for s in ("J", "K")}
        batches = plan.batches(m.batch_size, permissions)
        if not batches and not resumed:
            # nothing to send: leave Maileon untouched (clearing ImportAPI would erase the last run's marks)
            self._say("engine.nothing-to-send" if plan.selected else "engine.nothing-selected", "warning")
            return
        if not resumed:
            ws.journal.plan_batches(run_id, [(no, len(cs), perm) for no, perm, cs in batches])
            ws.journal.record_outcomes(run_id, [
                ContactOutcome(p.key, p.email, p.status, "planned", no) for no, _, cs in batches for p in cs])
        if not any(state == "done" for _no, state, *_rest in ws.journal.batches(run_id)):
            # Nothing of this run is in Maileon yet: (re)do the field step, which a crash may have cut short.
            # Once a batch is confirmed, clearing ImportAPI again would erase this run's own marks.
            self.emit(ev.PhaseStarted("fields"))
            created = await client.ensure_custom_field(m.import_field, "boolean")
            if not created:
                await client.clear_custom_field_values(m.import_field)
            self._say("engine.import-field-created" if created else "engine.import-field-cleared",
                      field=m.import_field)
        total_batches = len(ws.journal.batches(run_id))
        by_no = {no: (perm, cs) for no, perm, cs in batches}
        self.emit(ev.PhaseStarted("upload", sum(len(cs) for _, _, cs in batches)))
        writer = UploadFileWriter(ws.paths.upload_xml, resumed=resumed)
        done_contacts = 0
        total_contacts = sum(len(cs) for _, _, cs in batches)

        def on_result(result: BatchResult) -> None:
            nonlocal done_contacts
            if result.error is not None:
                return
            rep = result.report
            assert rep is not None
            _perm, contacts = by_no[result.batch_no]
            invalid = {(ic.email or "").lower(): ic for ic in rep.invalid_contacts}
            outcomes = []
            for p in contacts:
                ic = invalid.get(p.email.lower())
                if ic is not None:
                    outcomes.append(ContactOutcome(p.key, p.email, p.status, "invalid", result.batch_no,
                                                   f"maileon:{ic.code}", ic.field))
                else:
                    outcomes.append(ContactOutcome(p.key, p.email, p.status, "sent", result.batch_no))
            ws.journal.batch_done(run_id, result.batch_no, {
                "new": rep.count_new_contacts, "existing": rep.count_existing_contacts,
                "invalid": rep.count_invalid_contacts, "unsubscribed": rep.count_unsubscribed_contacts,
                "contacts": rep.count_contacts}, outcomes)
            done_contacts += result.size
            self.emit(ev.BatchFinished(result.batch_no, total_batches, result.size, rep.count_new_contacts,
                                       rep.count_existing_contacts, rep.count_invalid_contacts,
                                       rep.count_unsubscribed_contacts))
            self.emit(ev.Progress("upload", done_contacts, total_contacts))

        def batch_iter() -> Any:
            for no, _perm, contacts in batches:
                if self.cancel.is_set():
                    return
                yield no, [p.contact for p in contacts]

        summary = await upload_batches(
            client, batch_iter(), permission_for=lambda no: by_no[no][0], on_result=on_result,
            max_in_flight=m.batches_in_flight, build=writer.build)
        writer.close(complete=not summary.stopped and not self.cancel.is_set())
        report.upload_xml = str(ws.paths.upload_xml)
        if summary.errors:
            raise summary.errors[0]
        if self.cancel.is_set():
            ws.journal.finish_run(run_id, "aborted", counts=report.to_json())
            self._fail("engine.cancelled", EXIT_ABORTED, "resume-available", run_id=run_id, resumable=True)

    def _finish_report(self, ws: Workspace, report: RunReport, run_id: int, options: SyncOptions) -> None:
        self.emit(ev.PhaseStarted("report"))
        from kufertui.sync.reconcile import fill_report

        fill_report(ws, report, run_id)
        lang = self.settings.ui.language
        line = report_line(report, lang)
        state = "done"
        ws.journal.finish_run(run_id, state, counts=report.to_json(), report_line=line)
        if not report.reconciled:
            self._say("engine.reconciliation-gap", "warning", "reconciliation-gap",
                      missing=len(report.missing), gap=report.selected - report.accounted)
        self.emit(ev.Finished(report))
