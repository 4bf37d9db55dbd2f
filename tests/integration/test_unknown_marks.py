"""Issue 25 item 4: no run ends "done" while Maileon's marks (ImportAPI, segment fields) differ from what the run
sent. The simulator plays the harsh readings over a socket: a DELETE …/values that lands later than its answer,
one that never lands, and marks that change while the batches go up."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sync_helpers import (
    import_api_true,
    make_settings,
    person,
    run_engine,
    seed_workspace,
    sim_state,
    sync_options,
)

from kufertui.core.report import RunReport
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync import marks
from kufertui.sync.engine import SyncAborted, SyncEngine

FIELD = "ImportAPI"


def true_set(state: SimState) -> set[str]:
    with state.lock:
        return {e for e, c in state.contacts.items() if str(c.custom.get(FIELD, "")).lower() == "true"}


def emails(*numbers: int) -> set[str]:
    return {person(i).email for i in numbers}


def account_with_old_marks(state: SimState) -> None:
    """An account after an earlier upload: the field exists and marks someone outside this run."""
    state.custom_fields[FIELD] = "boolean"
    state.seed_contact("aelter@example.org", custom={FIELD: "true"})


def test_a_clear_that_lands_late_is_awaited_before_the_upload(tmp_path: Path) -> None:
    """Harsh: DELETE …/values answers at once and lands 1.5 s later. The run reads it back until it has landed,
    then uploads: its marks survive (before, the late deletion wiped every mark the run had just set)."""
    state = sim_state()
    state.clear_delay_s = 1.5
    account_with_old_marks(state)
    seed_workspace(tmp_path, [person(i) for i in range(1, 31)])
    with running_simulator(state) as url:
        run = run_engine(make_settings(url, batch_size=10), tmp_path)
    time.sleep(2.0)
    state.apply_due_clears()
    assert not state.pending_clears
    assert true_set(state) == emails(*range(1, 31))
    assert {"marks.clear-waiting", "marks.clear-landed", "marks.verified"} <= set(run.messages())


def test_marks_lost_or_left_during_the_upload_are_set_right(tmp_path: Path) -> None:
    """Marks of early batches are wiped while later batches go up (a clear landing late, mid-upload), and an old
    mark comes back: the read-back after the upload sets what is missing and unsets what is extra, says so
    with its hint, and the run ends with Maileon's marks exactly the run's (before, it ended "done" with them
    wrong)."""
    state = sim_state()
    account_with_old_marks(state)
    seed_workspace(tmp_path, [person(i) for i in range(1, 41)])
    events: list[ev.Event] = []

    def meddle(event: ev.Event) -> None:
        events.append(event)
        if isinstance(event, ev.BatchFinished) and event.batch_no == 3:
            state.clear_values(FIELD)  # what a late DELETE …/values does
            state.contacts["aelter@example.org"].custom[FIELD] = "true"

    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=10, in_flight=1)
        engine = SyncEngine(settings, tmp_path, on_event=meddle)
        report = asyncio.run(engine.run(sync_options()))
    assert report.new == 40
    assert true_set(state) == emails(*range(1, 41))
    repaired = [e for e in events if isinstance(e, ev.Message) and e.key == "marks.repaired"]
    assert len(repaired) == 1 and repaired[0].hint_id == "marks-repaired"
    assert repaired[0].params["missing"] == 30 and repaired[0].params["extra"] == 1


def test_a_clear_that_never_lands_stops_the_run_before_the_upload(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Harsh: the clear is accepted but does not land in time. Nothing is uploaded; the run stops with exit 3,
    its hint and a resumable checkpoint; once the clear has landed, --resume completes with exact marks
    (before, the run uploaded at once and ended "done" while a deletion was still to come)."""
    monkeypatch.setattr(marks, "CLEAR_SETTLE_S", 0.6)
    state = sim_state()
    state.log_requests = True
    state.clear_delay_s = 3600
    account_with_old_marks(state)
    seed_workspace(tmp_path, [person(i) for i in range(1, 21)])
    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=10)
        with pytest.raises(SyncAborted) as caught:
            run_engine(settings, tmp_path)
        failed = caught.value.failed
        assert (failed.hint_id, failed.exit_code, failed.resumable) == ("marks-clear-pending", 3, True)
        assert not state.sync_bodies()  # nothing went up
        clears = [r for r in state.request_log if r.method == "DELETE" and r.path.endswith("/values")]
        assert len(clears) == marks.CLEAR_ATTEMPTS  # sent again only after the first never showed
        assert state.apply_due_clears(all_pending=True) == marks.CLEAR_ATTEMPTS  # now it lands
        resumed = run_engine(settings, tmp_path, sync_options(resume_run_id=failed.run_id))
    assert resumed.report.new == 20
    assert true_set(state) == emails(*range(1, 21))
    assert import_api_true(state) == 20


def marks_step(root: Path, run_id: int) -> dict[str, object]:
    with Workspace.open(root) as ws:
        return ws.journal.steps(run_id)["marks"]


def test_with_our_filter_the_marks_are_counted_and_a_wrong_count_is_read_back(tmp_path: Path) -> None:
    """Once our filter "ImportAPI equals true" exists (a target group made it), the clear is awaited and the marks
    verified by its count after a refresh (a few requests, not a read of every contact); a count that
    disagrees is read back contact by contact and repaired (harsh: a late clear and stale counts)."""
    state = sim_state()
    seed_workspace(tmp_path, [person(i) for i in range(1, 31)])
    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=10, in_flight=1)
        first = run_engine(settings, tmp_path, sync_options(target_group="Newsletter Juli"))
        assert first.report.target_group and first.report.target_group["contact_filter_id"]
        state.clear_delay_s = 1.5
        state.log_requests = True
        second = run_engine(settings, tmp_path)
        assert marks_step(tmp_path, second.report.run_id)["checked"] == "filter-count"
        assert {"marks.clear-waiting", "marks.clear-landed", "marks.verified"} <= set(second.messages())
        assert not [r for r in state.request_log if r.method == "GET" and r.path == "/contacts"
                    and "page_index=2" in r.query]  # no read of every contact
        assert true_set(state) == emails(*range(1, 31))

        state.clear_delay_s = 0.0
        events: list[ev.Event] = []

        def meddle(event: ev.Event) -> None:
            events.append(event)
            if isinstance(event, ev.BatchFinished) and event.batch_no == 2:
                state.clear_values(FIELD)

        report = asyncio.run(SyncEngine(settings, tmp_path, on_event=meddle).run(sync_options()))
    assert marks_step(tmp_path, report.run_id)["checked"] == "read-back"
    assert true_set(state) == emails(*range(1, 31))
    assert any(isinstance(e, ev.Message) and e.key == "marks.repaired" for e in events)


def run_watching_the_pull(root: Path, faults: str) -> tuple[SimState, RunReport, list[str]]:
    """A run of 20 contacts into an account with an old mark, and the requests ("METHOD /path?query") the simulator
    had received when the pull had its answer."""
    state = sim_state()
    account_with_old_marks(state)
    state.log_requests = True
    seed_workspace(root, [person(i) for i in range(1, 21)])
    seen_at_pull: list[list[str]] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.Pulled):
            with state.lock:
                seen_at_pull.append([f"{r.method} {r.path}?{r.query}" for r in state.request_log])

    with running_simulator(state, faults) as url:
        report = asyncio.run(SyncEngine(make_settings(url, batch_size=10), root, on_event=on_event)
                             .run(sync_options()))
    return state, report, seen_at_pull[0]


def test_the_marks_are_looked_at_while_the_unsubscribes_are_pulled(tmp_path: Path) -> None:
    """Issue 27: the reads a clear needs first (our filter by name, who carries the field) go out beside the pull,
    not after it: at 0.2 s an answer they are in the simulator's log before the pull has its answer. The clear
    and the marks come out as before."""
    state, report, seen_at_pull = run_watching_the_pull(tmp_path, "delay=0.2")
    assert "GET /contactfilters" in [r.partition("?")[0] for r in seen_at_pull]
    assert not [r for r in seen_at_pull if not r.startswith("GET ")]  # nothing written before the pull ends
    assert true_set(state) == emails(*range(1, 21))  # the old mark cleared, the run's set
    assert marks_step(tmp_path, report.run_id)["marked"] == 20


def test_a_run_with_nothing_to_send_changes_nothing_in_maileon_however_large_the_account(tmp_path: Path) -> None:
    """The look at the marks is read only: an account large enough for our filter gets none made, and its old
    marks stay, when the run has nobody to send (the upload step would have made the filter and cleared them)."""
    state = sim_state()
    account_with_old_marks(state)
    for i in range(marks.FILTER_WORTH_CONTACTS + 1):
        state.seed_contact(f"k{i}@example.org")
    state.log_requests = True
    seed_workspace(tmp_path, [person(1, status=""), person(2, status="")])
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path)
    assert not [f"{r.method} {r.path}" for r in state.request_log if r.method != "GET"]
    assert not state.filters  # no filter made
    assert true_set(state) == {"aelter@example.org"}
    assert "engine.nothing-selected" in run.messages() or "engine.nothing-to-send" in run.messages()


def test_the_read_back_goes_out_while_the_filter_is_looked_for_again(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 27: an account without our filter is verified by reading the marks back against what the run sent.
    Both the read and the gathering of what the run sent (a tenth of a second at 100,000 contacts) go out while
    the filter is looked for once more after the upload, not after the look has come back; the verification
    comes out as before."""
    from kufertui.sync.internals import upload_step

    state = sim_state()
    state.log_requests = True
    seed_workspace(tmp_path, [person(i) for i in range(1, 21)])
    looked: list[tuple[str, float]] = []
    read_back_at_look_end: list[bool] = []
    real_look, real_expected = upload_step.mark_filter, upload_step.expected_marks

    def read_back_requested() -> bool:
        with state.lock:
            log = [(r.method, r.path, r.query) for r in state.request_log]
        last_post = max(i for i, (method, path, _q) in enumerate(log) if method == "POST" and path == "/contacts")
        return any(method == "GET" and path == "/contacts" and f"custom_field={FIELD}" in query
                   for method, path, query in log[last_post:])

    async def look(*args: object) -> int | None:
        looked.append(("look starts", time.monotonic()))
        try:
            return await real_look(*args)  # type: ignore[arg-type]
        finally:
            looked.append(("look ends", time.monotonic()))
            read_back_at_look_end.append(read_back_requested())

    def expected(*args: object) -> dict[str, set[str]]:
        looked.append(("gathering starts", time.monotonic()))
        return real_expected(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(upload_step, "mark_filter", look)
    monkeypatch.setattr(upload_step, "expected_marks", expected)
    with running_simulator(state, "delay=0.2") as url:
        run = run_engine(make_settings(url, batch_size=10), tmp_path)
    at = dict(looked)
    assert len(looked) == 3 and at["gathering starts"] < at["look ends"]  # one look after the upload, one gathering
    assert read_back_at_look_end == [True]
    assert true_set(state) == emails(*range(1, 21))
    assert marks_step(tmp_path, run.report.run_id)["checked"] == "read-back"
    assert "marks.verified" in run.messages()


def test_who_carries_the_mark_is_read_beside_the_look_for_our_filter(tmp_path: Path) -> None:
    """Issue 27: in an account without our filter (the usual one, under FILTER_WORTH_CONTACTS), who carries the
    mark is read beside the look for the filter, not after its answer: with that answer held 1.5 s, the read is
    in the simulator's log when the pull has its answer. The clear and the marks come out as before."""
    state, report, seen_at_pull = run_watching_the_pull(tmp_path, "delay@GET /contactfilters#1:seconds=1.5")
    assert [r for r in seen_at_pull if r.startswith("GET /contacts?") and f"custom_field={FIELD}" in r]
    assert true_set(state) == emails(*range(1, 21))  # the old mark cleared, the run's set
    assert marks_step(tmp_path, report.run_id)["marked"] == 20
