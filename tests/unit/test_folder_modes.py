"""Issue 17.3: folders we create are owner-only; a folder that exists keeps its mode (a shared
folder the admin chose for the config or the workspace is not ours to tighten)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kufertui.config import Settings, save_settings
from kufertui.store import Workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="folder modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def shared(path: Path) -> Path:
    path.mkdir(parents=True)
    os.chmod(path, 0o2775)  # group-shared, setgid: as an admin sets up a team folder
    return path


def test_save_settings_leaves_an_existing_folder_alone(tmp_path: Path) -> None:
    folder = shared(tmp_path / "etc-kufertui")
    path = save_settings(Settings(), folder / "config.toml")
    assert mode(folder) == 0o2775
    assert mode(path) == 0o600


def test_save_settings_creates_missing_folders_owner_only(tmp_path: Path) -> None:
    path = save_settings(Settings(), tmp_path / "a" / "b" / "config.toml")
    assert mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700
    assert mode(path) == 0o600


def test_workspace_in_a_shared_folder_keeps_its_mode_and_makes_private_subfolders(tmp_path: Path) -> None:
    root = shared(tmp_path / "team")
    before = mode(tmp_path)
    with Workspace.open(root) as ws:
        subfolders = [ws.paths.upload_xml.parent, ws.paths.writeback_dir, ws.paths.exports_dir]
    assert mode(root) == 0o2775 and mode(tmp_path) == before
    assert all(mode(folder) & 0o077 == 0 for folder in subfolders)  # (setgid is inherited: harmless)
    assert mode(root / "workspace.sqlite") == 0o600


def test_cli_workspace_option_on_a_shared_folder(tmp_path: Path) -> None:
    root = shared(tmp_path / "team-ws")
    csv = tmp_path / "kufer.csv"
    csv.write_text("TNR;NAME;VORNAME;EMAIL;STATUS\n1;Muster;Max;max@example.org;J\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    env["KUFERTUI_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "kufertui", "--workspace", str(root), "import", str(csv)],
                          env=env, capture_output=True, timeout=60)
    assert (root / "workspace.sqlite").exists(), done.stderr.decode()
    assert mode(root) == 0o2775
