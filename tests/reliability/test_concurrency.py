"""Concurrency (issue 7.7): two `kufertui sync` at once — one refuses clearly (exit 2, lock
message), neither corrupts the workspace. Plus the regression test for the SQLite lock bug found
on the way: opening the workspace a second time in one process must not drop the first
connection's locks (else another process deletes the WAL and later commits are lost)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from rel_helpers import (
    PYTHON,
    cli_env,
    journal_accounting,
    make_settings,
    make_workspace,
    seed_sim,
    selected_keys,
    write_config,
)

from kufertui.simulator import running_simulator
from kufertui.simulator.faults import parse_faults
from kufertui.store import Workspace


def test_two_syncs_at_once_one_refuses(tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, 60)
    state = seed_sim()
    # 6 batches one at a time, 0.4 s each: the first run holds the lock long enough for a second process
    # to start even on a loaded machine (0.1 s each let the first run finish first under load)
    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.4")) as url:
        config = write_config(tmp_path / "config.toml", make_settings(url, batch_size=10, in_flight=1))
        env = cli_env(tmp_path / "home", KUFERTUI_UI__LANGUAGE="en")
        cmd = [PYTHON, "-m", "kufertui", "--config", str(config), "--workspace", str(ws_root), "sync", "--yes"]
        first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not any(r.method == "POST" for r in list(state.request_log)) and time.monotonic() < deadline:
            time.sleep(0.01)  # the first run holds the lock and is uploading
        second = subprocess.run(cmd, env=env, capture_output=True, timeout=60)
        _out1, err1 = first.communicate(timeout=60)
    assert first.returncode == 0, err1.decode()
    assert second.returncode == 2, second
    text = (second.stdout + second.stderr).decode()
    assert "lock" in text.lower() or "sperr" in text.lower(), text
    assert "pid" in text  # who holds it
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = conn.execute("SELECT state, COUNT(*) FROM runs GROUP BY state").fetchall()
    finally:
        conn.close()
    assert dict(runs) == {"done": 1}, runs  # the refused run left no half-run behind
    acc = journal_accounting(ws_root)
    assert set(acc["keys"]) == selected_keys(ws_root) and len(acc["keys"]) == len(set(acc["keys"]))
    assert set(acc["batches"]) == {"done"}


def test_unsubscriber_pull_refuses_while_sync_runs(tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, 40)
    state = seed_sim()
    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.5")) as url:
        config = write_config(tmp_path / "config.toml", make_settings(url, batch_size=10, in_flight=1))
        env = cli_env(tmp_path / "home")
        base = [PYTHON, "-m", "kufertui", "--config", str(config), "--workspace", str(ws_root)]
        first = subprocess.Popen([*base, "sync", "--yes"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not any(r.method == "POST" for r in list(state.request_log)) and time.monotonic() < deadline:
            time.sleep(0.01)
        pull = subprocess.run([*base, "unsubscribers", "pull"], env=env, capture_output=True, timeout=60)
        first.communicate(timeout=60)
    assert first.returncode == 0
    assert pull.returncode == 2 and b"pid" in pull.stderr


_READER = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); n = c.execute("SELECT COUNT(*) FROM meta WHERE key='probe'").fetchone()[0]
c.close(); print(n)
"""


def test_second_open_keeps_the_first_connections_locks(tmp_path: Path) -> None:
    """Regression: store.db read the file header with open()/close(), which released every POSIX
    lock of the process on the database. A reader in another process then checkpointed and deleted
    the WAL, and the first connection's later commits were invisible to others (lost on SIGKILL)."""
    root = tmp_path / "ws"
    with Workspace.open(root) as ws:
        ws.set_meta("warmup", "1")
        with Workspace.open(root):  # what the engine's planning thread does
            pass
        db = str(root / "workspace.sqlite")
        subprocess.run([sys.executable, "-c", _READER, db], check=True, capture_output=True)
        ws.set_meta("probe", "1")
        seen = subprocess.run([sys.executable, "-c", _READER, db], check=True, capture_output=True)
        assert seen.stdout.strip() == b"1", "a commit is invisible to other processes"
        assert (root / "workspace.sqlite-wal").exists()


def test_garbage_database_is_still_refused(tmp_path: Path) -> None:
    from kufertui.store import WorkspaceError

    root = tmp_path / "ws"
    root.mkdir()
    (root / "workspace.sqlite").write_bytes(b"not a database, just some text" * 10)
    try:
        Workspace.open(root)
    except WorkspaceError as exc:
        assert exc.message_id == "workspace.corrupt"
    else:
        raise AssertionError("a garbage file was opened as a workspace")
    assert (root / "workspace.sqlite").read_bytes().startswith(b"not a database")
