"""Starting the TUI in the terminal, or in a browser for the helpdesk (textual-serve)."""

from __future__ import annotations

import argparse
import sys

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE
from kufertui.platform import shell_command


def run_main_tui(ctx: CommandContext, *, read_only: bool = False) -> int:
    from kufertui.tui.app import run_tui

    return run_tui(ctx.settings, ctx.settings_path, ctx.workspace_root, lang=ctx.lang, read_only=read_only)


def run_serve(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Serve the TUI on 127.0.0.1 only, to whoever holds the printed URL; the helpdesk uses `ssh -L`."""
    try:
        from kufertui.commands import serve_guard
    except ImportError:
        ctx.err(i18n.t("cli.serve-missing"))
        return EXIT_USAGE
    parts = [sys.executable, "-m", "kufertui", "--lang", ctx.lang]
    if getattr(args, "read_only", False):
        parts.append("--read-only")
    if args.demo:
        parts.append("demo")
    else:
        parts += ["--config", str(ctx.settings_path), "--workspace", str(ctx.workspace_root)]
    secret = serve_guard.new_secret()  # in this process only: not in argv, environment or any file
    try:
        serve_guard.serve(shell_command(parts), port=args.port, secret=secret,
                          on_ready=lambda url, port: ctx.out(i18n.t("cli.serve-info", url=url, port=port)))
    except serve_guard.PortTaken as exc:
        ctx.err(i18n.t("cli.serve-port-taken", port=exc.port, detail=exc.strerror or ""))
        return EXIT_USAGE
    return EXIT_OK
