"""Kill and resume (issue 7.2): SIGKILL `python -m kufertui sync` at seeded random points, then
`--resume` (or a fresh sync when nothing is resumable): the simulator ends in the same state as a
clean run, and the journal of the completed run accounts for each contact exactly once.

The simulator runs in this process (running_simulator) with a delay on the upload requests, so a
kill lands inside the upload at a random time; the sync runs as a real subprocess.
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


@pytest.mark.slow
def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    clean = clean_snapshot(tmp_path / "clean")
    rng = random.Random(SEED)
    points: list[tuple[int, str, float, str]] = []
    for chain in range(CHAINS):
        root = tmp_path / f"chain{chain}"
        ws_root = make_workspace(root, N)
        state = seed_sim()
        with running_simulator(state, parse_faults(f"delay@POST /contacts:seconds={UPLOAD_DELAY}")) as url:
            config = write_config(root / "config.toml", make_settings(url, batch_size=BATCH))
            env = cli_env(root / "home")
            for _ in range(KILLS_PER_CHAIN):
                before = posts(state)
                proc, resumed = launch(config, ws_root, env)
                deadline = time.monotonic() + 20
                while posts(state) == before and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.005)  # wait until this process is inside the upload
                after = rng.uniform(0.0, 0.5)
                time.sleep(after)
                if proc.poll() is None:
                    proc.kill()  # SIGKILL; TerminateProcess on Windows
                    outcome = "killed"
                else:
                    outcome = f"finished before the kill (exit {proc.returncode})"
                proc.communicate(timeout=10)
                points.append((chain, "resume" if resumed else "fresh", round(after, 3), outcome))
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
    killed = [p for p in points if p[3] == "killed"]
    print("\nkill points (chain, run, seconds into upload, outcome):")
    for p in points:
        print("  ", p)
    assert len(killed) >= 20 * 0.8, f"too few kills landed: {len(killed)}"


def check_db(ws_root: Path) -> None:
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


PRE_UPLOAD = {
    # where the kill lands: (fault that holds the run there, request that shows it got there)
    "pull": ("delay@GET /reports/unsubscriptions:seconds=2", ("GET", "/reports/unsubscriptions")),
    "field-setup": ("delay@DELETE /contacts/fields/custom*:seconds=2", ("DELETE", "/contacts/fields/custom/")),
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
        proc.kill()
        proc.communicate(timeout=10)
        # The held request is still being served after the kill (the simulator sleeps, then applies
        # it); let it land first, as a server would have finished it long before anyone resumes.
        time.sleep(2.3)
        faults.rules = []
        proc, _ = launch(config, ws_root, env)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    assert snapshot(state) == clean
