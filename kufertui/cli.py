"""Command line entry point (DESIGN §4). Textual is imported only when the TUI starts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kufertui import __version__, i18n
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as DESIGN §4 says
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _global_options(*, suppress: bool) -> argparse.ArgumentParser:
    # Subcommands repeat the global options with SUPPRESS defaults, so that `--config X sync` keeps X.
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=default, help="settings file (TOML)")
    common.add_argument("--workspace", type=Path, default=default, help="workspace folder")
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=default, help="interface language (de, en)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(suppress=True)
    parser = _Parser(prog="kufertui", parents=[_global_options(suppress=False)],
                     description="KUFER newsletter contacts to Maileon, unsubscribes back.")
    parser.add_argument("--version", action="version", version=f"kufertui {__version__}")
    parser.add_argument("--read-only", action="store_true", help="TUI: look only, change nothing (helpdesk)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", parents=[common], help="throwaway workspace + synthetic contacts + simulator")
    demo.add_argument("--contacts", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--headless", action="store_true", help="run the round trip without UI, print the report")
    demo.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", parents=[common], help="load a KUFER export (CSV or XML)")
    imp.add_argument("path", type=Path, nargs="?", help="export file; omit with --sql")
    imp.add_argument("--sql", action="store_true", help="read with the SQL query of the settings ([source])")
    imp.add_argument("--profile", type=Path, help="mapping profile (TOML) to use instead of detection")
    imp.add_argument("--json", action="store_true")

    sync = sub.add_parser("sync", parents=[common], help="headless round trip")
    sync.add_argument("--status", default="J,K", help="statuses to select, e.g. J,K")
    sync.add_argument("--fields", help="KUFER fields to send, e.g. salutation,title,first_name,last_name")
    sync.add_argument("--department", help="only this Fachbereich")
    sync.add_argument("--dozent", action="store_true", help="only lecturers")
    sync.add_argument("--search", default="")
    sync.add_argument("--dry-run", action="store_true", help="compare with Maileon, write nothing there")
    sync.add_argument("--yes", action="store_true", help="replace an earlier upload file without asking")
    sync.add_argument("--json", action="store_true", help="print one JSON report")
    sync.add_argument("--resume", action="store_true", help="finish an interrupted run")
    sync.add_argument("--target-group", metavar="NAME", help="create filter + target group ImportAPI == true")
    sync.add_argument("--segment", action="append", default=[], metavar="NAME",
                      help="refresh this segment (repeatable); the selection is the segments' members")
    sync.add_argument("--all-segments", action="store_true", help="refresh every segment (for cron)")

    segment = sub.add_parser("segment", parents=[common], help="saved selections kept exact in Maileon")
    segment_sub = segment.add_subparsers(dest="segment_command", parser_class=_Parser, required=True)
    seg_add = segment_sub.add_parser("add", parents=[common], help="save a segment")
    seg_add.add_argument("name")
    seg_add.add_argument("--status", default="J,K", help="statuses, e.g. J,K (only J and K are ever sent)")
    seg_add.add_argument("--department", help="only this Fachbereich")
    seg_add.add_argument("--dozent", choices=("yes", "no"), help="only lecturers (yes) or no lecturers (no)")
    seg_add.add_argument("--search", default="")
    seg_add.add_argument("--json", action="store_true")
    seg_list = segment_sub.add_parser("list", parents=[common], help="the saved segments")
    seg_list.add_argument("--json", action="store_true")
    seg_rm = segment_sub.add_parser("remove", parents=[common], help="remove a segment (and its Maileon parts)")
    seg_rm.add_argument("name")
    seg_rm.add_argument("--keep-in-maileon", action="store_true", help="leave its field and target group in Maileon")
    seg_rm.add_argument("--yes", action="store_true", help="remove in Maileon without asking")
    seg_rm.add_argument("--json", action="store_true")

    unsub = sub.add_parser("unsubscribers", parents=[common], help="unsubscriber pull only (for cron)")
    unsub_sub = unsub.add_subparsers(dest="unsub_command", parser_class=_Parser, required=True)
    pull = unsub_sub.add_parser("pull", parents=[common])
    pull.add_argument("--json", action="store_true")

    doctor = sub.add_parser("doctor", parents=[common], help="check settings, key rights, proxy, TLS")
    doctor.add_argument("--json", action="store_true")

    sim = sub.add_parser("simulator", parents=[common], help="run the Maileon simulator on 127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--api-key", default="sim-api-key-0000", help="the simulator's own test key")
    sim.add_argument("--faults", help="fault spec, see kufertui/simulator/faults.py")
    sim.add_argument("--state-file", type=Path)

    shots = sub.add_parser("screenshots", parents=[common], help="regenerate screenshots/")
    shots.add_argument("--out", type=Path, default=Path("screenshots"))

    bundle = sub.add_parser("support-bundle", parents=[common], help="zip for the helpdesk, no secrets")
    bundle.add_argument("--out", type=Path)
    bundle.add_argument("--include-contacts", action="store_true", help="opt in to contact data")

    serve = sub.add_parser("serve", parents=[common], help="the TUI in a browser on 127.0.0.1 (helpdesk)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true")
    serve.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                       help="the served TUI can look, not upload or change settings")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from kufertui.commands.context import CommandContext

    ctx = CommandContext.from_args(args)
    if isinstance(ctx, int):
        return ctx
    command = args.command
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
