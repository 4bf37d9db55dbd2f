"""`kufertui demo`: a throwaway workspace, synthetic KUFER contacts and a local Maileon simulator."""

from __future__ import annotations

import argparse

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.core.contact import Status
from kufertui.core.exitcodes import EXIT_USAGE
from kufertui.store import ContactFilter
from kufertui.sync.demo_setup import DemoSetup, DemoStarter, demo_environment


def run_demo(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.contacts < 1:
        return json_error(ctx, args.json, "cli.demo-contacts", EXIT_USAGE)
    say = ctx.err if args.json else ctx.out
    if not args.headless:
        # the TUI shows how far the demo got at once; contacts and simulator are prepared meanwhile (100,000
        # contacts take seconds: the terminal stayed blank that long). It says at start what quitting deletes
        # (demo.notice); the terminal keeps the closing line once the TUI has ended.
        from kufertui.tui.app import run_tui

        starter = DemoStarter(args.contacts, args.seed, ctx.lang).start()
        root = starter.root
        try:
            code = run_tui(starter.settings, starter.settings_path, starter.workspace_root, lang=ctx.lang, demo=True,
                           read_only=getattr(args, "read_only", False), preparing=starter)
        finally:
            starter.close()
    else:
        with demo_environment(args.contacts, args.seed, ctx.lang) as setup:
            root = setup.root
            code = _headless(ctx, args, setup)
    i18n.set_language(ctx.lang)
    say(i18n.t("demo.ended", path=str(root)))
    return code


def _headless(ctx: CommandContext, args: argparse.Namespace, setup: DemoSetup) -> int:
    """The whole round trip without UI, its report printed (or as JSON)."""
    from kufertui.commands.sync import execute
    from kufertui.sync.engine import SyncOptions
    from kufertui.sync.mapping import mappings_from_settings

    demo_ctx = CommandContext(setup.settings, setup.settings_path, setup.workspace_root, ctx.lang)
    (ctx.err if args.json else ctx.out)(i18n.t("cli.demo-intro", contacts=args.contacts, path=str(setup.root)))
    options = SyncOptions(selection=ContactFilter(frozenset({Status.J.value, Status.K.value})),
                          mappings=mappings_from_settings(setup.settings), replace_xml=True)
    code = execute(demo_ctx, options, as_json=args.json)
    ctx.json_printed = demo_ctx.json_printed  # the one JSON object is out
    return code
