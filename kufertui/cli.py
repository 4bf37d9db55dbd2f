"""Command line entry point (README.md, "Command line"; exit codes: core/exitcodes.py). Textual is imported
only when the TUI starts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from kufertui import __version__, i18n
from kufertui.cli_i18n import argparse_language, early_language, has_flag
from kufertui.commands.statuses import KeyedArgumentError, parse_statuses, parse_sync_statuses
from kufertui.core.contact import UPLOADABLE
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_USAGE

t = i18n.t

# --json on the command line: a usage error also prints its one JSON object on stdout
_JSON_ERRORS: ContextVar[bool] = ContextVar("json_errors", default=False)


def _refused_value() -> KeyedArgumentError | None:
    """The option value refusal behind the usage error being reported, if one of ours (argparse keeps only
    its text, but raises its own error while handling ours)."""
    exc: BaseException | None = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, KeyedArgumentError):
            return exc
        exc = exc.__context__
    return None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 (core/exitcodes.py)
        self.print_usage(sys.stderr)
        text = f"{self.prog}: {message}"
        if _JSON_ERRORS.get():
            refused = _refused_value()
            print(json.dumps({"ok": False, "error": refused.key if refused else "cli.usage",
                              "hint_id": refused.hint_id if refused else None, "exit_code": EXIT_USAGE,
                              "message": text}, ensure_ascii=False, indent=2), flush=True)
        self.exit(EXIT_USAGE, text + "\n")


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    # Subcommands repeat the global options with SUPPRESS defaults, so that `--config X sync` keeps X.
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=default, metavar=t("cli.metavar.file"),
                        help=t("cli.help.config"))
    common.add_argument("--workspace", type=Path, default=default, metavar=t("cli.metavar.folder"),
                        help=t("cli.help.workspace"))
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=default, help=t("cli.help.lang"))
    return common


def _command(sub: Any, name: str, common: argparse.ArgumentParser, key: str = "") -> argparse.ArgumentParser:
    """A subcommand whose one-line help (text "cli.help.cmd.<key or name>") also heads its own --help."""
    text = t(f"cli.help.cmd.{key or name}")
    parser: argparse.ArgumentParser = sub.add_parser(name, parents=[common], help=text, description=text)
    return parser


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(suppress=True)
    parser = _Parser(prog="kufertui", parents=[_global_options(suppress=False)],
                     description=t("cli.help.description"))
    parser.add_argument("--version", action="version", version=f"kufertui {__version__}", help=t("cli.help.version"))
    parser.add_argument("--read-only", action="store_true", help=t("cli.help.read-only"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, title=t("cli.help.commands"),
                                metavar=t("cli.metavar.command"))

    demo = _command(sub, "demo", common)
    demo.add_argument("--contacts", type=int, default=2000, metavar=t("cli.metavar.count"),
                      help=t("cli.help.contacts"))
    demo.add_argument("--seed", type=int, default=7, metavar=t("cli.metavar.number"), help=t("cli.help.seed"))
    demo.add_argument("--headless", action="store_true", help=t("cli.help.headless"))
    demo.add_argument("--json", action="store_true", help=t("cli.help.json"))

    imp = _command(sub, "import", common)
    imp.add_argument("path", type=Path, nargs="?", metavar=t("cli.metavar.file"), help=t("cli.help.import-path"))
    imp.add_argument("--sql", action="store_true", help=t("cli.help.sql"))
    imp.add_argument("--profile", type=Path, metavar=t("cli.metavar.file"), help=t("cli.help.profile"))
    imp.add_argument("--partial", action="store_true", help=t("cli.help.partial"))
    imp.add_argument("--json", action="store_true", help=t("cli.help.json"))

    sync = _command(sub, "sync", common)
    sync.add_argument("--status", type=parse_sync_statuses, default="J,K", metavar=t("cli.metavar.list"),
                      help=t("cli.help.status"))
    sync.add_argument("--fields", metavar=t("cli.metavar.list"), help=t("cli.help.fields"))
    sync.add_argument("--department", metavar=t("cli.metavar.name"), help=t("cli.help.department"))
    sync.add_argument("--dozent", action="store_true", help=t("cli.help.dozent"))
    sync.add_argument("--search", default="", metavar=t("cli.metavar.text"), help=t("cli.help.search"))
    sync.add_argument("--dry-run", action="store_true", help=t("cli.help.dry-run"))
    sync.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    sync.add_argument("--json", action="store_true", help=t("cli.help.json"))
    sync.add_argument("--resume", action="store_true", help=t("cli.help.resume"))
    sync.add_argument("--target-group", metavar=t("cli.metavar.name"), help=t("cli.help.target-group"))
    sync.add_argument("--segment", action="append", default=[], metavar=t("cli.metavar.name"),
                      help=t("cli.help.segment"))
    sync.add_argument("--all-segments", action="store_true", help=t("cli.help.all-segments"))

    segment = _command(sub, "segment", common)
    segment_sub = segment.add_subparsers(dest="segment_command", parser_class=_Parser, required=True,
                                         title=t("cli.help.commands"), metavar=t("cli.metavar.command"))
    seg_add = _command(segment_sub, "add", common, "segment-add")
    seg_add.add_argument("name", metavar=t("cli.metavar.name"))
    seg_add.add_argument("--status", type=parse_statuses, default="J,K", metavar=t("cli.metavar.list"),
                         help=t("cli.help.segment-status"))
    seg_add.add_argument("--department", metavar=t("cli.metavar.name"), help=t("cli.help.department"))
    seg_add.add_argument("--dozent", choices=("yes", "no"), help=t("cli.help.segment-dozent"))
    seg_add.add_argument("--search", default="", metavar=t("cli.metavar.text"), help=t("cli.help.search"))
    seg_add.add_argument("--json", action="store_true", help=t("cli.help.json"))
    seg_list = _command(segment_sub, "list", common, "segment-list")
    seg_list.add_argument("--json", action="store_true", help=t("cli.help.json"))
    seg_rm = _command(segment_sub, "remove", common, "segment-remove")
    seg_rm.add_argument("name", metavar=t("cli.metavar.name"))
    seg_rm.add_argument("--keep-in-maileon", action="store_true", help=t("cli.help.keep-in-maileon"))
    seg_rm.add_argument("--yes", action="store_true", help=t("cli.help.segment-yes"))
    seg_rm.add_argument("--json", action="store_true", help=t("cli.help.json"))

    leavers = _command(sub, "leavers", common)
    leavers_sub = leavers.add_subparsers(dest="leavers_command", parser_class=_Parser, required=True,
                                         title=t("cli.help.commands"), metavar=t("cli.metavar.command"))
    leavers_list = _command(leavers_sub, "list", common, "leavers-list")
    leavers_list.add_argument("--json", action="store_true", help=t("cli.help.json"))
    leavers_rm = _command(leavers_sub, "remove", common, "leavers-remove")
    leavers_rm.add_argument("--yes", action="store_true", help=t("cli.help.leavers-yes"))
    leavers_rm.add_argument("--json", action="store_true", help=t("cli.help.json"))

    unsub = _command(sub, "unsubscribers", common)
    unsub_sub = unsub.add_subparsers(dest="unsub_command", parser_class=_Parser, required=True,
                                      title=t("cli.help.commands"), metavar=t("cli.metavar.command"))
    pull = _command(unsub_sub, "pull", common)
    pull.add_argument("--json", action="store_true", help=t("cli.help.json"))
    restore = _command(unsub_sub, "restore", common)
    restore.add_argument("person_no", metavar="TNR", help=t("cli.help.restore-number"))
    restore.add_argument("--status", choices=tuple(s.value for s in UPLOADABLE), required=True,
                         help=t("cli.help.restore-status"))
    restore.add_argument("--note", default="", help=t("cli.help.restore-note"))
    restore.add_argument("--json", action="store_true", help=t("cli.help.json"))

    doctor = _command(sub, "doctor", common)
    doctor.add_argument("--json", action="store_true", help=t("cli.help.json"))
    doctor.add_argument("--probe", action="store_true", help=t("cli.help.probe"))
    doctor.add_argument("--probe-domain", metavar=t("cli.metavar.domain"), help=t("cli.help.probe-domain"))
    doctor.add_argument("--cleanup", action="store_true", help=t("cli.help.probe-cleanup"))
    doctor.add_argument("--yes", action="store_true", help=t("cli.help.probe-yes"))

    sim = _command(sub, "simulator", common)
    sim.add_argument("--port", type=int, default=8765, metavar=t("cli.metavar.port"), help=t("cli.help.sim-port"))
    sim.add_argument("--api-key", default="sim-api-key-0000", metavar=t("cli.metavar.key"), help=t("cli.help.sim-key"))
    sim.add_argument("--faults", metavar=t("cli.metavar.spec"), help=t("cli.help.faults"))
    sim.add_argument("--state-file", type=Path, metavar=t("cli.metavar.file"), help=t("cli.help.state-file"))

    shots = _command(sub, "screenshots", common)
    shots.add_argument("--out", type=Path, default=Path("screenshots"), metavar=t("cli.metavar.folder"),
                       help=t("cli.help.shots-out"))

    bundle = _command(sub, "support-bundle", common)
    bundle.add_argument("--out", type=Path, metavar=t("cli.metavar.file"), help=t("cli.help.bundle-out"))
    bundle.add_argument("--include-contacts", action="store_true", help=t("cli.help.include-contacts"))

    serve = _command(sub, "serve", common)
    serve.add_argument("--port", type=int, default=8000, metavar=t("cli.metavar.port"), help=t("cli.help.serve-port"))
    serve.add_argument("--demo", action="store_true", help=t("cli.help.serve-demo"))
    serve.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                       help=t("cli.help.serve-read-only"))
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse in the user's language: --help and usage errors already speak it (cli_i18n); with --json a
    usage error prints its JSON object as well."""
    argv = list(sys.argv[1:] if argv is None else argv)
    token = _JSON_ERRORS.set(has_flag(argv, "--json"))
    try:
        with argparse_language(early_language(argv)):
            return build_parser().parse_args(argv)
    finally:
        _JSON_ERRORS.reset(token)


# commands that open the workspace named by --workspace: a file there is refused before any of them
# creates something under it (doctor reports it as a check; support-bundle collects what it can)
_WORKSPACE_COMMANDS = frozenset({None, "import", "sync", "segment", "leavers", "unsubscribers", "serve"})


def main(argv: Sequence[str] | None = None) -> int:
    from kufertui.platform import ensure_utf8_output

    ensure_utf8_output()  # before any output: cp1252 cannot carry ⚠ (Windows without a console)
    args = parse_args(argv)
    from kufertui.commands.context import CommandContext, json_error

    as_json = bool(getattr(args, "json", False))
    ctx = CommandContext.from_args(args, as_json=as_json)
    if isinstance(ctx, int):
        return ctx
    try:
        code = _run_command(ctx, args, as_json)
    except KeyboardInterrupt:
        return json_error(ctx, as_json, "cli.interrupted", EXIT_ABORTED)
    if as_json and not ctx.json_printed:  # the promise of --json: every exit prints one JSON object
        ctx.json({"ok": code == EXIT_OK, "error": None if code == EXIT_OK else "cli.refused", "hint_id": None,
                  "exit_code": code, "message": ctx.last_error})
    return code


def _run_command(ctx: Any, args: argparse.Namespace, as_json: bool) -> int:
    command = args.command
    if command in _WORKSPACE_COMMANDS and not getattr(args, "demo", False):
        from kufertui.commands.context import refuse_unusable_workspace

        refused = refuse_unusable_workspace(ctx, as_json)
        if refused is not None:
            return refused
    if command is None:
        from kufertui.commands.tui import run_main_tui

        return run_main_tui(ctx, read_only=args.read_only)
    if command == "demo":
        from kufertui.commands.demo import run_demo

        return run_demo(ctx, args)
    if command == "import":
        from kufertui.commands.importing import run_import

        return run_import(ctx, args)
    if command == "sync":
        from kufertui.commands.sync import run_sync

        return run_sync(ctx, args)
    if command == "segment":
        from kufertui.commands.segment import run_segment

        return run_segment(ctx, args)
    if command == "leavers":
        from kufertui.commands.leavers import run_leavers

        return run_leavers(ctx, args)
    if command == "unsubscribers" and args.unsub_command == "restore":
        from kufertui.commands.restore import run_restore

        return run_restore(ctx, args)
    if command == "unsubscribers":
        from kufertui.commands.sync import run_pull

        return run_pull(ctx, args)
    if command == "doctor":
        from kufertui.commands.doctor import run_doctor

        return run_doctor(ctx, args)
    if command == "simulator":
        from kufertui.commands.simulator import run_simulator

        return run_simulator(ctx, args)
    if command == "screenshots":
        from kufertui.commands.screenshots import run_screenshots

        return run_screenshots(ctx, args)
    if command == "support-bundle":
        from kufertui.commands.bundle import run_bundle

        return run_bundle(ctx, args)
    if command == "serve":
        from kufertui.commands.tui import run_serve

        return run_serve(ctx, args)
    return EXIT_USAGE
