"""Kill and resume (issue 7.2): SIGKILL `python -m kufertui sync` at seeded points of its upload, then
`--resume` (or a fresh sync when nothing is resumable): the simulator ends in the same state as a
clean run, and the journal of the completed run accounts for each contact exactly once.

The simulator runs in this process (running_simulator) with a delay on the upload requests; a kill
waits for a seeded number of this process's upload requests, so it lands inside the upload whatever
the machine's load; the sync runs as a real subprocess.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import (
    CANARY_KEY,
    PYTHON,
    cli_env,
    journal_accounting,
    make_settings,
    make_workspace,
    run_engine,
    seed_sim,
    selected_keys,
    snapshot,
    write_config,
)

from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import parse_faults

N, BATCH = 80, 5  # 16 batches of the upload
UPLOAD_DELAY = 0.2  # 16 batches, 4 in flight: ~0.8 s of upload, so kills at 0–0.5 s land inside it
CHAINS, KILLS_PER_CHAIN = 4, 5  # 20 kills
SEED = 20240607


def posts(state: SimState) -> int:
    with state.lock:
        return sum(1 for r in state.request_log if r.method == "POST" and r.path == "/contacts")


def resumable(ws_root: Path) -> bool:
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        row = conn.execute("SELECT 1 FROM runs WHERE kind='sync' AND state IN ('running','aborted')").fetchone()
    finally:
        conn.close()
    return row is not None


def sync_cmd(config: Path, ws_root: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "kufertui", "--config", str(config), "--workspace", str(ws_root), "sync", "--yes",
            *extra]


_CLEAN: dict[str, Any] = {}


def clean_snapshot(tmp: Path) -> dict[str, Any]:
    if "snap" in _CLEAN:
        return _CLEAN["snap"]  # type: ignore[no-any-return]
    ws_root = make_workspace(tmp, N)
    state = seed_sim()
    with running_simulator(state) as url:
        assert run_engine(make_settings(url, batch_size=BATCH), ws_root).exit_code == 0
    _CLEAN["snap"] = snapshot(state)
    return _CLEAN["snap"]  # type: ignore[no-any-return]


def launch(config: Path, ws_root: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], bool]:
    resume = resumable(ws_root)
    proc = subprocess.Popen(sync_cmd(config, ws_root, *(["--resume"] if resume else [])), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, resume


def planned_batches(ws_root: Path) -> int:
    """Batches of the newest sync run in the journal, confirmed or not."""
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        row = conn.execute("SELECT COUNT(*) FROM batches WHERE run_id=(SELECT MAX(id) FROM runs WHERE kind='sync')"
                           ).fetchone()
    finally:
        conn.close()
    return int(row[0])


def done_batches(ws_root: Path) -> int:
    """Batches of the newest sync run that Maileon confirmed (the journal's checkpoints)."""
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        row = conn.execute("SELECT COUNT(*) FROM batches WHERE state='done' AND run_id="
                           "(SELECT MAX(id) FROM runs WHERE kind='sync')").fetchone()
    finally:
        conn.close()
    return int(row[0])


@pytest.mark.slow
def test_sigkill_at_upload_progress_points_then_resume(tmp_path: Path) -> None:
    """Each kill waits for a seeded number of upload requests of this process, not for wall-clock time,
    so it lands inside the upload on a loaded machine too; the kills must hit different progress."""
    clean = clean_snapshot(tmp_path / "clean")
    rng = random.Random(SEED)
    points: list[tuple[int, str, int, int, int]] = []  # chain, run, target, batches done before, after
    for chain in range(CHAINS):
        root = tmp_path / f"chain{chain}"
        ws_root = make_workspace(root, N)
        state = seed_sim()
        with running_simulator(state, parse_faults(f"delay@POST /contacts:seconds={UPLOAD_DELAY}")) as url:
            config = write_config(root / "config.toml", make_settings(url, batch_size=BATCH))
            env = cli_env(root / "home")
            for _ in range(KILLS_PER_CHAIN):
                before = posts(state)
                done_before = done_batches(ws_root) if resumable(ws_root) else 0
                # the stream may cut one batch more than N // BATCH (a short batch before the last one)
                total = max(N // BATCH, planned_batches(ws_root) if resumable(ws_root) else 0)
                if done_before >= total:
                    break  # the whole upload is confirmed: no upload request left to aim a kill at
                target = rng.randint(1, total - done_before)  # the n-th upload request of this run
                proc, resumed = launch(config, ws_root, env)
                deadline = time.monotonic() + 30
                while posts(state) - before < target and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.002)
                assert proc.poll() is None, f"the run ended before upload request {target}: exit {proc.returncode}"
                proc.kill()  # SIGKILL; TerminateProcess on Windows
                proc.communicate(timeout=10)
                assert proc.returncode != 0  # killed (-9 on POSIX)
                assert resumable(ws_root), "a killed upload must leave a resumable run"
                points.append((chain, "resume" if resumed else "fresh", target, done_before, done_batches(ws_root)))
            # finish: --resume if something is resumable, else a fresh sync
            proc, _ = launch(config, ws_root, env)
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err.decode()
            assert CANARY_KEY.encode() not in out + err
        assert snapshot(state) == clean, f"chain {chain}: final state differs from a clean run"
        acc = journal_accounting(ws_root)
        assert acc["state"] == "done"
        assert len(acc["keys"]) == len(set(acc["keys"])) == len(selected_keys(ws_root))
        assert set(acc["keys"]) == selected_keys(ws_root)
        assert "planned" not in acc["outcomes"].values()
        assert set(acc["batches"]) == {"done"}
        check_db(ws_root)
    print("\nkill points (chain, run, upload request killed at, batches done before, after):")
    for p in points:
        print("  ", p)
    assert len(points) >= CHAINS * KILLS_PER_CHAIN // 2, "too few kills"
    # the kills landed at different progress of the upload, in the middle of it too
    # at least 4 of the 17 possible checkpoints (0-16): on a machine busy with other tests the journal lags
    # the requests the simulator saw, and the seeded targets then bunch up (5 failed 1 run in 4 there)
    assert len({p[4] for p in points}) >= 4, "kills landed at too few distinct checkpoints"
    assert len({p[2] for p in points}) >= 5, "kill targets too alike"
    assert any(0 < p[4] < N // BATCH for p in points), "no kill landed with part of the upload confirmed"
    assert any(p[1] == "resume" for p in points), "no kill hit a resumed run"


def check_db(ws_root: Path) -> None:
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# The simulator logs a held request when its delay is over, just before it answers: the kill follows within
# milliseconds, in which the run may go on. Holding the upload requests as well keeps any of them from
# being answered before the kill on a loaded machine.
HOLD_UPLOAD = "; delay@POST /contacts:seconds=1"
PRE_UPLOAD = {
    # where the kill lands: (fault that holds the run there, request that shows it got there)
    "pull": ("delay@GET /reports/unsubscriptions:seconds=2" + HOLD_UPLOAD, ("GET", "/reports/unsubscriptions")),
    "field-setup": ("delay@DELETE /contacts/fields/custom*:seconds=2" + HOLD_UPLOAD,
                    ("DELETE", "/contacts/fields/custom/")),
}


@pytest.mark.parametrize("phase", ["pull", "field-setup"])
def test_sigkill_before_upload_then_resume(phase: str, tmp_path: Path) -> None:
    clean = clean_snapshot(tmp_path / "clean")
    fault, (method, path) = PRE_UPLOAD[phase]
    ws_root = make_workspace(tmp_path / "run", N)
    state = seed_sim()
    faults = parse_faults(fault)
    with running_simulator(state, faults) as url:
        config = write_config(tmp_path / "config.toml", make_settings(url, batch_size=BATCH))
        env = cli_env(tmp_path / "home")
        proc, _ = launch(config, ws_root, env)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with state.lock:
                if any(r.method == method and r.path.startswith(path) for r in state.request_log):
                    break
            time.sleep(0.01)
        else:
            pytest.fail(f"the run never reached {method} {path}")
        proc.kill()  # SIGKILL; TerminateProcess on Windows
        proc.communicate(timeout=10)
        assert proc.returncode != 0  # killed (-9 on POSIX)
        # the journal: a run that stopped before anything was sent (pre-flight may have planned batches
        # meanwhile), and can be resumed
        acc = journal_accounting(ws_root)
        assert acc["state"] == "running" and resumable(ws_root)
        assert set(acc["batches"]) <= {"pending"} and posts(state) == 0
        if phase == "field-setup":
            # The held DELETE is still served after the kill (the simulator sleeps, then applies it), as a
            # server would finish it long before anyone resumes: wait for its effect, not for a time.
            while time.monotonic() < deadline and "ImportAPI" in state.contacts["old.upload@example.org"].custom:
                time.sleep(0.01)
        faults.rules = []
        proc, resumed = launch(config, ws_root, env)
        _out, err = proc.communicate(timeout=60)
        assert resumed and proc.returncode == 0, err.decode()
    assert snapshot(state) == clean
    acc = journal_accounting(ws_root)
    assert acc["state"] == "done" and set(acc["batches"]) == {"done"}
    assert sorted(acc["keys"]) == sorted(selected_keys(ws_root))
