"""`kufertui sync` and `kufertui unsubscribers pull`: the headless round trip."""

from __future__ import annotations

import argparse
import asyncio
import threading
from typing import Any

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.commands.interrupt import graceful_interrupt
from kufertui.commands.progress import EventPrinter
from kufertui.commands.report_view import print_report
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_REJECTS, EXIT_USAGE
from kufertui.core.fields import FIELDS_BY_ID, FieldMapping, default_value_map
from kufertui.core.report import RunReport, report_line
from kufertui.core.terminal import printable
from kufertui.paths import WorkspacePaths
from kufertui.store import ContactFilter, Workspace, WorkspaceError
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.eventlog import EventLog, fan_out
from kufertui.sync.events import Failed
from kufertui.sync.mapping import mapping_refusal, mappings_from_settings
from kufertui.sync.targetgroup import target_group_name_problem

t = i18n.t

def failure_texts(failed: Failed, host: str) -> dict[str, str]:
    """The human side of a --json error, in the user's language, beside the stable machine keys."""
    texts = {"message": t(failed.key, **failed.params)}
    if failed.hint_id:
        texts["fix"] = i18n.hint_fix(failed.hint_id, host)
    return texts


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
            out.append(FieldMapping(f, FIELDS_BY_ID[f].maileon or "", False, default_value_map(f)))
    return out


def mapping_problem(ctx: CommandContext, mappings: list[FieldMapping],
                    fields_arg: str | None) -> tuple[str, dict[str, str]] | None:
    """Two KUFER fields into one Maileon field: refused before any request, naming where the mapping came
    from (the settings file's [fields], else --fields)."""
    import_field = ctx.settings.maileon.import_field
    refusal = mapping_refusal(mappings_from_settings(ctx.settings), import_field)
    if refusal:
        return "mapping.in-config", {"problem": i18n.t(refusal[0], **refusal[1]), "file": str(ctx.settings_path)}
    refusal = mapping_refusal(mappings, import_field)
    if refusal:
        return "mapping.in-option", {"problem": i18n.t(refusal[0], **refusal[1]), "fields": fields_arg or ""}
    return None


def check_ready(ctx: CommandContext, as_json: bool = False) -> bool:
    if not ctx.settings.maileon.api_key:
        json_error(ctx, as_json, "cli.no-api-key", EXIT_USAGE)
        return False
    return True


def run_sync(ctx: CommandContext, args: argparse.Namespace) -> int:
    if not check_ready(ctx, args.json):
        return EXIT_USAGE
    statuses: frozenset[str] = args.status  # parsed and checked by argparse (commands/statuses.py)
    mappings = mappings_for(ctx, args.fields)
    if isinstance(mappings, str):
        return json_error(ctx, args.json, "cli.unknown-fields", EXIT_USAGE, fields=mappings,
                          known=", ".join(FIELDS_BY_ID))
    problem = mapping_problem(ctx, mappings, args.fields)
    if problem:
        return json_error(ctx, args.json, problem[0], EXIT_USAGE, **problem[1])
    if args.target_group and target_group_name_problem(args.target_group):  # refused before anything is sent
        return json_error(ctx, args.json, "engine.target-group-name", EXIT_USAGE, hint_id="target-group-name",
                          name=printable(args.target_group))
    options = SyncOptions(selection=ContactFilter(statuses, args.department, True if args.dozent else None,
                                                  args.search), mappings=mappings, dry_run=args.dry_run,
                          replace_xml=args.yes, target_group=args.target_group)
    if (args.segment or args.all_segments) and not args.resume:
        from kufertui.commands.segment import segments_to_refresh

        if args.department or args.dozent or args.search:  # the segments' own filters decide, not these
            return json_error(ctx, args.json, "segment.filter-with-segments", EXIT_USAGE)
        names = segments_to_refresh(ctx, args.segment, args.all_segments, as_json=args.json)
        if isinstance(names, int):
            return names
        options.segments = names
    if args.resume:
        try:
            with Workspace.open(ctx.workspace_root) as ws:
                record = ws.journal.resumable_run()
        except WorkspaceError as exc:
            return json_error(ctx, args.json, exc.message_id, EXIT_USAGE, **exc.params)
        if record is None:
            return json_error(ctx, args.json, "engine.nothing-to-resume", EXIT_USAGE, hint_id="resume-available")
        options.resume_run_id = record.id  # the engine restores the run's own selection and fields
    return execute(ctx, options, as_json=args.json)


def done_code(report: RunReport, *, dry_run: bool = False) -> int:
    """The exit code of a run that ended: 1 when contacts were rejected or an objection Maileon could not take
    stays pending (the run is done, not all of it: a cron job notices before a campaign mails the person)."""
    return EXIT_REJECTS if report.invalid or (report.objections_pending and not dry_run) else EXIT_OK


def execute(ctx: CommandContext, options: SyncOptions, *, as_json: bool, transport: Any = None) -> int:
    cancel = threading.Event()
    printer = EventPrinter(interactive=ctx.interactive and not as_json, quiet=as_json, host=ctx.api_host)
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
                      "exit_code": exc.failed.exit_code, **failure_texts(exc.failed, ctx.api_host)})
        return exc.failed.exit_code
    except WorkspaceError as exc:
        return json_error(ctx, as_json, exc.message_id, EXIT_USAGE, **exc.params)
    code = done_code(report, dry_run=options.dry_run)
    if as_json:
        ctx.json({"ok": True, "exit_code": code, "report_line": report_line(report, ctx.lang), **report.to_json()})
    else:
        print_report(ctx, report)
    return code


def run_pull(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Only the unsubscriber steps of a run (both directions), for cron / systemd timers."""
    if not check_ready(ctx, args.json):
        return EXIT_USAGE
    cancel = threading.Event()
    # errors only: the summary below is the output
    printer = EventPrinter(interactive=False, quiet=True, host=ctx.api_host)
    log = EventLog(WorkspacePaths(ctx.workspace_root).log_file)
    engine = SyncEngine(ctx.settings, ctx.workspace_root, on_event=fan_out(printer, log), cancel=cancel)
    try:
        with graceful_interrupt(cancel):
            report = asyncio.run(engine.run_pull())
    except SyncAborted as exc:
        if args.json:
            ctx.json({"ok": False, "error": exc.failed.key, "hint_id": exc.failed.hint_id,
                      "exit_code": exc.failed.exit_code, **failure_texts(exc.failed, ctx.api_host)})
        return exc.failed.exit_code
    except WorkspaceError as exc:
        return json_error(ctx, args.json, exc.message_id, EXIT_USAGE, **exc.params)
    code = done_code(report)
    if args.json:
        ctx.json({"ok": True, "exit_code": code, "run_id": report.run_id,  # as sync --json has them
                  "seen": report.unsubscribes_seen, "new": report.unsubscribes_pulled,
                  "written_back": report.written_back, "writeback_file": report.writeback_file,
                  "writeback_tnr_withheld": report.writeback_tnr_withheld,
                  "objections_pushed": report.objections_pushed,
                  "objections_not_in_maileon": report.objections_not_in_maileon,
                  "objections_pending": report.objections_pending})
    else:
        ctx.out(t("cli.pulled", seen=report.unsubscribes_seen, new=report.unsubscribes_pulled,
                  written=report.written_back))
        if report.objections_pushed or report.objections_not_in_maileon or report.objections_pending:
            ctx.out(t("engine.pushed", unsubscribed=report.objections_pushed,
                      not_found=report.objections_not_in_maileon, failed=report.objections_pending))
        if report.writeback_file:
            ctx.out(t("cli.writeback-file", path=report.writeback_file))
        if report.writeback_tnr_withheld:
            ctx.out(f"{t('report.writeback_tnr_withheld')}: {report.writeback_tnr_withheld}  "
                    f"[{t('cli.hint')}: writeback-tnr-withheld]")
    return code


__all__ = ["EXIT_ABORTED", "execute", "run_pull", "run_sync"]
