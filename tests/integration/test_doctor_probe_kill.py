"""Issue 25 item 6: a probe that is stopped half way leaves nothing behind. Ctrl+C (or SIGTERM) cleans up at once;
a SIGKILL leaves a record in the workspace, and `kufertui doctor --probe --cleanup`, or the next probe, removes what
it names. And the unsubscribes the probe leaves in Maileon's report never reach the ledger of a real pull."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sync_helpers import API_KEY, CliPaths, cli_argv, cli_env, cli_paths, make_settings, run_cli
from test_doctor_probe import DOMAIN, account, lasting

from kufertui.core.probe_ids import PROBE_ID_PREFIX, is_probe_id
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace

HELD_S = 8
HELD = f"delay@GET /contacts/email/*#1:seconds={HELD_S}"  # the probe waits on its first look-up of a scratch contact


def probe_contacts(state: SimState) -> int:
    with state.lock:
        return sum(1 for email in state.contacts if email.startswith(PROBE_ID_PREFIX))


def stop_half_way(paths: CliPaths, state: SimState, sig: signal.Signals
                  ) -> tuple[subprocess.CompletedProcess[str], float]:
    """Start the probe, send ``sig`` once its scratch contacts are in Maileon: how it ended, and how many seconds
    after the signal."""
    proc = subprocess.Popen(cli_argv(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", "--json"),
                            env=cli_env(paths), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while probe_contacts(state) < 10:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the probe ended before it could be stopped: {proc.communicate()}")
        time.sleep(0.02)
    proc.send_signal(sig)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=30)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), time.monotonic() - sent


def records(paths: CliPaths) -> list[Path]:
    folder = paths.workspace / "probe"
    return sorted(folder.glob("pending-*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_half_way_deletes_what_the_probe_made(sig: signal.Signals, tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    with running_simulator(state, HELD) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        res, took = stop_half_way(paths, state, sig)
    assert res.returncode == 4, res.stdout + res.stderr
    report = json.loads(res.stdout)
    assert report["interrupted"] and report["cleanup"]["complete"]
    assert {r["case"] for r in report["rows"] if r["verdict"] == "could-not-check"} >= {"not-reached"}
    assert took < HELD_S - 2  # the held request was cut off after a short grace, not waited for
    assert lasting(state) == before and records(paths) == []


def test_a_killed_probe_is_cleaned_up_by_cleanup(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    with running_simulator(state, HELD) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        killed, _took = stop_half_way(paths, state, signal.SIGKILL)
        assert killed.returncode == -signal.SIGKILL
        assert probe_contacts(state) == 10 and len(records(paths)) == 1  # left behind, and named
        assert state.custom_fields  # the scratch field too
        told = run_cli(paths, "doctor", "--json")  # the plain doctor says so
        cleanup = run_cli(paths, "doctor", "--probe", "--cleanup", "--json")
        again = run_cli(paths, "doctor", "--probe", "--cleanup")
    leftover = [c for c in json.loads(told.stdout)["checks"] if c["name"] == "probe-leftovers"]
    assert leftover and not leftover[0]["ok"] and "--probe --cleanup" in leftover[0]["text"]
    assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
    assert json.loads(cleanup.stdout)["removed"] == 1
    assert lasting(state) == before and records(paths) == []
    assert again.returncode == 0 and "Keine Reste einer Probe verzeichnet." in again.stdout


def test_the_next_probe_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    with running_simulator(state, HELD) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        stop_half_way(paths, state, signal.SIGKILL)
        res = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout)["earlier_leftovers_removed"] == 1
    assert lasting(state) == before and records(paths) == []


def test_a_record_for_another_maileon_is_left_alone(tmp_path: Path) -> None:
    state = account()
    with running_simulator(state, HELD) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        stop_half_way(paths, state, signal.SIGKILL)
    with running_simulator(SimState.with_key(API_KEY)) as other_url:
        cli_paths(tmp_path, make_settings(other_url))  # the settings now point at another account
        res = run_cli(paths, "doctor", "--probe", "--cleanup", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["other_maileon"] == 1
    assert len(records(paths)) == 1 and probe_contacts(state) == 10  # nothing deleted in the wrong account


def test_a_pull_passes_over_the_probes_report_entries(tmp_path: Path) -> None:
    state = SimState.with_key(API_KEY)  # the simulator's clock as ours: the pull reads up to now
    state.seed_contact("kursleitung@vhs-musterstadt.de", external_id="100978", permission=4)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        assert run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes").returncode == 0
        pull = run_cli(paths, "unsubscribers", "pull", "--json")
    assert pull.returncode == 0, pull.stdout + pull.stderr
    assert len(state.unsubscriptions) == 3 and all(is_probe_id(u.external_id) for u in state.unsubscriptions)
    assert json.loads(pull.stdout)["seen"] == 0  # the probe's entries are nobody's unsubscribes
    with Workspace.open(paths.workspace) as ws:
        assert list(ws.conn.execute("SELECT email FROM ledger")) == []


def test_cleanup_deletes_by_the_probes_names_not_by_ids_a_record_claims(tmp_path: Path) -> None:
    """The record is a file: an id in it (edited, or a filter id Maileon gave to someone else since) must not
    delete the VHS's own filter or group."""
    state = account()
    with state.lock:
        state.filters[9001] = {"id": 9001, "name": "Newsletter Sprachen", "rules": [], "created_ms": 0}
        state.target_groups[9002] = {"id": 9002, "name": "Sprachen", "type": "regular", "contact_filter_id": 9001,
                                     "created_ms": 0}
    with running_simulator(state, HELD) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        stop_half_way(paths, state, signal.SIGKILL)
        [record] = records(paths)
        data = json.loads(record.read_text(encoding="utf-8"))
        record.write_text(json.dumps({**data, "filter_ids": [9001], "group_ids": [9002]}), encoding="utf-8")
        res = run_cli(paths, "doctor", "--probe", "--cleanup", "--json")
    assert res.returncode == 0, res.stdout + res.stderr
    assert 9001 in state.filters and 9002 in state.target_groups  # the VHS's own, untouched
    assert probe_contacts(state) == 0 and records(paths) == []
