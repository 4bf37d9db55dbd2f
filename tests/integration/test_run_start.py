"""Issue 27: a new run takes its selection in a thread of its own while its first reads (the unsubscribes, the
custom fields, the look at the marks) go to Maileon. The pull still writes nothing before the selection is
journaled, so the report counts who dropped out, and a run that fails meanwhile leaves its selection behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sync_helpers import (
    API_KEY,
    make_settings,
    person,
    run_engine,
    seed_workspace,
    sim_state,
    statuses,
    sync_options,
)

from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync.engine import SyncAborted
from kufertui.sync.internals import run_start

PEOPLE = range(1, 21)


def unsubscribed_in_maileon(state: SimState, i: int) -> None:
    """Person ``i`` (J in KUFER) unsubscribed in Maileon since the last run."""
    state.unsubscribe_contact(state.seed_contact(person(i).email, external_id=person(i).person_no))


def workspace_ids(root: Path) -> list[int]:
    with Workspace.open(root) as ws:
        return sorted(cid for cid, _contact in ws.contacts.iter_contacts())


def test_the_unsubscribes_are_read_while_the_selection_is_taken(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The selection waits (at most 5 s) until the unsubscribes' read has reached Maileon: taken on the event loop
    before the first request, as it was, it never sees it. Person 3, unsubscribed in Maileon, is in the selection
    and held back as such: the pull set N only after the selection was taken."""
    state = sim_state()
    state.log_requests = True
    unsubscribed_in_maileon(state, 3)
    seed_workspace(tmp_path, [person(i) for i in PEOPLE])
    taken_selection = run_start.selected_ids
    read_before: list[bool] = []

    def pull_read() -> bool:
        with state.lock:
            return any(r.path.startswith("/reports/unsubscriptions") for r in state.request_log)

    def selection_after_the_read(*args: object) -> list[int]:
        deadline = time.monotonic() + 5.0
        while not pull_read() and time.monotonic() < deadline:
            time.sleep(0.01)
        read_before.append(pull_read())
        return taken_selection(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(run_start, "selected_ids", selection_after_the_read)
    with running_simulator(state) as url:
        run = run_engine(make_settings(url, batch_size=10), tmp_path)
    assert read_before == [True]
    assert run.report.selected == len(PEOPLE)
    assert run.report.unsubscribed_now == 1
    assert run.report.new == len(PEOPLE) - 1
    assert statuses(tmp_path)[person(3).email] == "N"
    with Workspace.open(tmp_path) as ws:
        assert ws.journal.selection_ids(run.report.run_id) == workspace_ids(tmp_path)


def test_a_run_that_fails_while_the_selection_is_taken_leaves_it_for_the_resume(tmp_path: Path) -> None:
    """Guard: the key is revoked, so the run's first reads fail while its selection is still being taken. The
    run ends aborted only after the selection is journaled; the resume sends to exactly that selection."""
    state = sim_state()
    seed_workspace(tmp_path, [person(i) for i in PEOPLE])
    state.revoke_key(API_KEY)
    with running_simulator(state) as url:
        with pytest.raises(SyncAborted) as failed:
            run_engine(make_settings(url, batch_size=10), tmp_path)
        assert failed.value.failed.resumable
        run_id = failed.value.failed.run_id
        assert run_id is not None
        with Workspace.open(tmp_path) as ws:
            assert ws.journal.selection_ids(run_id) == workspace_ids(tmp_path)
        state.accounts[API_KEY].revoked = False
        resumed = run_engine(make_settings(url, batch_size=10), tmp_path, sync_options(resume_run_id=run_id))
    assert resumed.report.run_id == run_id
    assert resumed.report.new == len(PEOPLE)
    assert len(state.contacts) == len(PEOPLE)
