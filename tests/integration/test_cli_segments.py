"""`kufertui segment add|list|remove` and `kufertui sync --segment/--all-segments` as subprocesses against the
simulator over a socket; a refresh killed in pre-flight, in the upload or before its report resumes to the
end state of an uninterrupted refresh."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hold_points import hold_env
from sync_helpers import (
    CliPaths,
    cli_argv,
    cli_env,
    cli_paths,
    make_settings,
    person,
    run_cli,
    seed_workspace,
    sim_snapshot,
    sim_state,
)

from kufertui.paths import WorkspacePaths
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace

N = 120
BATCH = 10


def scenario() -> tuple[SimState, list[Any]]:
    state = sim_state()
    contacts = [person(i, departments="Sprachen" if i % 2 else "Kunst", is_dozent=i % 3 == 0)
                for i in range(1, N + 1)]
    return state, contacts


def setup(paths: CliPaths, contacts: list[Any]) -> None:
    seed_workspace(paths.workspace, contacts)
    for args in (("Sprachen", "--department", "Sprachen"), ("Dozenten", "--dozent", "yes")):
        done = run_cli(paths, "segment", "add", *args)
        assert done.returncode == 0, done.stderr


def true_count(state: SimState, field: str) -> int:
    return sum(1 for c in state.contacts.values() if str(c.custom.get(field, "")).lower() == "true")


def test_segment_commands_and_a_refresh_with_json_report(tmp_path: Path) -> None:
    state, contacts = scenario()
    with running_simulator(state) as url:
        paths = cli_paths(tmp_path, make_settings(url, batch_size=BATCH))
        setup(paths, contacts)
        clash = run_cli(paths, "segment", "add", "sprachen", "--lang", "en")
        assert clash.returncode == 2 and "KUFER_Seg_sprachen" in clash.stderr and "\"Sprachen\"" in clash.stderr
        bad = run_cli(paths, "segment", "add", "Kurse: Sprachen", "--lang", "en")
        assert bad.returncode == 2 and "KUFER_Seg_Kurse_Sprachen" in bad.stderr
        listed = json.loads(run_cli(paths, "segment", "list", "--json").stdout)
        assert [(s["name"], s["members"]) for s in listed] == [("Dozenten", 40), ("Sprachen", 60)]
        listed_text = run_cli(paths, "segment", "list", "--lang", "en").stdout
        assert "Sprachen: 60 contacts · field KUFER_Seg_Sprachen · target group KUFER Seg Sprachen · last " \
               "refreshed: never" in listed_text
        dry = run_cli(paths, "sync", "--all-segments", "--dry-run", "--json")
        assert dry.returncode == 0, dry.stderr
        assert not state.contacts
        assert {s["name"]: s["marked"] for s in json.loads(dry.stdout)["segments"]} == {"Dozenten": 40,
                                                                                          "Sprachen": 60}
        done = run_cli(paths, "sync", "--all-segments", "--yes", "--json")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["selected"] == 80  # the union: 60 odd + 20 even lecturers
        groups = {s["name"]: s["target_group"]["count_active_contacts"] for s in report["segments"]}
        assert groups == {"Dozenten": 40, "Sprachen": 60}
        text = run_cli(paths, "sync", "--segment", "Dozenten", "--yes", "--lang", "en")
        assert "Segment Dozenten: members 40 · 0 joined · 0 left · 40 marked · target group: 40" in text.stdout
        unknown = run_cli(paths, "sync", "--segment", "Nix")
        assert unknown.returncode == 2
        mixed = run_cli(paths, "sync", "--segment", "Dozenten", "--department", "Kunst", "--lang", "en")
        assert mixed.returncode == 2 and "segments' own filters" in mixed.stderr
        needs_yes = run_cli(paths, "segment", "remove", "Dozenten")
        assert needs_yes.returncode == 2 and "KUFER_Seg_Dozenten" in state.custom_fields
        removed = run_cli(paths, "segment", "remove", "Dozenten", "--yes", "--json")
        assert removed.returncode == 0, removed.stderr
        assert "KUFER_Seg_Dozenten" not in state.custom_fields and len(state.target_groups) == 1
        kept = run_cli(paths, "segment", "remove", "Sprachen", "--keep-in-maileon")
        assert kept.returncode == 0 and "KUFER_Seg_Sprachen" in state.custom_fields
        assert json.loads(run_cli(paths, "segment", "list", "--json").stdout) == []
        with Workspace.open(paths.workspace) as ws:
            assert [r.options.get("segments") for r in ws.journal.runs()][:2] == [["Dozenten"],
                                                                                  ["Dozenten", "Sprachen"]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    state, contacts = scenario()
    with running_simulator(state) as url:
        paths = cli_paths(tmp_path_factory.mktemp("ref"), make_settings(url, batch_size=BATCH, in_flight=2))
        setup(paths, contacts)
        done = run_cli(paths, "sync", "--all-segments", "--yes")
        assert done.returncode == 0, done.stderr
    return sim_snapshot(state)


def db_done(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM batches WHERE state='done'").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("phase", ["preflight", "upload", "report"])
def test_a_killed_refresh_resumes_to_the_same_end_state(phase: str, tmp_path: Path,
                                                         reference: dict[str, Any]) -> None:
    state, contacts = scenario()
    marker = tmp_path / "held"
    faults = "delay@POST /contacts:seconds=0.15" if phase == "upload" else None
    with running_simulator(state, faults) as url:
        paths = cli_paths(tmp_path, make_settings(url, batch_size=BATCH, in_flight=2))
        setup(paths, contacts)
        db = WorkspacePaths(paths.workspace).database
        hold = {} if phase == "upload" else hold_env(phase, marker)
        proc = subprocess.Popen(cli_argv(paths, "sync", "--all-segments", "--yes"), env=cli_env(paths, **hold),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=proc.communicate, daemon=True).start()
        deadline = time.monotonic() + 60
        while not (db_done(db) >= 2 if phase == "upload" else marker.exists()):
            assert proc.poll() is None and time.monotonic() < deadline, f"ended before the kill in {phase}"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    with Workspace.open(paths.workspace) as ws:  # a KUFER re-import in between: the resumed run keeps its members
        ws.conn.execute("UPDATE contacts SET departments='Kunst' WHERE email_lc='p00001@vhs-test.de'")
        ws.conn.commit()
    with running_simulator(state) as url:
        cli_paths(tmp_path, make_settings(url, batch_size=BATCH, in_flight=2))
        resumed = run_cli(paths, "sync", "--resume", "--json")
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        report = json.loads(resumed.stdout)
        assert {s["name"]: s["marked"] for s in report["segments"]} == {"Dozenten": 40, "Sprachen": 60}
    got = sim_snapshot(state)
    assert got == reference
    assert true_count(state, "KUFER_Seg_Sprachen") == 60 and true_count(state, "KUFER_Seg_Dozenten") == 40
    with Workspace.open(paths.workspace) as ws:
        assert [r.state for r in ws.journal.runs()] == ["done"]
        assert all(s.refreshed_run == ws.journal.runs()[0].id for s in ws.segments.all())


def test_segment_remove_waits_for_a_running_sync(tmp_path: Path) -> None:
    """A refresh under way may still mark the segment's field: removing it (in Maileon too) is refused
    while a run holds the workspace, and nothing is removed; once the run is over, it goes."""
    from kufertui.sync.lock import WorkspaceLock

    state, contacts = scenario()
    with running_simulator(state) as url:
        paths = cli_paths(tmp_path, make_settings(url, batch_size=BATCH))
        setup(paths, contacts)
        assert run_cli(paths, "sync", "--segment", "Dozenten", "--yes").returncode == 0
        with WorkspaceLock(paths.workspace / "sync.lock"):  # a run of another process, as far as the CLI sees
            busy = run_cli(paths, "segment", "remove", "Dozenten", "--yes", "--lang", "en")
        assert busy.returncode == 2 and "a sync is running" in busy.stderr, busy.stderr
        assert "KUFER_Seg_Dozenten" in state.custom_fields
        assert [s["name"] for s in json.loads(run_cli(paths, "segment", "list", "--json").stdout)] == ["Dozenten",
                                                                                                    "Sprachen"]
        removed = run_cli(paths, "segment", "remove", "Dozenten", "--yes", "--lang", "en")
        assert removed.returncode == 0, removed.stderr
        assert "Deleted in Maileon: target group, contact filter, contact field." in removed.stdout
        assert "KUFER_Seg_Dozenten" not in state.custom_fields
