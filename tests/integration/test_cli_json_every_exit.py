"""With --json every exit prints exactly one JSON object on stdout, usage and settings errors included; `sync
--status N` (or empty) is refused before anything happens (issue 26.3, 26.10, 26.20)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import CliPaths, cli_paths, make_settings, person, run_cli, seed_workspace, sim_snapshot, sim_state

from kufertui.simulator import running_simulator
from kufertui.store import Workspace

KEYS = {"ok", "error", "hint_id", "exit_code", "message"}


def one_object(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    doc = json.loads(result.stdout)  # exactly one document: anything after it is "Extra data"
    assert isinstance(doc, dict), result.stdout
    assert set(doc) >= KEYS, doc
    assert doc["ok"] is False and doc["exit_code"] == result.returncode == 2 and doc["message"], doc
    return doc


@pytest.fixture
def paths(tmp_path: Path) -> CliPaths:
    paths = cli_paths(tmp_path, make_settings("http://127.0.0.1:9/1.0"))  # never reached: all refused before
    seed_workspace(paths.workspace, [person(1), person(2, "N"), person(3, "")])
    return paths


USAGE = [
    (("sync", "--status", "X"), "cli.bad-status", None),
    (("sync", "--status", "N"), "cli.status-not-sent", "status-not-uploadable"),
    (("sync", "--status", "J,leer"), "cli.status-not-sent", "status-not-uploadable"),
    (("sync", "--status", ""), "cli.no-status", None),
    (("sync", "--frobnicate"), "cli.usage", None),
    (("demo", "--contacts", "viele"), "cli.usage", None),
    (("screenshots",), "cli.usage", None),  # no --json there: the option itself is the error
    (("sync", "--segment", "Kurse", "--search", "x"), "segment.filter-with-segments", None),
    (("segment", "remove", "Gibtsnicht"), "segment.unknown", None),
    (("sync", "--resume"), "engine.nothing-to-resume", "resume-available"),
]


@pytest.mark.parametrize(("args", "error", "hint_id"), USAGE, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_usage_errors_print_one_json_object_in_both_languages(paths: CliPaths, args: tuple[str, ...], error: str,
                                                              hint_id: str | None) -> None:
    german = one_object(run_cli(paths, *args, "--json"))
    english = one_object(run_cli(paths, *args, "--json", "--lang", "en"))
    assert (german["error"], german["hint_id"]) == (english["error"], english["hint_id"]) == (error, hint_id)
    assert german["message"] != english["message"]


def test_settings_errors_print_one_json_object_with_every_problem(paths: CliPaths) -> None:
    paths.config.write_text('[maileon]\nbatchsize = 400\n\n[proxy]\nhostt = "proxy.vhs.local"\n', encoding="utf-8")
    doc = one_object(run_cli(paths, "sync", "--json", KUFERTUI_PROXY__PORTT="3128"))
    assert (doc["error"], doc["hint_id"]) == ("config.unknown-key", "config-invalid")
    assert [(p["error"], p.get("key") or p.get("var"), p["nearest"]) for p in doc["problems"]] == [
        ("config.unknown-key", "maileon.batchsize", "maileon.batch_size"),
        ("config.unknown-key", "proxy.hostt", "proxy.host"),
        ("config.unknown-env", "KUFERTUI_PROXY__PORTT", "KUFERTUI_PROXY__PORT")]
    assert len(doc["message"].splitlines()) == 3

    paths.config.write_text('[maileon]\napi_key = "abc\n', encoding="utf-8")
    for lang, where in (("de", "Zeile 2, Spalte 15"), ("en", "line 2, column 15")):
        result = run_cli(paths, "segment", "list", "--json", "--lang", lang)
        doc = one_object(result)
        assert doc["error"] == "config.syntax" and doc["problems"][0]["line"] == 2
        head, _, detail = doc["message"].partition("Details: ")
        assert where in head and "Illegal" not in head and "Illegal character" in detail
        assert doc["message"] in result.stderr  # the same words for the eye


def test_an_unknown_environment_variable_stops_every_command(paths: CliPaths) -> None:
    result = run_cli(paths, "sync", "--dry-run", KUFERTUI_PROXY__HOSTT="proxy.vhs.local")
    assert result.returncode == 2
    assert "Unbekannte Umgebungsvariable KUFERTUI_PROXY__HOSTT. Meinten Sie KUFERTUI_PROXY__HOST?" in result.stderr


@pytest.mark.parametrize("status", ["N", "leer", "J,N", "K,-"])
def test_sync_status_n_or_empty_is_refused_and_nothing_happens(tmp_path: Path, status: str) -> None:
    state = sim_state()
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(1), person(2, "N"), person(3, "")])
        result = run_cli(paths, "sync", "--status", status, "--yes")
    assert result.returncode == 2
    assert "werden nie an Maileon übertragen" in result.stderr and "nur J und/oder K" in result.stderr
    assert sim_snapshot(state) == before
    with Workspace.open(paths.workspace) as ws:
        assert ws.journal.runs() == []  # no run started, nobody pulled or sent
