"""The change recipes of docs/ARCHITECTURE.md ("Where a change goes"), each carried out in a copy of the package:
a test edits only the files its recipe names and runs the product from that copy (a subprocess with the copy
on PYTHONPATH). When a recipe leaves out a file that the change needs, the test fails, naming what broke."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sync_helpers import REPO, cli_env, cli_paths, make_settings, sim_state

from kufertui.simulator import running_simulator

ARCHITECTURE = REPO / "docs" / "ARCHITECTURE.md"


def recipe(title: str) -> str:
    """The paragraph of ARCHITECTURE.md that starts with **title**."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"\*\*" + re.escape(title) + r"[^*]*\*\*(.*?)(?=\n\*\*|\n## |\Z)", text, re.S)
    assert match, f"docs/ARCHITECTURE.md has no recipe **{title}**"
    return match.group(1)


def copy_package(tmp_path: Path) -> Path:
    """kufertui/ copied to tmp_path/tree (returned: the folder to put on PYTHONPATH)."""
    tree = tmp_path / "tree"
    shutil.copytree(REPO / "kufertui", tree / "kufertui", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tree


def edit(tree: Path, path: str, old: str, new: str) -> None:
    """Replace ``old`` (found exactly once) in the copy's ``path``."""
    target = tree / path
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: the recipe's anchor {old!r} is gone; update this test with the recipe"
    target.write_text(text.replace(old, new), encoding="utf-8")


def run_copy(tree: Path, argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Python with the copy on PYTHONPATH; ``cwd`` must not hold a kufertui/ (-c and -m put it first on sys.path)."""
    assert not (cwd / "kufertui").exists(), cwd
    env = dict(env, PYTHONPATH=str(tree), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)


# --------------------------------------------------------------------------------------- add a KUFER field

FIELD_FILES = ("core/fields.py",)  # all that adding a plain KUFER field touches


@pytest.mark.slow
def test_adding_a_kufer_field_in_the_catalogue_alone_carries_it_to_maileon(tmp_path: Path) -> None:
    """The house number (HNR) added as the recipe says: one line in the catalogue. An export with a
    Hausnummer column imported into a workspace made before the field existed, then synced: the value
    arrives in Maileon's HNR, and the label shows in both languages."""
    text = recipe("Add a KUFER field")
    for path in FIELD_FILES:
        assert f"`{path}`" in text, f"the recipe no longer names {path}"
    tree = copy_package(tmp_path)
    edit(tree, "kufertui/core/fields.py", "\n)\n\nFIELDS_BY_ID",
         '\n    KuferField("hnr", "Hausnummer", "House number", ("hnr", "hausnummer"), "HNR"),\n)\n\nFIELDS_BY_ID')
    state = sim_state()
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        settings.fields = {"first_name": "FIRSTNAME", "last_name": "LASTNAME", "hnr": "HNR"}
        paths = cli_paths(tmp_path, settings)
        env = cli_env(paths)
        common = ["--config", str(paths.config), "--workspace", str(paths.workspace)]
        old = tmp_path / "old.csv"  # a workspace from before the field: its table lacks the column
        old.write_text("TNR;Vorname;Name;E-Mail;Newsletter\r\n1;Jörg;Müller;joerg@vhs-test.de;J\r\n", encoding="utf-8")
        before = subprocess.run([sys.executable, "-m", "kufertui", "import", str(old), *common], env=env,
                                capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert before.returncode == 0, before.stderr
        export = tmp_path / "kufer.csv"
        export.write_text("TNR;Vorname;Name;Straße;Hausnummer;E-Mail;Newsletter\r\n"
                          "1;Jörg;Müller;Hauptstraße;12a;joerg@vhs-test.de;J\r\n"
                          "2;Käthe;Weiß;Ringweg;7;kaethe@vhs-test.de;K\r\n", encoding="utf-8")
        imported = run_copy(tree, ["-m", "kufertui", "import", str(export), *common], env, tmp_path)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        synced = run_copy(tree, ["-m", "kufertui", "sync", "--yes", *common], env, tmp_path)
        assert synced.returncode == 0, synced.stdout + synced.stderr
        labels = run_copy(tree, ["-c", "from kufertui.i18n import t; print(t('field.hnr', 'de'), "
                                 "t('field.hnr', 'en'))"], env, tmp_path)
    with state.lock:
        sent = {email: dict(c.standard) for email, c in state.contacts.items()}
    assert sent["joerg@vhs-test.de"].get("HNR") == "12a", sent
    assert sent["kaethe@vhs-test.de"].get("HNR") == "7", sent
    assert labels.stdout.split() == ["Hausnummer", "House", "number"], labels.stderr


# --------------------------------------------------------------------------------------- add a screen

SCREEN_FILES = ("tui/screens/registry.py", "messages/tui.py")  # and the new module tui/screens/<name>.py
ABOUT = '''"""About kufertui: a screen added by the recipe test."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from kufertui.i18n import t
from kufertui.tui.screens.base import BaseScreen


class AboutScreen(BaseScreen):
    def compose_body(self) -> ComposeResult:
        yield Static(t("about.body"), id="about-body")
'''
LOOK = '''
import asyncio, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])  # tests/tui of the repository
from kufertui import i18n
from kufertui.sync.demo_setup import prepare_demo
from kufertui.tui.app import make_app
from kufertui.tui.screens.registry import SHOT_NAMES
from kufertui.tui.widgets.navbar import NavBar
import test_snapshots

async def main():
    demo = prepare_demo(Path(sys.argv[1]), 30, 7)
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="de", demo=True)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        for _ in range(100):
            await pilot.pause(0.05)
            if type(app.screen).__name__ == "AboutScreen":
                break
        shown = {"screen": type(app.screen).__name__, "navbar": app.screen.query_one(NavBar).text().plain,
                 "body": str(app.screen.query_one("#about-body").render())}
        await pilot.press("f1")
        await pilot.pause(0.3)
        shown["help"] = [str(w.render())[:2000] for w in app.screen.query("Static")][:3]
    shown["shots"] = list(SHOT_NAMES)
    shown["snapshots"] = sorted(test_snapshots.NAMES.values())
    print(json.dumps(shown))

asyncio.run(main())
'''


@pytest.mark.slow
def test_adding_a_screen_takes_its_module_one_registry_line_and_its_texts(tmp_path: Path) -> None:
    """An "about" screen on F10, as the recipe says: it opens on its key, the navbar and the help show it, the
    screenshots and the snapshot tests pick it up from the registry, and the navbar test warns that a seventh
    tab does not fit 80 columns in German."""
    text = recipe("Add a screen")
    for path in SCREEN_FILES:
        assert f"`{path}`" in text, f"the recipe no longer names {path}"
    tree = copy_package(tmp_path)
    (tree / "kufertui" / "tui" / "screens" / "about.py").write_text(ABOUT, encoding="utf-8")
    edit(tree, "kufertui/tui/screens/registry.py", '    ScreenEntry("settings", "f9", SettingsScreen),\n',
         '    ScreenEntry("settings", "f9", SettingsScreen),\n    ScreenEntry("about", "f10", AboutScreen),\n')
    contacts = "from kufertui.tui.screens.contacts import ContactsScreen\n"
    edit(tree, "kufertui/tui/screens/registry.py", contacts,
         "from kufertui.tui.screens.about import AboutScreen\n" + contacts)
    edit(tree, "kufertui/messages/tui.py", "\nDE = {\n",
         '\nDE = {\n    "nav.about": "Über", "key.about": "Über kufertui", "about.body": "kufertui, Version 0",\n')
    edit(tree, "kufertui/messages/tui.py", "\nEN = {\n",
         '\nEN = {\n    "nav.about": "About", "key.about": "About kufertui", "about.body": "kufertui, version 0",\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    env.update(KUFERTUI_HOME=str(tmp_path / "home"), KUFERTUI_STRICT_MESSAGES="1")
    looked = run_copy(tree, ["-c", LOOK, str(tmp_path / "demo"), str(REPO / "tests" / "tui")], env, tmp_path)
    assert looked.returncode == 0, looked.stdout + looked.stderr
    shown = json.loads(looked.stdout.strip().splitlines()[-1])
    assert shown["screen"] == "AboutScreen" and shown["body"] == "kufertui, Version 0"
    assert shown["navbar"].rstrip().endswith("F10 Über")
    assert any("Über kufertui" in line for line in shown["help"]), shown["help"]
    assert "about" in shown["shots"] and "about" in shown["snapshots"]
    navbar = run_copy(tree, ["-m", "pytest", "-q", "-p", "no:cacheprovider", str(REPO / "tests/tui/test_navbar.py"),
                             "-k", "de and normal"], env, tmp_path)
    assert navbar.returncode == 1 and "the navbar needs" in navbar.stdout, navbar.stdout[-2000:]


# --------------------------------------------------------------------------------------- change the retry policy

RETRY_FILES = ("maileon/errors.py", "maileon/options.py")
RUN = '''
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])  # tests/reliability of the repository
from rel_helpers import make_settings, make_workspace, run_engine, seed_sim
from kufertui.simulator import running_simulator
from kufertui.simulator.faults import parse_faults

root, spec = Path(sys.argv[1]), sys.argv[2]
ws_root = make_workspace(root, 40)
with running_simulator(seed_sim(), parse_faults(spec)) as url:
    out = run_engine(make_settings(url, batch_size=20, in_flight=1), ws_root, shipped=True)
print(out.exit_code, out.failed.hint_id if out.failed else "")
'''


@pytest.mark.slow
def test_changing_the_retry_policy_in_its_files_changes_what_a_run_rides_out(tmp_path: Path) -> None:
    """The retry decision is the error class's (maileon/errors.py), the patience the options' (maileon/options.py),
    and a run uses them as shipped: a 500 on an upload, not retried today, is ridden out once the class says so;
    two 503 in a row are ridden out with the shipped attempts and not with one."""
    text = recipe("Change the retry policy")
    for path in RETRY_FILES:
        assert f"`{path}`" in text, f"the recipe no longer names {path}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    env.update(KUFERTUI_HOME=str(tmp_path / "home"))

    def run(tree: Path, name: str, spec: str) -> str:
        done = run_copy(tree, ["-c", RUN, str(tmp_path / name), spec, str(REPO / "tests" / "reliability")], env,
                        tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.split("\n")[-2].strip()

    shipped = copy_package(tmp_path / "shipped")
    assert run(shipped, "a", "500@POST /contacts#2") == "3 server-error"
    assert run(shipped, "b", "503@POST /contacts#2-3") == "0"
    changed = copy_package(tmp_path / "changed")
    edit(changed, "kufertui/maileon/errors.py", "return self.status in (502, 503, 504)",
         "return self.status in (500, 502, 503, 504)")
    edit(changed, "kufertui/maileon/options.py", "max_retries: int = 5", "max_retries: int = 1")
    assert run(changed, "c", "500@POST /contacts#2") == "0"
    assert run(changed, "d", "503@POST /contacts#2-3") == "3 server-error"
