"""Issue 26.14: the support bundle goes to one place from both faces – the workspace's exports folder, where
F7 puts it – and the CLI says so (it used to land in whatever folder the command ran in); the demo says
that its folder goes when it ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sync_helpers import REPO, cli_argv, cli_env, cli_paths

from kufertui.sync.demo_setup import prepare_demo


def test_cli_bundle_lands_in_the_workspace_exports_and_says_so(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 30, seed=3)
    paths = cli_paths(tmp_path, setup.settings)
    paths.workspace = setup.workspace_root
    here = tmp_path / "somewhere"
    here.mkdir()
    done = subprocess.run(cli_argv(paths, "support-bundle"), env=cli_env(paths), capture_output=True, text=True,
                          timeout=180, cwd=here)
    assert done.returncode == 0, done.stderr
    bundles = list((setup.workspace_root / "exports").glob("kufertui-support-*.zip"))
    assert len(bundles) == 1 and not list(here.iterdir())
    assert "Support-Paket im Exportordner des Arbeitsbereichs gespeichert" in done.stdout
    assert bundles[0].name in done.stdout


def test_headless_demo_says_its_folder_is_gone(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
           "KUFERTUI_HOME": str(tmp_path / "home"), "KUFERTUI_CONFIG": str(tmp_path / "none.toml"), "CI": "1"}
    done = subprocess.run([sys.executable, "-m", "kufertui", "demo", "--headless", "--contacts", "30"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode in (0, 1), done.stderr
    ended = [line for line in done.stdout.splitlines() if line.startswith("Demo beendet: Arbeitsordner")]
    assert len(ended) == 1 and "gelöscht" in ended[0]
    folder = Path(ended[0].split("Arbeitsordner ", 1)[1].split(" mit ", 1)[0])
    assert folder.name.startswith("kufertui-demo-") and not folder.exists()
