"""The demo: a throwaway workspace with synthetic KUFER contacts and a Maileon simulator account that has
some history. Used by `kufertui demo`, the screenshots, the support bundle's screens and the tests."""

from __future__ import annotations

import random
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kufertui.config import Secret, Settings, save_settings
from kufertui.core.contact import UPLOADABLE_STATUSES
from kufertui.demo_data import write_demo_csv
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


def demo_settings(lang: str = "de") -> Settings:
    """The demo's settings: the simulator's key, the language, K confirmed today (the simulator's URL comes when
    it runs)."""
    settings = Settings()
    settings.maileon.api_key = Secret(DEMO_KEY)
    settings.ui.language = lang
    settings.legal.k_notice_confirmed_on = date.today().isoformat()
    return settings


def prepare_demo(root: Path, contacts: int, seed: int, lang: str = "de", *,
                 settings: Settings | None = None, phase: Callable[[str], None] | None = None) -> DemoSetup:
    """Workspace with imported demo contacts, and a simulator account that has some history:
    a share of the contacts exists in Maileon already, and a few have unsubscribed there.
    ``phase`` is told each step as it starts ("generate", "import", "simulator")."""
    say = phase or (lambda _name: None)
    workspace_root = root / "workspace"
    root.mkdir(parents=True, exist_ok=True)
    say("generate")
    csv_path = write_demo_csv(root / "kufer-export.csv", contacts, seed)
    say("import")
    with Workspace.open(workspace_root) as ws:
        import_file(ws, csv_path)
        # what the seeding needs of every J and K contact (reading whole contacts cost half a second at 100k)
        known = [c for _, c in ws.contacts.iter_contacts(ContactFilter(UPLOADABLE_STATUSES),
                                                         columns=("person_no", "last_name"))]
    say("simulator")
    sim = SimState.with_key(DEMO_KEY)
    rng = random.Random(seed)
    existing = [c for c in known if "@" in c.email and " " not in c.email and rng.random() < 0.4]
    for c in existing:
        sim.seed_contact(c.email, external_id=c.person_no, standard={"LASTNAME": c.last_name or ""})
    for c in rng.sample(existing, k=min(len(existing), max(1, contacts // 200))):
        sim.recipient_unsubscribes(c.email)
    settings = settings or demo_settings(lang)
    settings_path = root / "config.toml"
    save_settings(settings, settings_path)
    return DemoSetup(root, settings, settings_path, workspace_root, sim)


class DemoStarter:
    """`kufertui demo` prepared in a thread while the TUI already shows how far it got (100,000 contacts take
    seconds to generate and import): files, import, the simulator's history, the simulator itself.
    The settings object is the one the TUI holds; it gets the simulator's URL when the simulator runs."""

    PHASES = ("generate", "import", "simulator")

    def __init__(self, contacts: int, seed: int, lang: str = "de") -> None:
        self.contacts, self.seed = contacts, seed
        self._tmp = tempfile.TemporaryDirectory(prefix="kufertui-demo-")
        self.root = Path(self._tmp.name)
        self.settings = demo_settings(lang)
        self.settings_path = self.root / "config.toml"
        self.workspace_root = self.root / "workspace"
        self.phase = ""
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.started = time.monotonic()
        self._stack = ExitStack()
        self._thread: threading.Thread | None = None

    def start(self) -> DemoStarter:
        save_settings(self.settings, self.settings_path)  # the TUI reads and may save it before the end
        # made (and migrated) here, before the TUI and the thread both open it: two first opens at once would
        # both create its tables ("table meta already exists")
        Workspace.open(self.workspace_root).close()
        self._thread = threading.Thread(target=self._run, name="kufertui-demo", daemon=True)
        self._thread.start()
        return self

    def _set_phase(self, name: str) -> None:
        self.phase = name

    def _run(self) -> None:
        try:
            setup = prepare_demo(self.root, self.contacts, self.seed, settings=self.settings, phase=self._set_phase)
            base_url = self._stack.enter_context(running_simulator(setup.sim))
            self.settings.maileon.base_url = base_url
            save_settings(self.settings, self.settings_path)
        except BaseException as exc:  # shown by the TUI; the demo cannot go on
            self.error = exc
        finally:
            self.done.set()

    def close(self) -> None:
        """Stop the simulator and remove the demo's folder (after the TUI has ended)."""
        if self._thread is not None:
            self._thread.join()
        self._stack.close()
        self._tmp.cleanup()


@contextmanager
def demo_environment(contacts: int, seed: int, lang: str) -> Iterator[DemoSetup]:
    with tempfile.TemporaryDirectory(prefix="kufertui-demo-") as tmp:
        setup = prepare_demo(Path(tmp), contacts, seed, lang)
        with running_simulator(setup.sim) as base_url:
            setup.settings.maileon.base_url = base_url
            save_settings(setup.settings, setup.settings_path)
            yield setup
