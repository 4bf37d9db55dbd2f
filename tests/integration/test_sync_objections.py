"""Issue 5: an objection recorded in KUFER (status N) is passed to Maileon once, and never undone."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
from sync_helpers import (
    RecordingTransport,
    cli_paths,
    fast_client_factory,
    make_settings,
    person,
    run_cli,
    run_engine,
    seed_workspace,
    set_status,
    sim_state,
    sync_options,
)

from kufertui.core.contact import Contact
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync.engine import SyncAborted, SyncEngine

UNSUB_PREFIX = "/contacts/email/"


def synced_workspace(tmp_path: Path, people: int) -> tuple[SimState, Path, list[Contact]]:
    """A workspace of ``people`` J contacts, synced once into the simulator's account."""
    state = sim_state()
    active = [person(i) for i in range(1, people + 1)]
    root = tmp_path / "ws"
    seed_workspace(root, active)
    with running_simulator(state) as base_url:
        run_engine(make_settings(base_url, batch_size=5), root)
    return state, root, active


def deletes(rec: RecordingTransport, email: str | None = None) -> int:
    return sum(1 for r in rec.requests if r.method == "DELETE" and r.path.startswith(UNSUB_PREFIX)
               and (email is None or email in r.path))


def test_objections_are_pushed_once_and_never_uploaded(tmp_path: Path) -> None:
    state = sim_state()
    active = [person(i) for i in range(1, 31)]
    never = [person(i, "N") for i in range(101, 106)]  # N in KUFER, never in Maileon
    root = tmp_path / "ws"
    seed_workspace(root, [*active, *never])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=10)

        rec = RecordingTransport()
        first = run_engine(settings, root, transport=rec)
        assert first.report.new == 30
        assert first.report.objections_not_in_maileon == 5 and first.report.objections_pushed == 0
        assert deletes(rec) == 5  # one call each, the first time
        for c in never:
            assert deletes(rec, c.email) == 1

        objectors = active[:4]  # object by phone in March: N in KUFER
        set_status(root, [c.email for c in objectors], "N")
        rec = RecordingTransport()
        second = run_engine(settings, root, transport=rec)
        assert second.report.objections_pushed == 4 and second.report.objections_not_in_maileon == 0
        assert deletes(rec) == 4  # the five unknown ones cost nothing any more
        for c in objectors:
            assert c.email.lower() not in state.contacts  # unsubscribed (anonymised) in Maileon
            assert c.email.lower() in state.markers
            assert c.email.encode() not in rec.sync_bodies()
        assert second.report.selected == 26 and second.report.updated == 26 and second.report.reconciled

        # Maileon reports our own unsubscribes back on the next pull: not pushed, not written back as news
        rec = RecordingTransport()
        third = run_engine(settings, root, transport=rec)
        assert deletes(rec) == 0
        for c in objectors:
            assert c.email.encode() not in rec.sync_bodies()
        assert third.report.selected == 26 and third.report.updated == 26
        with Workspace.open(root) as ws:
            counts = ws.ledger.push_counts()
            assert counts == {"unsubscribed": 4, "not-in-maileon": 5}


def test_failed_push_stays_pending_and_completes_next_run(tmp_path: Path) -> None:
    state = sim_state()
    active = [person(i) for i in range(1, 11)]
    root = tmp_path / "ws"
    seed_workspace(root, active)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=5)
        run_engine(settings, root)
        set_status(root, [active[0].email, active[1].email], "N")

    # every unsubscribe call answers 503, retries included
    with running_simulator(state, "503@DELETE /contacts/email/*") as base_url:
        settings = make_settings(base_url, batch_size=5)
        failing = run_engine(settings, root, client_factory=fast_client_factory(settings))
        assert failing.report.objections_pending == 2 and failing.report.objections_pushed == 0
        assert failing.report.reconciled and failing.report.updated == 8
        with Workspace.open(root) as ws:
            assert ws.ledger.push_counts() == {"failed": 2}
            assert len(ws.ledger.pending_push()) == 2
        assert active[0].email.lower() in state.contacts  # still active in Maileon for now

    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=5)
        rec = RecordingTransport()
        again = run_engine(settings, root, transport=rec)
        assert again.report.objections_pushed == 2 and again.report.objections_pending == 0
        assert deletes(rec) == 2
        assert active[0].email.lower() not in state.contacts
        assert active[1].email.lower() not in state.contacts
        with Workspace.open(root) as ws:
            assert ws.ledger.push_counts() == {"unsubscribed": 2}


def test_maileon_unsubscribe_pulled_back_is_not_pushed(tmp_path: Path) -> None:
    state = sim_state()
    active = [person(i) for i in range(1, 11)]
    root = tmp_path / "ws"
    seed_workspace(root, active)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=5)
        run_engine(settings, root)
        state.recipient_unsubscribes(active[3].email)
        for _ in range(2):
            rec = RecordingTransport()
            run = run_engine(settings, root, transport=rec)
            assert deletes(rec) == 0
            assert active[3].email.encode() not in rec.sync_bodies()
        with Workspace.open(root) as ws:
            assert ws.ledger.count("maileon") == 1 and ws.ledger.count("kufer") == 0
        assert run.report.objections_pushed == 0


def test_dry_run_lists_objections_and_pushes_nothing(tmp_path: Path) -> None:
    state = sim_state()
    active = [person(i) for i in range(1, 11)]
    root = tmp_path / "ws"
    seed_workspace(root, active)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=5)
        run_engine(settings, root)
        set_status(root, [active[0].email], "N")
        # an objection by someone Maileon never had: a real run finds nothing to unsubscribe, nor may the dry run
        seed_workspace(root, [person(99, "N")])
        rec = RecordingTransport()
        dry = run_engine(settings, root, sync_options(dry_run=True), transport=rec)
        assert deletes(rec) == 0
        assert [r for r in rec.requests if r.method != "GET"] == []  # a dry run writes nothing to Maileon
        assert active[0].email.lower() in state.contacts
        assert dry.report.objections_pending == 1 and dry.report.objections_pushed == 0
        exports = sorted((root / "exports").glob("dry-run-*.json"))
        rows = json.loads(exports[-1].read_text(encoding="utf-8"))
        listed = [r for r in rows if r["email"] == active[0].email]
        assert listed and listed[0]["outcome"] == "would-unsubscribe"
        unknown = [r for r in rows if r["email"] == person(99).email]
        assert unknown and unknown[0]["outcome"] == "objection-not-in-maileon"
        assert dry.report.objections_not_in_maileon == 1

        real = run_engine(settings, root)
        assert real.report.objections_pushed == 1
        assert active[0].email.lower() not in state.contacts


def test_daily_pull_job_passes_objections_to_maileon_like_a_full_run(tmp_path: Path) -> None:
    """`kufertui unsubscribers pull` runs the engine's unsubscriber steps, the objection push included."""
    state = sim_state()
    active = [person(i) for i in range(1, 11)]
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=5))
        seed_workspace(paths.workspace, active)
        assert run_cli(paths, "sync", "--json").returncode == 0
        objector = active[3]
        set_status(paths.workspace, [objector.email], "N")  # an objection by phone, recorded in KUFER
        state.recipient_unsubscribes(active[0].email)  # and one unsubscribe in Maileon

        pull = run_cli(paths, "unsubscribers", "pull", "--json")
        assert pull.returncode == 0, pull.stderr
        doc = json.loads(pull.stdout)
        assert doc["new"] == 1 and doc["written_back"] == 1
        assert doc["objections_pushed"] == 1
        assert doc["ok"] is True and doc["exit_code"] == 0  # the same envelope as sync --json
        assert objector.email.lower() not in state.contacts and objector.email.lower() in state.markers
        with Workspace.open(paths.workspace) as ws:
            assert ws.ledger.push_counts() == {"unsubscribed": 1}
            newest = ws.journal.runs()[0]
            assert (newest.kind, newest.state) == ("pull", "done")  # the daily job is journaled as a pull run
            assert doc["run_id"] == newest.id
            assert ws.journal.latest_transfer().kind == "sync"  # Results still open on the sync

        again = run_cli(paths, "unsubscribers", "pull", "--json")
        assert json.loads(again.stdout)["objections_pushed"] == 0  # once, never twice


@pytest.mark.parametrize("command", [("sync", "--yes"), ("unsubscribers", "pull")])
def test_an_objection_maileon_refuses_makes_the_run_exit_1_until_it_is_passed_on(tmp_path: Path,
                                                                                  command: tuple[str, ...]) -> None:
    """A 500 is not retried; the objection stays pending, and the run says so with exit 1 (before: exit 0, a cron
    job saw success while Maileon could still mail the person), and the next run passes it on, exit 0."""
    state = sim_state()
    active = [person(i) for i in range(1, 6)]
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=5))
        seed_workspace(paths.workspace, active)
        assert run_cli(paths, "sync", "--yes").returncode == 0
    set_status(paths.workspace, [active[2].email], "N")
    with running_simulator(state, "500@DELETE /contacts/email/*") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=5))
        refused = run_cli(paths, *command, "--json")
        plain = run_cli(paths, *command, "--lang", "en")
    doc = json.loads(refused.stdout)
    assert (refused.returncode, doc["exit_code"], doc["objections_pending"]) == (1, 1, 1), refused.stderr
    assert plain.returncode == 1 and "1 failed (retried next run)" in plain.stdout + plain.stderr
    assert active[2].email.lower() in state.contacts  # still subscribed in Maileon
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=5))
        passed = run_cli(paths, *command, "--json")
    doc = json.loads(passed.stdout)
    assert (passed.returncode, doc["exit_code"], doc["objections_pending"]) == (0, 0, 0), passed.stderr
    assert active[2].email.lower() not in state.contacts


def test_a_cancelled_pull_job_is_not_offered_for_resume(tmp_path: Path) -> None:
    """Ctrl+C in `unsubscribers pull`: what was fetched is kept, the message does not promise a resume."""
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [person(1)])
    cancel = threading.Event()
    cancel.set()
    with running_simulator(state) as base_url:
        engine = SyncEngine(make_settings(base_url), root, cancel=cancel)
        with pytest.raises(SyncAborted) as stopped:
            asyncio.run(engine.run_pull())
    assert stopped.value.failed.key == "engine.pull-cancelled" and not stopped.value.failed.resumable
    with Workspace.open(root) as ws:
        assert ws.journal.resumable_run() is None and ws.get_meta("last_pull_at")  # the pull itself is kept


def test_a_call_that_found_the_person_before_another_failed_still_counts_after_the_resume(tmp_path: Path) -> None:
    """One objection, two calls (the address, then the KUFER number): the first unsubscribes the contact, the
    second gets a 500. The same run, resumed, must not call the person unknown because the address is gone now
    (before, the failure dropped what the first call had found: 'not in Maileon', then a re-check a week on)."""
    from kufertui.sync.objections import push_for_run
    from kufertui.sync.unsubscribes import record_kufer_objections

    state, root, active = synced_workspace(tmp_path, 3)
    set_status(root, [active[1].email], "N")

    async def push(faults: str | None) -> str:
        with running_simulator(state, faults) as url, Workspace.open(root) as ws:
            async with fast_client_factory(make_settings(url))() as client:
                result = await push_for_run(client, ws, run_id, concurrency=1, cancel=None, on_progress=None,
                                            seen_in_report=())
            assert result.unsubscribed + result.not_in_maileon + result.failed == 1
            return "failed" if result.failed else "unsubscribed" if result.unsubscribed else "not-in-maileon"

    with Workspace.open(root) as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})
        assert record_kufer_objections(ws) == 1  # what a run does first
    assert asyncio.run(push("500@DELETE /contacts/externalid/*")) == "failed"
    assert active[1].email.lower() not in state.contacts  # the first call got through
    assert asyncio.run(push(None)) == "unsubscribed"
    with Workspace.open(root) as ws:
        assert ws.ledger.push_counts() == {"unsubscribed": 1}
