"""`kufertui sync` and `kufertui unsubscribers pull`: the headless round trip."""

from __future__ import annotations

import argparse
import asyncio
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.commands.progress import EventPrinter
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_REJECTS, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.core.fields import FIELDS_BY_ID, FieldMapping
from kufertui.core.hints import hint, hint_id_for_code
from kufertui.core.report import RunReport, report_line
from kufertui.maileon.errors import MaileonError
from kufertui.store import ContactFilter, Workspace, WorkspaceError
from kufertui.sync.connect import client_options
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings

t = i18n.t
BREAKDOWN = ("rejected_preflight", "rejected_by_maileon", "unsubscribed_now", "suppressed_by_ledger", "held_legal",
             "skipped_unsubscribed_in_maileon", "unsubscribes_pulled", "written_back", "objections_pushed",
             "objections_not_in_maileon", "objections_pending")


@contextmanager
def graceful_interrupt(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl+C: finish the batches in flight, checkpoint, stop (resumable). Second: stop at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(_sig: int, _frame: Any) -> None:
        cancel.set()
        print(t("cli.stopping"), flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def mappings_for(ctx: CommandContext, fields_arg: str | None) -> list[FieldMapping] | str:
    mappings = mappings_from_settings(ctx.settings)
    if not fields_arg:
        return mappings
    wanted = [f.strip() for f in fields_arg.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FIELDS_BY_ID]
    if unknown:
        return ", ".join(unknown)
    by_field = {m.kufer_field: m for m in mappings}
    out = []
    for f in wanted:
        if f in by_field:
            out.append(by_field[f])
        elif FIELDS_BY_ID[f].maileon:
            from kufertui.core.fields import DEFAULT_GENDER_MAP

            value_map = dict(DEFAULT_GENDER_MAP) if f == "gender_raw" else {}
            out.append(FieldMapping(f, FIELDS_BY_ID[f].maileon or "", False, value_map))
    return out


def check_ready(ctx: CommandContext) -> bool:
    if not ctx.settings.maileon.api_key:
        ctx.err(t("cli.no-api-key"))
        return False
    return True


def run_sync(ctx: CommandContext, args: argparse.Namespace) -> int:
    if not check_ready(ctx):
        return EXIT_USAGE
    statuses = frozenset(s.strip().upper() for s in args.status.split(",") if s.strip())
    statuses = frozenset("" if s in ("LEER", "EMPTY", "-") else s for s in statuses)
    mappings = mappings_for(ctx, args.fields)
    if isinstance(mappings, str):
        ctx.err(t("cli.unknown-fields", fields=mappings, known=", ".join(FIELDS_BY_ID)))
        return EXIT_USAGE
    options = SyncOptions(selection=ContactFilter(statuses, args.department, True if args.dozent else None,
                                                  args.search), mappings=mappings, dry_run=args.dry_run,
                          replace_xml=args.yes, target_group=args.target_group)
    if args.resume:
        try:
            with Workspace.open(ctx.workspace_root) as ws:
                record = ws.journal.resumable_run()
        except WorkspaceError as exc:
            ctx.err(t(exc.message_id, **exc.params))
            return EXIT_USAGE
        if record is None:
            ctx.err(t("engine.nothing-to-resume"))
            return EXIT_USAGE
        options.resume_run_id = record.id  # the engine restores the run's own selection and fields
    return execute(ctx, options, as_json=args.json)


def execute(ctx: CommandContext, options: SyncOptions, *, as_json: bool, transport: Any = None) -> int:
    cancel = threading.Event()
    printer = EventPrinter(interactive=ctx.interactive and not as_json, quiet=as_json)
    from kufertui.paths import WorkspacePaths
    from kufertui.sync.eventlog import EventLog, fan_out

    log = EventLog(WorkspacePaths(ctx.workspace_root).log_file)
    engine = SyncEngine(ctx.settings, ctx.workspace_root, on_event=fan_out(printer, log), cancel=cancel,
                        transport=transport)
    try:
        with printer, graceful_interrupt(cancel):
            report = asyncio.run(engine.run(options))
    except SyncAborted as exc:
        if as_json:
            ctx.json({"ok": False, "error": exc.failed.key, "hint_id": exc.failed.hint_id,
                      "run_id": exc.failed.run_id, "resumable": exc.failed.resumable,
                      "exit_code": exc.failed.exit_code})
        return exc.failed.exit_code
    except WorkspaceError as exc:
        ctx.err(t(exc.message_id, **exc.params))
        return EXIT_USAGE
    if as_json:
        ctx.json({"ok": True, "report_line": report_line(report, ctx.lang), **report.to_json()})
    else:
        print_report(ctx, report)
    return EXIT_REJECTS if report.invalid else EXIT_OK


def print_report(ctx: CommandContext, report: RunReport) -> None:
    ctx.out("")
    if report.dry_run:
        ctx.out(t("cli.dry-run-title"))
    ctx.out(report_line(report, ctx.lang))
    for key in BREAKDOWN:
        value = getattr(report, key)
        if value:
            ctx.out(f"  {t('report.' + key)}: {i18n.number(value)}")
    for code, count in report.rejects_by_code.items():
        reason = hint(hint_id_for_code(code)).title(ctx.lang)
        ctx.out(f"  {code} – {reason}: {i18n.number(count)}")
    ctx.out(t("report.reconciled") if report.reconciled else t("report.gap", gap=report.selected - report.accounted))
    for email in report.missing[:20]:
        ctx.out(f"    {email}")
    if report.writeback_file:
        ctx.out(t("cli.writeback-file", path=report.writeback_file))
    if report.target_group and report.target_group.get("target_group_id"):
        ctx.out(t(report.target_group.get("message", "engine.target-group-created"),
                  name=report.target_group["name"], id=report.target_group["target_group_id"],
                  count=report.target_group.get("count_active_contacts", 0),
                  marked=report.target_group.get("run_marked", 0)))


def run_pull(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Only step 4: fetch unsubscribes, store them, hand them back to KUFER (for cron / systemd)."""
    if not check_ready(ctx):
        return EXIT_USAGE
    from kufertui.maileon.client import MaileonClient
    from kufertui.sync.lock import LockHeld, WorkspaceLock
    from kufertui.sync.unsubscribes import pull_unsubscribes, write_back

    async def pull() -> tuple[int, int, int, str | None]:
        with Workspace.open(ctx.workspace_root) as ws:
            async with MaileonClient(client_options(ctx.settings)) as client:
                result = await pull_unsubscribes(client, ws)
            src = ctx.settings.source
            count, path = write_back(ws, sql_dsn=src.sql_dsn if src.kind == "sql" else "",
                                     sql_statement=src.sql_writeback)
            return result.seen, len(result.new), count, str(path) if path else None

    lock = WorkspaceLock(ctx.workspace_root / "sync.lock")
    try:
        lock.acquire()
    except LockHeld as exc:
        ctx.err(t("engine.lock-held", holder=exc.holder))
        return EXIT_USAGE
    try:
        seen, new, written, path = asyncio.run(pull())
    except MaileonError as exc:
        ctx.err(t("engine.maileon-error", detail=str(exc)))
        ctx.err(f"  {t('cli.hint')} [{exc.hint_id}]: {hint(exc.hint_id).fix(ctx.lang)}")
        return EXIT_UNREACHABLE
    except WorkspaceError as exc:
        ctx.err(t(exc.message_id, **exc.params))
        return EXIT_USAGE
    finally:
        lock.release()
    if args.json:
        ctx.json({"seen": seen, "new": new, "written_back": written, "writeback_file": path})
    else:
        ctx.out(t("cli.pulled", seen=seen, new=new, written=written))
        if path:
            ctx.out(t("cli.writeback-file", path=path))
    return EXIT_OK


__all__ = ["EXIT_ABORTED", "execute", "run_pull", "run_sync"]
