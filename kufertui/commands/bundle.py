"""`kufertui support-bundle`: writes the application layer's bundle (kufertui.sync.bundle) with every screen.

It goes where F7 in the TUI puts it, the workspace's exports folder (not the current folder), and says so;
``--out`` names another file."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
from pathlib import Path

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE
from kufertui.paths import WorkspacePaths
from kufertui.platform import SharedFolder
from kufertui.sync.bundle import build_bundle


def run_bundle(ctx: CommandContext, args: argparse.Namespace) -> int:
    from kufertui.tui.app import make_app
    from kufertui.tui.screenshots import render_all

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or WorkspacePaths(ctx.workspace_root).exports_dir / f"kufertui-support-{stamp}.zip"

    def screens(folder: Path) -> list[Path]:
        return asyncio.run(render_all(make_app, folder, contacts=200, langs=(ctx.lang,)))

    try:
        path = build_bundle(ctx.settings, ctx.settings_path, ctx.workspace_root, out,
                            include_contacts=args.include_contacts, render_screens=screens)
    except SharedFolder as exc:  # never a file in a folder other users may write: say so, with the way out
        i18n.set_language(ctx.lang)
        ctx.err(str(exc))
        ctx.err(f"    {i18n.t('cli.fix')}: {i18n.hint_fix(exc.hint_id)}")
        return EXIT_USAGE
    i18n.set_language(ctx.lang)
    ctx.out(i18n.t("bundle.written" if args.out else "bundle.written-exports", path=str(path)))
    return EXIT_OK
