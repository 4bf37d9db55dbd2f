"""Issue 23 item 3: SIGKILL after the upload's batches are confirmed and before (or while) their e-mail moves
run, then `kufertui sync --resume`: the moves are journaled with their batch, so the resume performs exactly
the moves left. And a kill in the middle of one objection's calls (issue 23 item 2): the resume neither
repeats what the killed attempt saw through nor records the person "not in Maileon"."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_helpers import (
    CliPaths,
    cli_argv,
    cli_env,
    cli_paths,
    make_settings,
    person,
    run_cli,
    seed_workspace,
    set_status,
    sim_state,
)

from kufertui.paths import WorkspacePaths
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace


def change_email(root: Path, person_no: str, new: str) -> None:
    with Workspace.open(root) as ws:
        ws.conn.execute("UPDATE contacts SET email=?, email_lc=? WHERE person_no=?", (new, new.lower(), person_no))
        ws.conn.commit()


def db_count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


def kill_when(paths: CliPaths, until: Callable[[Path], bool]) -> None:
    """Start `kufertui sync`, SIGKILL it once ``until(database)`` holds."""
    db = WorkspacePaths(paths.workspace).database
    proc = subprocess.Popen(cli_argv(paths, "sync", "--yes"), env=cli_env(paths), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(proc.stdout or []), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while not until(db):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"sync ended before it could be killed: {out} {proc.communicate()}")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def requests(state: SimState, method: str, prefix: str) -> list[str]:
    with state.lock:
        return [r.path for r in state.request_log if r.method == method and r.path.startswith(prefix)]


def test_a_resume_performs_the_moves_a_kill_left(tmp_path: Path) -> None:
    state = sim_state()
    state.log_requests = True
    contacts = [person(i) for i in range(1, 7)]
    first_mover, second_mover = contacts[1], contacts[4]
    with running_simulator(state, f"delay@GET /contacts/externalid/{second_mover.person_no}:seconds=30"
                           ) as base_url:
        settings = make_settings(base_url, batch_size=3)
        settings.maileon.single_call_concurrency = 1  # one move after the other, in journal order
        paths = cli_paths(tmp_path, settings)
        seed_workspace(paths.workspace, contacts)
        assert run_cli(paths, "sync", "--json").returncode == 0
        change_email(paths.workspace, first_mover.person_no, "zwei.neu@example.org")
        change_email(paths.workspace, second_mover.person_no, "fuenf.neu@example.org")
        # killed once the first move is done and the second waits for Maileon
        kill_when(paths, lambda db: db_count(db, "SELECT COUNT(*) FROM moves WHERE state='moved'") >= 1)
    assert "zwei.neu@example.org" in state.contacts and first_mover.email not in state.contacts
    assert second_mover.email in state.contacts  # its move was cut off by the kill
    with state.lock:
        state.request_log.clear()
    with running_simulator(state) as base_url:  # the same account, no longer slowed
        cli_paths(tmp_path, make_settings(base_url, batch_size=3))
        resumed = run_cli(paths, "sync", "--resume", "--json")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    # exactly the move left: the second one, and nothing of the first again
    assert requests(state, "GET", "/contacts/externalid/") == [f"/contacts/externalid/{second_mover.person_no}"]
    assert requests(state, "PUT", "/contacts/") == [f"/contacts/email/{second_mover.email}"]
    assert "fuenf.neu@example.org" in state.contacts and second_mover.email not in state.contacts
    report = json.loads(resumed.stdout)
    assert report["updated"] == 6 and report["rejected_by_maileon"] == 0 and report["reconciled"]
    with Workspace.open(paths.workspace) as ws:
        assert [r.state for r in ws.journal.runs()][:1] == ["done"]
        run_id = ws.journal.runs()[0].id
        assert ws.journal.move_states(run_id) == {first_mover.key: "moved", second_mover.key: "moved"}


def test_a_kill_after_the_upload_before_any_move_loses_none(tmp_path: Path) -> None:
    """The batches are confirmed (their moves journaled with them); the process dies before a move starts."""
    state = sim_state()
    contacts = [person(i) for i in range(1, 5)]
    mover = contacts[2]
    with running_simulator(state, "delay@GET /contacts/externalid/*:seconds=30") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=2))
        seed_workspace(paths.workspace, contacts)
        assert run_cli(paths, "sync", "--json").returncode == 0
        change_email(paths.workspace, mover.person_no, "drei.neu@example.org")
        kill_when(paths, lambda db: db_count(
            db, "SELECT COUNT(*) FROM batches b JOIN runs r ON r.id=b.run_id WHERE r.state='running' "
                "AND b.state='done'") >= 2)
    assert mover.email in state.contacts and "drei.neu@example.org" not in state.contacts
    with running_simulator(state) as base_url:
        cli_paths(tmp_path, make_settings(base_url, batch_size=2))
        resumed = run_cli(paths, "sync", "--resume", "--json")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "drei.neu@example.org" in state.contacts and mover.email not in state.contacts
    assert state.contacts["drei.neu@example.org"].external_id == mover.person_no
    report = json.loads(resumed.stdout)
    assert report["updated"] == 4 and report["rejected_by_maileon"] == 0 and report["reconciled"]


def test_a_kill_between_one_objections_calls_is_resumed_without_losing_what_was_found(tmp_path: Path) -> None:
    """The objector's calls: current address (delayed, 404), KUFER number (found: the old contact), old
    address (delayed). Killed while the old address is asked; the resume must not ask the number again
    (now 404: already unsubscribed) and still counts the person as passed on, not "not in Maileon"."""
    state = sim_state()
    state.log_requests = True
    objector = person(1873)
    with running_simulator(state, "delay@DELETE /contacts/email/*:seconds=3") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [objector, person(2)])
        assert run_cli(paths, "sync", "--json").returncode == 0
        change_email(paths.workspace, objector.person_no, "neu.1873@example.org")
        set_status(paths.workspace, ["neu.1873@example.org"], "N")
        kill_when(paths, lambda db: db_count(
            db, "SELECT COUNT(*) FROM runs WHERE json_array_length(options, '$.steps.push.found') > 0") >= 1)
    assert objector.email not in state.contacts  # the call by number went through before the kill
    with state.lock:
        state.request_log.clear()
    with running_simulator(state) as base_url:
        cli_paths(tmp_path, make_settings(base_url))
        resumed = run_cli(paths, "sync", "--resume", "--json")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert requests(state, "DELETE", "/contacts/externalid/") == []  # seen through before the kill
    report = json.loads(resumed.stdout)
    assert report["objections_pushed"] == 1 and report["objections_not_in_maileon"] == 0
    with Workspace.open(paths.workspace) as ws:
        assert ws.ledger.push_counts() == {"unsubscribed": 1}
