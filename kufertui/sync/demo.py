"""The demo: a throwaway workspace with synthetic KUFER contacts and a Maileon simulator account that has
some history. Used by `kufertui demo`, the screenshots, the support bundle's screens and the tests."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kufertui.config import Secret, Settings, save_settings
from kufertui.core.contact import UPLOADABLE_STATUSES
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
        known = [c for _, c in ws.contacts.iter_contacts(ContactFilter(UPLOADABLE_STATUSES))]
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
