"""End-to-end benchmark: `kufertui sync` of 100,000 demo contacts against the simulator over loopback.

Run with ``python -m pytest -m bench tests/bench/bench_sync.py -s``. The simulator runs as its own
process (`kufertui simulator --faults delay=0.1`: 100 ms per request) and the sync as another, as
in real use. The first sync (no delay) passes the demo's N contacts to Maileon once (a one-off cost
of the first run); the measured second sync is the steady state: pull + pre-flight + XML file +
ImportAPI field + the batches. Client pacing is switched off (requests_per_second = 0) so that the
issue's ideal `⌈batches ÷ batches in flight⌉ × delay + unsubscriber pages × delay` is the bound, where
batches = ⌈J contacts ÷ batch size⌉ + ⌈K contacts ÷ batch size⌉ (a batch holds one legal basis). The wall
time is the `kufertui sync` process's, start-up included. Figures: bench-results/sync.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from kufertui.config import Secret, Settings, save_settings
from kufertui.demo import write_demo_csv
from kufertui.simulator import simulator_process
from kufertui.store import Workspace
from kufertui.sync.importing import import_file

pytestmark = pytest.mark.bench

N = int(os.environ.get("KUFERTUI_BENCH_CONTACTS", "100000"))
DELAY = 0.1
IN_FLIGHT = 4
KEY = "bench-sync-key-0123456789"
RESULTS = Path("bench-results/sync.json")


def _sync(env: dict[str, str], config: Path, workspace: Path) -> tuple[float, int, dict[str, object]]:
    cmd = [sys.executable, "-m", "kufertui", "--config", str(config), "--workspace", str(workspace), "sync",
           "--yes", "--json"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, watcher.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.02)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    assert proc.returncode in (0, 1), err.decode()
    return wall, peak, json.loads(out)


def test_sync_100k_with_100ms_latency(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    with Workspace.open(workspace) as ws:
        import_file(ws, write_demo_csv(tmp_path / "demo.csv", N, seed=3))
    state_file = tmp_path / "sim.json"
    settings = Settings()
    settings.maileon.api_key = Secret(KEY)
    settings.maileon.requests_per_second = 0
    settings.maileon.batches_in_flight = IN_FLIGHT
    settings.legal.k_notice_confirmed_on = "2026-11-27"
    config = tmp_path / "config.toml"
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home")}

    # the simulator is stopped (and saves its state) between the runs: the second one finds the first's contacts
    with simulator_process(KEY, state_file=state_file) as (_proc, base):
        settings.maileon.base_url = base
        save_settings(settings, config)
        first_wall, _, first = _sync(env, config, workspace)

    with simulator_process(KEY, state_file=state_file, faults=f"delay={DELAY}") as (_proc, base):
        settings.maileon.base_url = base
        save_settings(settings, config)
        wall, peak, report = _sync(env, config, workspace)

    # a batch holds one legal basis: J and K contacts fill their own batches, each rounded up
    with Workspace.open(workspace) as ws:
        run_id = ws.journal.runs(limit=1)[0].id
        sent_by_permission: dict[int, int] = {}
        for _no, _state, size, permission, _rep in ws.journal.batches(run_id):
            sent_by_permission[permission] = sent_by_permission.get(permission, 0) + size
    batches = sum(-(-sent // settings.maileon.batch_size) for sent in sent_by_permission.values())
    # the ideal: the upload's batches, k at a time (a last, partly filled round still takes a whole
    # round trip), plus the unsubscriber report page(s) (one here)
    unsub_pages = 1
    ideal = -(-batches // IN_FLIGHT) * DELAY + unsub_pages * DELAY
    # what the protocol needs on top, one after the other: the ImportAPI field created or cleared
    # before the first batch (the custom-field list goes alongside the pull)
    ideal_with_field_step = ideal + DELAY
    figures = {
        "contacts": N, "selected": report["selected"], "batches": batches,
        "sent_by_permission": {str(k): v for k, v in sorted(sent_by_permission.items())},
        "first_run_s": round(first_wall, 2), "objections_pushed_first_run": first["objections_not_in_maileon"],
        "wall_s": round(wall, 2), "ideal_s": round(ideal, 2), "ratio": round(wall / ideal, 2),
        "ideal_with_field_step_s": round(ideal_with_field_step, 2),
        "ratio_with_field_step": round(wall / ideal_with_field_step, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "targets": {"ratio<=1.3": wall / ideal <= 1.3, "rss<=250MB": peak / 2**20 <= 250},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    print("\n" + json.dumps(figures, indent=2))
    assert report["reconciled"]
