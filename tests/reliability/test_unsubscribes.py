"""Unsubscribes are never lost (issue 7.3): unsubscribes arriving during a run, while a run is
killed, and ones whose report entry has since expired (retention window) all end up in the ledger
and in the write-back file, and no such address is sent to Maileon again (every sync body the
simulator received is inspected)."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from rel_helpers import (
    PYTHON,
    cli_env,
    contact_rows,
    journal_accounting,
    make_settings,
    make_workspace,
    run_engine,
    seed_sim,
    write_config,
    write_csv,
)

from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import parse_faults

N, BATCH = 60, 10


def seeded_with_all(n: int = N) -> SimState:
    """The simulator knows every KUFER contact already (an earlier sync), so anyone can unsubscribe."""
    state = seed_sim()
    for row in contact_rows(n):
        if row["E-Mail"].lower() not in state.contacts:
            state.seed_contact(row["E-Mail"], external_id=row["TNR"])
    return state


def emails_in(body: bytes) -> set[str]:
    from lxml import etree

    if not body.strip():  # a request the killed run had begun: uvicorn may hand it on without a body
        return set()
    root = etree.fromstring(body)
    return {(e.text or "").strip().lower() for e in root.iter("email")}


def bodies_after(state: SimState, index: int) -> list[bytes]:
    with state.lock:
        return [r.body for r in state.request_log[index:]
                if r.method == "POST" and r.path == "/contacts" and r.complete]


def ledger(ws_root: Path) -> set[str]:
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        return {r[0] for r in conn.execute("SELECT email_lc FROM ledger")}
    finally:
        conn.close()


def written_back(ws_root: Path) -> list[str]:
    out: list[str] = []
    for path in sorted((ws_root / "writeback").glob("kufer-abmelder-*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            out.extend(row["E-Mail"].lower() for row in csv.DictReader(fh, delimiter=";"))
    return out


def assert_never_resent(state: SimState, since: int, emails: set[str]) -> None:
    for body in bodies_after(state, since):
        assert not emails & emails_in(body), f"sent to Maileon again: {emails & emails_in(body)}"


def test_unsubscribe_during_the_upload(tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, N)
    state = seeded_with_all()
    injected: dict[str, object] = {}

    def inject() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with state.lock:
                first = next((r for r in state.request_log if r.method == "POST" and r.path == "/contacts"), None)
            if first is not None:
                break
            time.sleep(0.005)
        assert first is not None
        sent = emails_in(first.body)
        with state.lock:
            index = len(state.request_log)
            logged = set().union(*(emails_in(b) for b in bodies_after(state, 0)))
        already = sorted(sent)[0]
        later = next(r["E-Mail"] for r in contact_rows(N)[::-1] if r["E-Mail"] not in logged
                     and r["Newsletter"] in "JK")
        assert state.recipient_unsubscribes(already) and state.recipient_unsubscribes(later)
        injected.update(index=index, already=already, later=later)

    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.1")) as url:
        settings = make_settings(url, batch_size=BATCH, in_flight=1)
        thread = threading.Thread(target=inject)
        thread.start()
        first = run_engine(settings, ws_root)
        thread.join()
        assert first.exit_code == 0, first.failed
        already, later = str(injected["already"]), str(injected["later"])
        # Maileon keeps both out: the marker stops the in-flight run's later batch from re-adding `later`
        assert already not in state.contacts and later not in state.contacts
        index_run2 = len(state.request_log)
        second = run_engine(settings, ws_root)
        assert second.exit_code == 0, second.failed
    assert {already, later} <= ledger(ws_root)
    assert written_back(ws_root).count(already) == 1 and written_back(ws_root).count(later) == 1
    assert_never_resent(state, int(injected["index"]), {already})  # type: ignore[call-overload]
    assert_never_resent(state, index_run2, {already, later})
    assert already not in state.contacts and later not in state.contacts


def test_unsubscribe_while_the_run_is_killed(tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, N)
    state = seeded_with_all()
    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.15")) as url:
        config = write_config(tmp_path / "config.toml", make_settings(url, batch_size=BATCH, in_flight=1))
        env = cli_env(tmp_path / "home")
        cmd = [PYTHON, "-m", "kufertui", "--config", str(config), "--workspace", str(ws_root), "sync", "--yes"]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            conn = sqlite3.connect(ws_root / "workspace.sqlite")
            try:
                done = conn.execute("SELECT COUNT(*) FROM batches WHERE state='done'").fetchone()[0]
            finally:
                conn.close()
            if done >= 1:
                break
            time.sleep(0.01)
        proc.kill()  # SIGKILL; TerminateProcess on Windows
        proc.communicate(timeout=10)
        conn = sqlite3.connect(ws_root / "workspace.sqlite")
        try:
            run_id = conn.execute("SELECT MAX(id) FROM runs").fetchone()[0]
            done_email = conn.execute(
                "SELECT rc.email FROM run_contacts rc JOIN batches b ON b.run_id=rc.run_id AND "
                "b.batch_no=rc.batch_no WHERE rc.run_id=? AND b.state='done' LIMIT 1", (run_id,)).fetchone()[0]
            pending_email = conn.execute(
                "SELECT rc.email FROM run_contacts rc JOIN batches b ON b.run_id=rc.run_id AND "
                "b.batch_no=rc.batch_no WHERE rc.run_id=? AND b.state='pending' ORDER BY rc.batch_no DESC "
                "LIMIT 1", (run_id,)).fetchone()[0].lower()
        finally:
            conn.close()
        # the recipients click "unsubscribe" while no kufertui is running
        assert state.recipient_unsubscribes(done_email) and state.recipient_unsubscribes(pending_email)
        index = len(state.request_log)
        proc = subprocess.Popen([*cmd, "--resume"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    done_email = done_email.lower()
    assert {done_email, pending_email} <= ledger(ws_root)
    assert sorted(written_back(ws_root)) == sorted({done_email, pending_email})
    assert_never_resent(state, index, {done_email, pending_email})
    acc = journal_accounting(ws_root, run_id)
    assert acc["state"] == "done"
    outcome = {k: v for k, v in acc["outcomes"].items()}
    assert "unsubscribed" in outcome.values()  # the pending contact was taken out of its batch
    assert pending_email not in state.contacts and done_email not in state.contacts


def test_unsubscribes_survive_the_retention_window(tmp_path: Path) -> None:
    """Maileon forgets report entries after the retention window; the ledger does not. An address
    pulled 13 days after it unsubscribed stays suppressed when KUFER still says J weeks later."""
    ws_root = make_workspace(tmp_path, N)
    state = seeded_with_all()
    victim = "person0007@example.org"
    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=BATCH)
        state.clock.advance(days=-13)
        assert state.recipient_unsubscribes(victim)
        state.clock.advance(days=13)
        index = len(state.request_log)
        assert run_engine(settings, ws_root).exit_code == 0
        assert victim in ledger(ws_root) and written_back(ws_root) == [victim]
        # two weeks later: the report entry has expired, KUFER was not updated and still says J
        state.retention_mode = "delete"  # the pessimistic reading: the entry disappears
        state.clock.advance(days=state.retention_days + 1)
        assert not state.visible_unsubscriptions()
        rows = contact_rows(N)
        rows[7]["Newsletter"] = "J"
        from kufertui.store import Workspace
        from kufertui.sync.importing import import_file

        with Workspace.open(ws_root) as ws:
            import_file(ws, write_csv(tmp_path / "kufer-again.csv", rows))
        assert run_engine(settings, ws_root).exit_code == 0
    assert victim in ledger(ws_root)
    assert written_back(ws_root) == [victim]  # handed back once, not forgotten, not duplicated
    assert_never_resent(state, index, {victim})
    assert victim not in state.contacts
