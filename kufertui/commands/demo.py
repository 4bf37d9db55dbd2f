"""`kufertui demo`: a throwaway workspace, synthetic KUFER contacts and a local Maileon simulator."""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.config import Secret, Settings, save_settings
from kufertui.core.contact import Status
from kufertui.demo import write_demo_csv
from kufertui.simulator import SimState, running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.importing import import_file

DEMO_KEY = "demo-key-not-secret-0000"


@dataclass
class DemoSetup:
    root: Path
    settings: Settings
    settings_path: Path
    workspace_root: Path
    sim: SimState


def prepare_demo(root: Path, contacts: int, seed: int, lang: str = "de") -> DemoSetup:
    """Workspace with imported demo contacts, and a simulator account that has some history:
    a share of the contacts exists in Maileon already, and a few have unsubscribed there."""
    workspace_root = root / "workspace"
    root.mkdir(parents=True, exist_ok=True)
    csv_path = write_demo_csv(root / "kufer-export.csv", contacts, seed)
    with Workspace.open(workspace_root) as ws:
        import_file(ws, csv_path)
        known = [c for _, c in ws.contacts.iter_contacts(ContactFilter(frozenset({"J", "K"})))]
    sim = SimState.with_key(DEMO_KEY)
    rng = random.Random(seed)
    existing = [c for c in known if "@" in c.email and " " not in c.email and rng.random() < 0.4]
    for c in existing:
        sim.seed_contact(c.email, external_id=c.person_no, standard={"LASTNAME": c.last_name or ""})
    for c in rng.sample(existing, k=min(len(existing), max(1, contacts // 200))):
        sim.recipient_unsubscribes(c.email)
    settings = Settings()
    settings.maileon.api_key = Secret(DEMO_KEY)
    settings.ui.language = lang
    settings.legal.k_notice_confirmed_on = date.today().isoformat()
    settings_path = root / "config.toml"
    save_settings(settings, settings_path)
    return DemoSetup(root, settings, settings_path, workspace_root, sim)


@contextmanager
def demo_environment(contacts: int, seed: int, lang: str) -> Iterator[DemoSetup]:
    with tempfile.TemporaryDirectory(prefix="kufertui-demo-") as tmp:
        setup = prepare_demo(Path(tmp), contacts, seed, lang)
        with running_simulator(setup.sim) as base_url:
            setup.settings.maileon.base_url = base_url
            save_settings(setup.settings, setup.settings_path)
            yield setup


def run_demo(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.contacts < 1:
        ctx.err(i18n.t("cli.demo-contacts"))
        return 2
    with demo_environment(args.contacts, args.seed, ctx.lang) as setup:
        if not args.headless:
            from kufertui.tui.app import run_tui

            return run_tui(setup.settings, setup.settings_path, setup.workspace_root, lang=ctx.lang, demo=True,
                           read_only=getattr(args, "read_only", False))
        from kufertui.commands.sync import execute
        from kufertui.sync.engine import SyncOptions
        from kufertui.sync.mapping import mappings_from_settings

        demo_ctx = CommandContext(setup.settings, setup.settings_path, setup.workspace_root, ctx.lang)
        ctx.out(i18n.t("cli.demo-intro", contacts=args.contacts, path=str(setup.root)))
        options = SyncOptions(selection=ContactFilter(frozenset({Status.J.value, Status.K.value})),
                              mappings=mappings_from_settings(setup.settings), replace_xml=True)
        return execute(demo_ctx, options, as_json=args.json)
