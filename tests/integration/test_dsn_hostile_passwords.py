"""Issue 24.2 end to end: a DSN password with `#` is masked in doctor and the support bundle; a DSN that
cannot be read is a settings error (exit 2, hint, a JSON error object) for `import --sql`, `sync` and
`unsubscribers pull`, never a traceback; and a run whose database cannot be opened never stays "running"."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import zipfile
from pathlib import Path

import httpx
import pytest
from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_state

from kufertui.config import load_settings
from kufertui.simulator import create_app, running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.bundle import build_bundle
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings

PASSWORD = "Sommer2024!#x"
DSN = f"mssql://kuferuser:{PASSWORD}@db.vhs.local/KUFER"
MASKED = "mssql://kuferuser:********@db.vhs.local/KUFER"


def test_a_password_with_a_hash_is_masked_in_doctor_and_the_bundle(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        settings = make_settings(base_url)
        settings.source.kind = "sql"
        settings.source.sql_dsn = DSN
        settings.source.sql_query = "SELECT mail AS email FROM personen"
        paths = cli_paths(tmp_path, settings)
        doctor = run_cli(paths, "--lang", "en", "doctor")
        doctor_json = run_cli(paths, "--lang", "en", "doctor", "--json")
        bundle = build_bundle(load_settings(paths.config), paths.config, paths.workspace, tmp_path / "b.zip")
    for output in (doctor.stdout + doctor.stderr, doctor_json.stdout):
        assert PASSWORD not in output and "Sommer2024" not in output
    assert f"SQL connection: {MASKED}" in doctor.stdout, doctor.stdout
    with zipfile.ZipFile(bundle) as archive:
        blob = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
        settings_json = json.loads(archive.read("settings.json"))
    assert settings_json["source"]["sql_dsn"] == MASKED
    assert "Sommer2024" not in blob


@pytest.mark.parametrize("command", [("import", "--sql"), ("sync", "--yes"), ("unsubscribers", "pull")])
def test_a_dsn_that_cannot_be_read_is_a_settings_error(tmp_path: Path, command: tuple[str, ...]) -> None:
    settings = make_settings("http://127.0.0.1:9/1.0")
    settings.source.kind = "sql"
    settings.source.sql_query = "SELECT mail AS email FROM personen"
    settings.source.sql_writeback = "UPDATE personen SET nl = 'N' WHERE mail = :email"
    paths = cli_paths(tmp_path, settings)
    seed_workspace(paths.workspace, [person(1)])
    config = paths.config.read_text(encoding="utf-8")  # the port is no number: "Port could not be cast"
    paths.config.write_text(config.replace('sql_dsn = ""', f'sql_dsn = "mssql://kuferuser:{PASSWORD}@db:abc/K"'),
                            encoding="utf-8")
    done = run_cli(paths, "--lang", "en", *command, "--json")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and PASSWORD not in done.stdout + done.stderr
    error = json.loads(done.stdout)
    assert (error["ok"], error["error"], error["hint_id"], error["exit_code"]) == (
        False, "config.bad-value", "config-invalid", 2)
    assert "source.sql_dsn" in error["message"] and "mssql://user:password@server" in error["message"]
    assert "Fix:" in done.stderr  # the hint's remedy
    with Workspace.open(paths.workspace) as ws:
        assert [r.state for r in ws.journal.runs(limit=10)] == []  # nothing was started


def test_a_writeback_database_that_cannot_be_opened_never_leaves_a_run_running(tmp_path: Path) -> None:
    """sqlite3 raised OperationalError past the engine: a traceback, and the run stayed "running"."""
    setup = prepare_demo(tmp_path / "demo", 150, seed=11)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    setup.settings.source.kind = "sql"
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    setup.settings.source.sql_dsn = f"sqlite:///{folder}"
    setup.settings.source.sql_writeback = "UPDATE personen SET nl = 'N' WHERE email = :email"
    transport = httpx.ASGITransport(app=create_app(setup.sim))
    for run in ("sync", "pull"):
        engine = SyncEngine(setup.settings, setup.workspace_root, transport=transport)
        job = engine.run_pull() if run == "pull" else engine.run(SyncOptions(
            ContactFilter(frozenset({"J", "K"})), mappings=mappings_from_settings(setup.settings), replace_xml=True))
        with pytest.raises(SyncAborted) as info:
            asyncio.run(job)
        assert info.value.failed.key == "engine.local-error", run
        assert "sql" in str(info.value.failed.params["detail"]).lower()
        with Workspace.open(setup.workspace_root) as ws:
            assert "running" not in {r.state for r in ws.journal.runs(limit=10)}, run


def test_a_kufer_database_reached_through_an_unusual_password_is_read(tmp_path: Path) -> None:
    """The same reading connects: a sqlite DSN through the one parser (mssql needs a server)."""
    db = tmp_path / "kufer#1.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE p (mail TEXT, nl TEXT)")
    conn.execute("INSERT INTO p VALUES ('a@b.de', 'J')")
    conn.commit()
    conn.close()
    settings = make_settings("http://127.0.0.1:9/1.0")
    settings.source.kind = "sql"
    settings.source.sql_dsn = f"sqlite:///{db}"
    settings.source.sql_query = "SELECT mail AS email, nl AS Newsletter FROM p"
    done = run_cli(cli_paths(tmp_path, settings), "--lang", "en", "import", "--sql", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inserted"] == 1
