"""Starting the TUI in the terminal, or in a browser for the helpdesk (textual-serve)."""

from __future__ import annotations

import argparse
import sys

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.platform import shell_command


def run_main_tui(ctx: CommandContext) -> int:
    from kufertui.tui.app import run_tui

    return run_tui(ctx.settings, ctx.settings_path, ctx.workspace_root, lang=ctx.lang)


def run_serve(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Serve the TUI on 127.0.0.1 only; the helpdesk reaches it through `ssh -L`."""
    try:
        from textual_serve.server import Server
    except ImportError:
        ctx.err(i18n.t("cli.serve-missing"))
        return 2
    parts = [sys.executable, "-m", "kufertui", "--lang", ctx.lang]
    if args.demo:
        parts.append("demo")
    else:
        parts += ["--config", str(ctx.settings_path), "--workspace", str(ctx.workspace_root)]
    ctx.out(i18n.t("cli.serve-info", port=args.port))
    Server(shell_command(parts), host="127.0.0.1", port=args.port).serve()
    return 0
