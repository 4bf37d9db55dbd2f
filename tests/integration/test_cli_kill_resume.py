"""SIGKILL in the middle of the upload, then `kufertui sync --resume`: the simulator ends exactly as after
an uninterrupted run, and the journal accounts for every selected contact once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sync_helpers import (
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

N = 300
BATCH = 20


def scenario() -> tuple[SimState, list]:
    state = sim_state()
    contacts = [person(i) for i in range(1, N + 1)]
    contacts[7].email = "ohne-at.vhs-test.de"  # rejected in pre-flight
    for c in contacts[:100]:
        state.seed_contact(c.email, external_id=c.person_no, standard={"FIRSTNAME": "alt"},
                           custom={"ImportAPI": "true"})
    state.custom_fields["ImportAPI"] = "boolean"
    state.seed_contact("frueher@vhs-test.de", custom={"ImportAPI": "true"})  # from an older upload: cleared
    return state, contacts


def done_batches(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM batches WHERE state='done'").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigkill_during_upload_then_resume(tmp_path: Path) -> None:
    # the reference: one uninterrupted run
    clean_state, contacts = scenario()
    with running_simulator(clean_state) as base_url:
        paths = cli_paths(tmp_path / "clean", make_settings(base_url, batch_size=BATCH, in_flight=2))
        seed_workspace(paths.workspace, contacts)
        clean = run_cli(paths, "sync")
        assert clean.returncode == 1, clean.stderr  # one contact rejected

    state, contacts = scenario()
    with running_simulator(state, "delay@POST /contacts:seconds=0.15") as base_url:
        paths = cli_paths(tmp_path / "killed", make_settings(base_url, batch_size=BATCH, in_flight=2))
        seed_workspace(paths.workspace, contacts)
        db = WorkspacePaths(paths.workspace).database
        proc = subprocess.Popen(cli_argv(paths, "sync"), env=cli_env(paths), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while done_batches(db) < 2:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"sync ended before it could be killed: {proc.communicate()}")
            time.sleep(0.02)
        proc.kill()  # SIGKILL; TerminateProcess on Windows
        proc.communicate(timeout=10)
        assert proc.returncode == (-signal.SIGKILL if os.name == "posix" else 1)
        total = (N - 1 + BATCH - 1) // BATCH
        assert 2 <= done_batches(db) < total, "the kill must land in the middle of the upload"

        resumed = run_cli(paths, "sync", "--resume", "--json")
        assert resumed.returncode == 1, resumed.stderr

    assert sim_snapshot(state) == sim_snapshot(clean_state)
    with Workspace.open(paths.workspace) as ws:
        runs = ws.journal.runs()
        assert len(runs) == 1 and runs[0].state == "done"
        run_id = runs[0].id
        outcomes = ws.journal.outcomes(run_id)
        assert len(outcomes) == N == len({o.contact_key for o in outcomes})
        assert ws.journal.outcomes(run_id, "planned") == []
        assert all(state == "done" for _no, state, *_ in ws.journal.batches(run_id))
        counts = ws.journal.outcome_counts(run_id)
        assert counts == {"sent": N - 1, "rejected": 1}
        assert runs[0].counts["reconciled"] is True
    # the upload file in the workspace holds every contact sent, not only those of the resumed part
    xml = WorkspacePaths(paths.workspace).upload_xml.read_bytes()
    sent = [o.email for o in outcomes if o.outcome == "sent"]
    assert all(f"<email>{e}</email>".encode() in xml for e in sent)
    from lxml import etree

    assert len(etree.fromstring(xml).findall("contact")) >= N - 1  # well-formed after the crash
