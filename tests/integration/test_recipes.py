"""The change recipes of docs/ARCHITECTURE.md ("Where a change goes"), each carried out in a copy of the package:
a test edits only the files its recipe names and runs the product from that copy (a subprocess with the copy
on PYTHONPATH). When a recipe leaves out a file that the change needs, the test fails, naming what broke."""

from __future__ import annotations

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
