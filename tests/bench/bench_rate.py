"""Issue 13 benchmarks: no fixed pacing. Run with ``python -m pytest -m bench tests/bench/bench_rate.py -s``.

- ``test_sync_100k_shipped_defaults``: `kufertui sync` of 100,000 demo contacts, 100 ms per request, the
  shipped settings untouched (learned rate, no ceiling, 4 batches in flight). Target: wall ≤ 1.8 × ideal
  (batches × 0.1 s ÷ 4 + one unsubscriber page).
- ``test_objections``: KUFER objections pushed by `kufertui sync`, 100 ms per request, no server limit
  (target ≤ 150 s for 10,000), and against a simulator limited to 5 requests per second (target: completes,
  ≤ 5 % of all requests answered 429). The limited run is smaller by default (10,000 at 5/s would take
  over half an hour): KUFERTUI_BENCH_LIMITED_OBJECTIONS.

Simulator and sync run as processes of their own, as in real use. Figures: bench-results/rate.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kufertui.config import Secret, Settings, save_settings
from kufertui.core.contact import Contact, Status
from kufertui.demo_data import write_demo_csv
from kufertui.simulator import simulator_process
from kufertui.store import Workspace
from kufertui.sync.importing import import_file

pytestmark = pytest.mark.bench

KEY = "bench-rate-key-0123456789"
DELAY = 0.1
RESULTS = Path("bench-results/rate.json")
N_SYNC = int(os.environ.get("KUFERTUI_BENCH_CONTACTS", "100000"))
N_OBJECTIONS = int(os.environ.get("KUFERTUI_BENCH_OBJECTIONS", "10000"))
N_LIMITED = int(os.environ.get("KUFERTUI_BENCH_LIMITED_OBJECTIONS", "1000"))


def _record(name: str, figures: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = figures
    RESULTS.write_text(json.dumps(data, indent=2))
    print("\n" + json.dumps({name: figures}, indent=2))


def _settings(base: str) -> Settings:
    settings = Settings()  # shipped defaults
    settings.maileon.api_key = Secret(KEY)
    settings.maileon.base_url = base
    settings.legal.k_notice_confirmed_on = "2026-11-27"
    return settings


def _sync(tmp: Path, settings: Settings, workspace: Path) -> tuple[float, dict[str, Any]]:
    config = save_settings(settings, tmp / "config.toml")
    env = {**os.environ, "KUFERTUI_HOME": str(tmp / "home")}
    cmd = [sys.executable, "-m", "kufertui", "--config", str(config), "--workspace", str(workspace), "sync",
           "--yes", "--json"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    assert proc.returncode in (0, 1), proc.stderr.decode()[-2000:]
    return wall, json.loads(proc.stdout)


def _sim_counts(base: str) -> dict[str, Any]:
    return httpx.get(base.removesuffix("/1.0") + "/_sim/state").json()  # type: ignore[no-any-return]


def test_sync_100k_shipped_defaults(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    with Workspace.open(workspace) as ws:
        import_file(ws, write_demo_csv(tmp_path / "demo.csv", N_SYNC, seed=3))
    state_file = tmp_path / "sim.json"
    with simulator_process(KEY, state_file=state_file) as (_proc, base):  # first run: objections, one-off
        first_wall, _ = _sync(tmp_path, _settings(base), workspace)
    with simulator_process(KEY, state_file=state_file, faults=f"delay={DELAY}") as (_proc, base):
        measured = _settings(base)
        # for comparison only: the old shipped pace, 10 requests per second, as a ceiling
        measured.maileon.requests_per_second = float(os.environ.get("KUFERTUI_BENCH_CEILING", "0"))
        wall, report = _sync(tmp_path, measured, workspace)
    sent = int(report["new"]) + int(report["updated"]) + int(report["rejected_by_maileon"]) \
        + int(report["skipped_unsubscribed_in_maileon"])
    batches = -(-sent // 1000)
    ideal = batches * DELAY / 4 + DELAY
    _record("sync_100k_shipped_defaults", {
        "contacts": N_SYNC, "ceiling_rps": measured.maileon.requests_per_second, "batches": batches,
        "first_run_s": round(first_wall, 2), "wall_s": round(wall, 2),
        "ideal_s": round(ideal, 2), "ratio": round(wall / ideal, 2), "target_ratio<=1.8": wall / ideal <= 1.8})
    assert report["reconciled"]


def _objection_workspace(root: Path, n: int) -> None:
    people = [Contact(email=f"widerspruch{i:05d}@vhs-test.de", status=Status("N"), person_no=str(50000 + i),
                      first_name="Vor", last_name=f"Nach{i}") for i in range(n)]
    people += [Contact(email=f"aktiv{i}@vhs-test.de", status=Status("J"), person_no=str(90000 + i))
               for i in range(5)]
    with Workspace.open(root) as ws:
        ws.import_contacts(people, source="bench")


@pytest.mark.parametrize("limited", [False, True], ids=["no-limit", "limit-5-per-s"])
def test_objections(tmp_path: Path, limited: bool) -> None:
    n = N_LIMITED if limited else N_OBJECTIONS
    workspace = tmp_path / "ws"
    _objection_workspace(workspace, n)
    faults = "rate=5" if limited else f"delay={DELAY}"
    with simulator_process(KEY, faults=faults) as (_proc, base):
        wall, report = _sync(tmp_path, _settings(base), workspace)
        counts = _sim_counts(base)
    requests, refused = int(counts["requests"]), int(counts["rate_limited"])
    figures: dict[str, Any] = {
        "objections": n, "wall_s": round(wall, 1), "pushed": report["objections_pushed"],
        "not_in_maileon": report["objections_not_in_maileon"], "pending": report["objections_pending"],
        "requests": requests, "answered_429": refused, "share_429": round(refused / max(1, requests), 4)}
    if limited:
        figures["requests_per_s"] = round(requests / wall, 2)
        figures["target_share_429<=0.05"] = refused <= 0.05 * requests
    else:
        figures["target_wall<=150s_for_10k"] = wall <= 150 * n / 10_000
    _record(f"objections_{'limit5' if limited else 'nolimit'}", figures)
    assert report["objections_pending"] == 0
    assert report["objections_pushed"] + report["objections_not_in_maileon"] == n
