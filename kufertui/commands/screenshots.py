"""`kufertui screenshots`: SVGs of every screen on demo data, both languages, for the README."""

from __future__ import annotations

import argparse
import asyncio

from kufertui.commands.context import CommandContext
from kufertui.core.exitcodes import EXIT_OK


def run_screenshots(ctx: CommandContext, args: argparse.Namespace) -> int:
    from kufertui.tui.app import make_app  # Textual only when this command runs
    from kufertui.tui.screenshots import render_all

    written = asyncio.run(render_all(make_app, args.out))
    for path in written:
        ctx.out(str(path))
    return EXIT_OK
