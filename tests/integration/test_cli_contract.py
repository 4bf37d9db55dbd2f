"""The command line contract of DESIGN §4: exit codes, --json, the lock, re-runs, --dry-run, --target-group."""

from __future__ import annotations

import json
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
from kufertui.simulator import running_simulator
from kufertui.store import Workspace


def done_batches(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM batches WHERE state='done'").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_exit_codes_json_rerun_and_target_group(tmp_path: Path) -> None:
    state = sim_state()
    good = [person(i) for i in range(1, 41)]
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, good)

        first = run_cli(paths, "sync", "--json", "--lang", "en", "--target-group", "Newsletter KUFER")
        assert first.returncode == 0, first.stderr
        doc = json.loads(first.stdout)  # exactly one JSON document on stdout
        assert doc["ok"] is True and doc["new"] == 40 and doc["reconciled"] is True
        assert doc["report_line"] == ("40 selected · 0 updated · 40 new · 0 filtered as invalid"
                                      " · 0 unsubscribes taken over")
        assert "objections_pushed" in doc
        assert doc["target_group"]["target_group_id"]
        assert len(state.filters) == 1 and len(state.target_groups) == 1
        after_first = sim_snapshot(state)

        # the upload file of the earlier, finished run is ours: the next run replaces it without --yes and
        # keeps it beside the new one (issue 26.9)
        upload = WorkspacePaths(paths.workspace).upload_xml
        first_file = upload.read_bytes()
        again = run_cli(paths, "sync")
        assert again.returncode == 0, again.stdout + again.stderr
        assert upload.with_name(upload.stem + ".prev.xml").read_bytes() == first_file
        assert sim_snapshot(state) == after_first

        # re-running a finished sync is harmless: same state, consistent report
        rerun = run_cli(paths, "sync", "--yes", "--json", "--target-group", "Newsletter KUFER")
        assert rerun.returncode == 0, rerun.stderr
        doc2 = json.loads(rerun.stdout)
        assert (doc2["selected"], doc2["updated"], doc2["new"], doc2["reconciled"]) == (40, 40, 0, True)
        # the same group name again: our group is reused (nothing new in Maileon), its counts read anew
        assert doc2["target_group"]["reused"] is True
        assert doc2["target_group"]["target_group_id"] == doc["target_group"]["target_group_id"]
        assert doc2["target_group"]["count_active_contacts"] == 40
        assert sim_snapshot(state) == after_first

        # contacts rejected → exit 1
        seed_workspace(paths.workspace, [person(99, email="kein-at-zeichen.vhs-test.de")])
        rejected = run_cli(paths, "sync", "--yes", "--lang", "de")
        assert rejected.returncode == 1, rejected.stderr
        assert "41 ausgewählt · 40 aktualisiert · 0 neu · 1 ungültig ausgefiltert · 0 Abmelder übernommen" \
            in rejected.stdout

        # nothing to resume → usage error
        nothing = run_cli(paths, "sync", "--resume")
        assert nothing.returncode == 2


def test_misspelt_config_key_is_exit_2_with_file_line_and_nearest_key(tmp_path: Path) -> None:
    paths = cli_paths(tmp_path, make_settings("http://127.0.0.1:9/1.0"))
    text = paths.config.read_text(encoding="utf-8")
    assert "batch_size = " in text
    paths.config.write_text(text.replace("batch_size = ", "batch_sice = "), encoding="utf-8")
    line = next(n for n, t in enumerate(paths.config.read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("batch_sice"))
    result = run_cli(paths, "sync", "--lang", "en")
    assert result.returncode == 2
    assert "maileon.batch_sice" in result.stderr and "maileon.batch_size" in result.stderr
    assert str(paths.config) in result.stderr and f"line {line}" in result.stderr


def test_dry_run_writes_nothing_to_maileon_and_exports_csv_and_json(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 21)]
    for c in contacts[:5]:
        state.seed_contact(c.email, external_id=c.person_no, standard={"FIRSTNAME": "alt"})
    state.seed_contact(person(50).email)  # objects in KUFER, still in Maileon: a real run unsubscribes them
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [*contacts, person(50, "N")])
        before = sim_snapshot(state)
        dry = run_cli(paths, "sync", "--dry-run", "--json")
        assert dry.returncode == 0, dry.stderr
        doc = json.loads(dry.stdout)
        assert doc["dry_run"] is True and doc["objections_pushed"] == 0 and doc["objections_pending"] == 1
        assert sim_snapshot(state) == before
    exports = WorkspacePaths(paths.workspace).exports_dir
    csv_files, json_files = list(exports.glob("dry-run-*.csv")), list(exports.glob("dry-run-*.json"))
    assert len(csv_files) == 1 and len(json_files) == 1
    rows = json.loads(json_files[0].read_text(encoding="utf-8"))
    outcomes = {r["email"]: r["outcome"] for r in rows}
    assert outcomes[contacts[0].email] == "would-update"
    assert outcomes[contacts[10].email] == "would-create"
    assert outcomes[person(50).email] == "would-unsubscribe"
    assert csv_files[0].read_bytes().startswith(b"\xef\xbb\xbfE-Mail;")
    assert not WorkspacePaths(paths.workspace).upload_xml.exists()


@pytest.mark.windows_incompatible(reason="send_signal(SIGINT) does not exist on Windows")
def test_lock_and_cancel(tmp_path: Path) -> None:
    state = sim_state()
    # slow enough that two more CLI starts (a second sync, a pull) land while the run holds the lock,
    # also on a busy machine
    with running_simulator(state, "delay@POST /contacts:seconds=0.6") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10, in_flight=1))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 101)])
        db = WorkspacePaths(paths.workspace).database
        proc = subprocess.Popen(cli_argv(paths, "sync", "--lang", "en"), env=cli_env(paths),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while done_batches(db) < 1:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"sync ended too early: {proc.communicate()}")
            time.sleep(0.02)

        # a second sync while the first one runs: refused clearly, nothing touched
        second = run_cli(paths, "sync", "--lang", "en")
        assert second.returncode == 2
        assert "Another sync is running" in second.stderr and "lock-held" in second.stderr
        pull = run_cli(paths, "unsubscribers", "pull", "--lang", "en")
        assert pull.returncode == 2 and "Another sync is running" in pull.stderr

        # Ctrl+C: finish the batches in flight, checkpoint, exit 4 (resumable)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 4, (out, err)
        assert "--resume" in err
        with Workspace.open(paths.workspace) as ws:
            runs = ws.journal.runs()
            assert len(runs) == 1 and runs[0].state == "aborted"
            done = sum(1 for b in ws.journal.batches(runs[0].id) if b[1] == "done")
            assert 1 <= done < 10

        resumed = run_cli(paths, "sync", "--resume", "--json")
        assert resumed.returncode == 0, resumed.stderr
        doc = json.loads(resumed.stdout)
        assert doc["selected"] == 100 and doc["new"] == 100 and doc["reconciled"] is True
    assert len(state.contacts) == 100
    with Workspace.open(paths.workspace) as ws:
        runs = ws.journal.runs()
        assert len(runs) == 1 and runs[0].state == "done"
        assert ws.journal.outcome_counts(runs[0].id) == {"sent": 100}


def test_a_target_group_name_maileon_would_refuse_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    """`--target-group "VHS!"`: before, the whole upload ran and only the group was refused at the end."""
    state = sim_state()
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 6)])
        refused = run_cli(paths, "sync", "--yes", "--json", "--lang", "en", "--target-group", "VHS!")
    doc = json.loads(refused.stdout)
    assert refused.returncode == 2 and doc["hint_id"] == "target-group-name" and doc["exit_code"] == 2
    assert "VHS!" in doc["message"] and "not a valid target group name" in refused.stderr
    assert sim_snapshot(state) == before  # nothing sent, nothing pulled into a run
    with Workspace.open(paths.workspace) as ws:
        assert ws.journal.runs() == []
