"""One language on the command line: --help, usage errors, --json errors and the dry-run export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sync_helpers import REPO, cli_paths, make_settings, person, run_cli, seed_workspace, sim_state

from kufertui import cli
from kufertui.config import Settings, save_settings
from kufertui.paths import WorkspacePaths
from kufertui.simulator import running_simulator

ARGPARSE_ENGLISH = ("usage:", "options:", "show this help message", "positional arguments", "show program's")
COMMANDS = [["--help"], ["demo", "--help"], ["import", "--help"], ["sync", "--help"], ["unsubscribers", "--help"],
            ["unsubscribers", "pull", "--help"], ["doctor", "--help"], ["simulator", "--help"],
            ["screenshots", "--help"], ["support-bundle", "--help"], ["serve", "--help"]]


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("KUFERTUI_UI__LANGUAGE", raising=False)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_sync_and_doctor_help_are_german_by_default() -> None:
    for command in ("sync", "doctor"):
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(REPO / "nonexistent-home"),
               "KUFERTUI_CONFIG": str(REPO / "nonexistent.toml")}
        done = subprocess.run([sys.executable, "-m", "kufertui", command, "--help"], env=env, capture_output=True,
                              text=True, timeout=60, cwd=REPO)
        assert done.returncode == 0, done.stderr
        assert "Aufruf: kufertui" in done.stdout and "Optionen:" in done.stdout
        assert "diese Hilfe zeigen und beenden" in done.stdout
        for english in ARGPARSE_ENGLISH:
            assert english not in done.stdout, (command, english)
    assert "mit Maileon vergleichen, dort nichts schreiben" in run_help_text(["sync", "--help"])


def run_help_text(argv: list[str]) -> str:
    return subprocess.run([sys.executable, "-m", "kufertui", *argv], capture_output=True, text=True, timeout=60,
                          cwd=REPO, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
                                         "KUFERTUI_CONFIG": str(REPO / "nonexistent.toml")}).stdout


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a))
def test_every_help_in_german_and_english(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    german = _help(argv, capsys)
    assert german.startswith("Aufruf: ") and "Optionen:" in german
    for english in (*ARGPARSE_ENGLISH, "settings file", "workspace folder", "interface language"):
        assert english not in german, english
    english = _help(["--lang", "en", *argv], capsys)
    assert english.startswith("usage: ") and "options:" in english
    for word in ("Aufruf", "Optionen", "Einstellungsdatei", "Arbeitsordner", "beenden"):
        assert word not in english, word


def test_language_before_parsing_from_settings_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings()
    settings.ui.language = "en"
    config = save_settings(settings, tmp_path / "cfg" / "config.toml")
    assert _help(["sync", "--help", "--config", str(config)], capsys).startswith("usage: ")
    assert _help(["sync", "--help", f"--config={config}", "--lang=de"], capsys).startswith("Aufruf: ")
    monkeypatch.setenv("KUFERTUI_UI__LANGUAGE", "en")
    assert _help(["doctor", "--help"], capsys).startswith("usage: ")


def test_usage_errors_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["sync", "--lang", "fr"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "ungültige Auswahl: 'fr'" in err and "invalid choice" not in err
    with pytest.raises(SystemExit):
        cli.main(["sync", "--frobnicate"])
    assert "unbekannte Angaben: --frobnicate" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["demo", "--contacts", "viele"])
    assert "Angabe --contacts: ungültiger Wert: 'viele'" in capsys.readouterr().err


def test_json_errors_keep_the_key_and_add_a_message(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 6)])
        nothing = run_cli(paths, "sync", "--json", "--resume")  # first: a refused run can be resumed
        refused = run_cli(paths, "sync", "--json", api_key="not-the-key-0000000000")
        refused_en = run_cli(paths, "sync", "--json", "--lang", "en", api_key="not-the-key-0000000000")
        no_key = run_cli(paths, "sync", "--json", api_key="")
    doc = json.loads(refused.stdout)
    assert refused.returncode == 2 and doc["error"] == "engine.key-refused" and doc["hint_id"] == "key-invalid"
    assert "API-Key" in doc["message"] and doc["fix"]
    doc_en = json.loads(refused_en.stdout)
    assert doc_en["error"] == doc["error"] and "API key" in doc_en["message"] and doc_en["message"] != doc["message"]
    doc = json.loads(no_key.stdout)
    assert no_key.returncode == 2 and doc == {"ok": False, "error": "cli.no-api-key", "hint_id": None,
                                              "exit_code": 2, "message": doc["message"]}
    assert doc["message"].startswith("Es ist kein API-Key eingetragen")
    doc = json.loads(nothing.stdout)
    assert nothing.returncode == 2 and doc["error"] == "engine.nothing-to-resume" and doc["message"]


@pytest.mark.parametrize(("lang", "header", "would_update"), [
    ("de", ["E-Mail", "Status", "Ergebnis", "Ursache", "Details", "outcome", "code"], "würde aktualisiert"),
    ("en", ["E-mail", "Status", "Outcome", "Cause", "Details", "outcome", "code"], "would be updated"),
])
def test_dry_run_export_in_the_users_language(tmp_path: Path, lang: str, header: list[str],
                                              would_update: str) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 6)]
    state.seed_contact(contacts[0].email, external_id=contacts[0].person_no, standard={"FIRSTNAME": "alt"})
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [*contacts, person(9, email="kaputt@@vhs-test.de")])
        done = run_cli(paths, "sync", "--dry-run", "--lang", lang)
    assert done.returncode == 1, done.stderr  # 1: a contact was rejected
    (export,) = WorkspacePaths(paths.workspace).exports_dir.glob("dry-run-*.csv")
    with export.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == header
    by_email = {r[0]: r for r in rows[1:]}
    assert by_email[contacts[0].email][2] == would_update and by_email[contacts[0].email][5] == "would-update"
    assert all(not r[2].startswith("would-") for r in rows[1:])
    held = by_email["kaputt@@vhs-test.de"]  # held back by the pre-flight: cause in words, code kept
    assert held[5] == "rejected" and held[6].startswith("preflight:") and held[3] and "preflight" not in held[3]


def test_demo_json_is_json_and_its_refusal_has_a_message(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path),
           "KUFERTUI_HOME": str(tmp_path / "home"), "KUFERTUI_CONFIG": str(tmp_path / "none.toml"), "CI": "1"}

    def demo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kufertui", "demo", *args], env=env, capture_output=True,
                              text=True, timeout=120, cwd=REPO)

    refused = demo("--contacts", "0", "--json")
    assert refused.returncode == 2
    assert json.loads(refused.stdout) == {"ok": False, "error": "cli.demo-contacts", "hint_id": None,
                                          "exit_code": 2, "message": "--contacts muss mindestens 1 sein."}
    done = demo("--headless", "--contacts", "40", "--json")
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["ok"] is True  # the intro line went to stderr
    assert "Demo: 40 erfundene Kontakte" in done.stderr
