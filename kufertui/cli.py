"""Command line entry point (DESIGN §4). Textual is imported only when the TUI starts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kufertui import __version__, i18n
from kufertui.cli_i18n import argparse_language, early_language
from kufertui.commands.statuses import parse_statuses
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_USAGE

t = i18n.t


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as DESIGN §4 says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


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
    sync.add_argument("--status", type=parse_statuses, default="J,K", metavar=t("cli.metavar.list"),
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

    doctor = _command(sub, "doctor", common)
    doctor.add_argument("--json", action="store_true", help=t("cli.help.json"))

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
    """Parse in the user's language: --help and usage errors already speak it (cli_i18n)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with argparse_language(early_language(argv)):
        return build_parser().parse_args(argv)


# commands that open the workspace named by --workspace: a file there is refused before any of them
# creates something under it (doctor reports it as a check; support-bundle collects what it can)
_WORKSPACE_COMMANDS = frozenset({None, "import", "sync", "segment", "leavers", "unsubscribers", "serve"})


def main(argv: Sequence[str] | None = None) -> int:
    from kufertui.platform import ensure_utf8_output

    ensure_utf8_output()  # before any output: cp1252 cannot carry ⚠ (Windows without a console)
    args = parse_args(argv)
    from kufertui.commands.context import CommandContext

    ctx = CommandContext.from_args(args)
    if isinstance(ctx, int):
        return ctx
    command = args.command
    if command in _WORKSPACE_COMMANDS and not getattr(args, "demo", False):
        from kufertui.commands.context import refuse_unusable_workspace

        refused = refuse_unusable_workspace(ctx, getattr(args, "json", False))
        if refused is not None:
            return refused
    try:
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
        if command == "unsubscribers":
            from kufertui.commands.sync import run_pull

            return run_pull(ctx, args)
        if command == "doctor":
            from kufertui.commands.doctor import run_doctor

            return run_doctor(ctx, args)
        if command == "simulator":
            from kufertui.simulator import serve as serve_simulator

            serve_simulator(port=args.port, api_key=args.api_key, faults=args.faults,
                            state_file=args.state_file)
            return EXIT_OK
        if command == "screenshots":
            from kufertui.commands.screenshots import run_screenshots

            return run_screenshots(ctx, args)
        if command == "support-bundle":
            from kufertui.commands.bundle import run_bundle

            return run_bundle(ctx, args)
        if command == "serve":
            from kufertui.commands.tui import run_serve

            return run_serve(ctx, args)
    except KeyboardInterrupt:
        ctx.err(i18n.t("cli.interrupted"))
        return EXIT_ABORTED
    return EXIT_USAGE
