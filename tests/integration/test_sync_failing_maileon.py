"""A Maileon that keeps failing (every request 503 from some point on) must not hold a run for long:
the single-call phases (objection push, e-mail moves) stop as a whole, resumably, with the rest still
pending; a cancel during such a storm takes effect within seconds. Against the simulator over a socket;
the bounds are on the requests the simulator saw, the clock only with a generous limit."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.config import Settings
from kufertui.core.exitcodes import EXIT_ABORTED, EXIT_UNREACHABLE
from kufertui.maileon.client import MaileonClient
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import LEARNED_RATE_KEY, client_options, learned_rate
from kufertui.sync.engine import SyncAborted, SyncEngine
from kufertui.sync.internals.breaker import STREAK_LIMIT

STORM = "503@*#5+"  # the tester's fault: every request from the 5th on answers 503
OBJECTIONS = 40
CONCURRENCY = 2
RETRIES = 1  # each call: 2 attempts


def quick_client(settings: Settings) -> Callable[[], MaileonClient]:
    """The engine's client with a tiny backoff and one retry, so that a storm costs seconds, not minutes."""
    def make() -> MaileonClient:
        return MaileonClient(replace(client_options(settings), backoff_base_s=0.01, backoff_max_s=0.05,
                                     max_retries=RETRIES, retry_budget_s=30.0))
    return make


def objectors() -> list:
    return [person(i, "N") for i in range(100, 100 + OBJECTIONS)]


def storm_state(objecting: list) -> SimState:
    state = sim_state()
    state.log_requests = True
    for c in objecting:  # subscribed in Maileon: each push really unsubscribes someone
        state.seed_contact(c.email)
    return state


def seen(state: SimState, method: str, prefix: str) -> int:
    return sum(1 for r in state.request_log if r.method == method and r.path.startswith(prefix))


def run(settings: Settings, root: Path, *, resume: int | None = None, cancel: threading.Event | None = None,
        on_event: Callable[[ev.Event], None] | None = None, client: bool = True
        ) -> tuple[ev.Failed | None, list[ev.Event]]:
    events: list[ev.Event] = []

    def sink(e: ev.Event) -> None:
        events.append(e)
        if on_event is not None:
            on_event(e)

    engine = SyncEngine(settings, root, on_event=sink, cancel=cancel,
                        client_factory=quick_client(settings) if client else None)
    try:
        asyncio.run(engine.run(sync_options(resume_run_id=resume)))
    except SyncAborted as exc:
        return exc.failed, events
    return None, events


def forget_rate(root: Path) -> None:
    """The storm taught a slow rate, which the next run starts from; not these tests' subject, only slow."""
    with Workspace.open(root) as ws:
        ws.set_meta(LEARNED_RATE_KEY, "")


def pushed_figures(events: list[ev.Event]) -> tuple[int, int]:
    report = next(e.report for e in events if isinstance(e, ev.Finished))
    return report.objections_pushed, report.objections_not_in_maileon


def test_objection_push_stops_resumably_when_maileon_keeps_failing(tmp_path: Path) -> None:
    objecting = objectors()
    root = tmp_path / "ws"
    seed_workspace(root, [person(i) for i in range(1, 6)] + objecting)
    state = storm_state(objecting)
    with running_simulator(state, STORM) as base_url:
        settings = make_settings(base_url)
        settings.maileon.single_call_concurrency = CONCURRENCY
        failed, events = run(settings, root)
    assert failed is not None and failed.exit_code == EXIT_UNREACHABLE and failed.resumable
    assert failed.key == "engine.maileon-error" and failed.hint_id == "server-error"
    stopped = [e for e in events if isinstance(e, ev.Message) and e.key == "engine.push-stopped"]
    assert stopped and stopped[0].params["count"] == STREAK_LIMIT and stopped[0].hint_id == "server-error"
    # the phase gave up after a few calls: at most the streak plus the calls still in flight, each with its
    # retries, and the (at most 4) requests before the fault; without the stop it tries every objection
    calls = STREAK_LIMIT + CONCURRENCY - 1
    assert seen(state, "DELETE", "/contacts/email/") <= calls * (RETRIES + 1) + 4
    assert seen(state, "POST", "/contacts") == 0  # nothing uploaded after the stop
    with Workspace.open(root) as ws:
        pending = len(ws.ledger.pending_push())
        record = ws.journal.resumable_run()
        assert record is not None and record.id == failed.run_id and record.state == "aborted"
    assert pending >= OBJECTIONS - 2  # only requests 1–4 were answered, and the pull and field list took two
    assert stopped[0].params["pending"] == pending
    assert sum(1 for c in objecting if c.email.lower() in state.contacts) == pending  # still subscribed there

    forget_rate(root)
    with running_simulator(state) as base_url:  # Maileon is back: the resume pushes all of them
        settings = make_settings(base_url)
        again, events = run(settings, root, resume=failed.run_id)
    assert again is None
    assert pushed_figures(events) == (OBJECTIONS, 0)  # the run's figures, both attempts together
    assert not any(c.email.lower() in state.contacts for c in objecting)
    with Workspace.open(root) as ws:
        assert ws.ledger.pending_push() == [] and ws.ledger.push_counts() == {"unsubscribed": OBJECTIONS}


def test_daily_pull_stops_when_maileon_keeps_failing_and_the_next_pull_carries_on(tmp_path: Path) -> None:
    """The cron job (`unsubscribers pull`) does not hold the workspace lock through a storm either."""
    objecting = objectors()
    root = tmp_path / "ws"
    seed_workspace(root, objecting)
    state = storm_state(objecting)
    with running_simulator(state, STORM) as base_url:
        settings = make_settings(base_url)
        settings.maileon.single_call_concurrency = CONCURRENCY
        with pytest.raises(SyncAborted) as stopped:
            asyncio.run(SyncEngine(settings, root, client_factory=quick_client(settings)).run_pull())
    assert stopped.value.failed.exit_code == EXIT_UNREACHABLE and stopped.value.failed.hint_id == "server-error"
    assert seen(state, "DELETE", "/contacts/email/") <= (STREAK_LIMIT + CONCURRENCY - 1) * (RETRIES + 1) + 4
    with Workspace.open(root) as ws:
        assert len(ws.ledger.pending_push()) >= OBJECTIONS - 3
    forget_rate(root)
    with running_simulator(state) as base_url:
        asyncio.run(SyncEngine(make_settings(base_url), root).run_pull())
    with Workspace.open(root) as ws:
        assert ws.ledger.pending_push() == [] and ws.ledger.push_counts() == {"unsubscribed": OBJECTIONS}


def test_cancel_during_a_503_storm_takes_effect_within_seconds(tmp_path: Path) -> None:
    """The engine's own client (real backoff, rate learning): requests wait in retries and for rate slots.
    The storm says Retry-After (overload): only overload teaches the rate (issue 23.5)."""
    objecting = objectors()
    root = tmp_path / "ws"
    seed_workspace(root, [person(i) for i in range(1, 6)] + objecting)
    state = storm_state(objecting)
    cancel = threading.Event()
    asked: list[tuple[float, int]] = []
    cuts = 0

    def on_event(e: ev.Event) -> None:
        nonlocal cuts
        if isinstance(e, ev.Message) and e.key == "engine.rate-learned":
            cuts += 1
            if cuts == 4 and not cancel.is_set():  # deep in the storm: requests sit in backoff and rate waits
                asked.append((time.monotonic(), len(state.request_log)))
                cancel.set()

    with running_simulator(state, STORM + ":retry-after=1") as base_url:
        settings = make_settings(base_url)
        failed, _events = run(settings, root, cancel=cancel, on_event=on_event, client=False)
        took = time.monotonic() - asked[0][0]
        after = len(state.request_log) - asked[0][1]
    assert failed is not None and failed.key == "engine.cancelled" and failed.resumable
    assert failed.exit_code == EXIT_ABORTED
    # a grace of 2 s for the calls in flight, then cut off; before, the calls in flight ran through all
    # their retries (tens of seconds, dozens of requests)
    assert took < 10, f"cancel took {took:.1f} s"
    assert after <= 8, f"{after} requests after the cancel"
    with Workspace.open(root) as ws:
        assert len(ws.ledger.pending_push()) >= OBJECTIONS - 2

    forget_rate(root)
    with running_simulator(state) as base_url:
        again, events = run(make_settings(base_url), root, resume=failed.run_id)
    assert again is None and pushed_figures(events) == (OBJECTIONS, 0)
    assert not any(c.email.lower() in state.contacts for c in objecting)


def change_email(root: Path, person_no: str, new: str) -> None:
    """What a KUFER re-import does when the person's address changed."""
    with Workspace.open(root) as ws:
        ws.conn.execute("UPDATE contacts SET email=?, email_lc=? WHERE person_no=?", (new, new.lower(), person_no))
        ws.conn.commit()


def test_email_moves_stop_resumably_when_maileon_keeps_failing(tmp_path: Path) -> None:
    contacts = [person(i) for i in range(1, 13)]
    movers = contacts[:10]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    state = sim_state()
    state.log_requests = True
    with running_simulator(state) as base_url:
        assert run_engine(make_settings(base_url, batch_size=5), root).report.new == 12
    for i, c in enumerate(movers):
        change_email(root, c.person_no, f"neu{i}@example.org")

    # the upload goes through (code-4 rejects for the movers), every look-up of the KUFER number fails
    with running_simulator(state, "503@GET /contacts/externalid/*") as base_url:
        settings = make_settings(base_url, batch_size=5)
        settings.maileon.single_call_concurrency = CONCURRENCY
        failed, events = run(settings, root)
    assert failed is not None and failed.exit_code == EXIT_UNREACHABLE and failed.resumable
    assert failed.hint_id == "server-error"
    stopped = [e for e in events if isinstance(e, ev.Message) and e.key == "engine.moves-stopped"]
    assert stopped and stopped[0].params["count"] == STREAK_LIMIT
    # without the stop, every one of the ten movers is looked up with its retries
    assert seen(state, "GET", "/contacts/externalid/") <= (STREAK_LIMIT + CONCURRENCY - 1) * (RETRIES + 1)

    forget_rate(root)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=5)
        # the moves are journaled with their batches: the resume performs those the stop left (issue 23)
        again, events = run(settings, root, resume=failed.run_id)
        assert again is None
        report = next(e.report for e in events if isinstance(e, ev.Finished))
        assert report.reconciled and report.rejected_by_maileon == 0 and report.updated == 12
        assert all(f"neu{i}@example.org" in state.contacts for i in range(len(movers)))
        moved = run_engine(settings, root)  # the next run finds them moved
    assert moved.report.updated == 12 and moved.report.rejected_by_maileon == 0
    assert not any(c.email.lower() in state.contacts for c in movers)


def test_a_storm_says_each_learned_rate_once(tmp_path: Path) -> None:
    """Refusals at the floor rate cut it to the same value again and again: one line, not one per cut."""
    seed_workspace(tmp_path / "ws", [person(1)])
    said: list[object] = []

    async def storm() -> None:
        with Workspace.open(tmp_path / "ws") as ws:
            async with MaileonClient(client_options(make_settings("http://sim.invalid/1.0"))) as client, \
                    learned_rate(client, ws, lambda key, *a, **params: said.append(params["rate"])):
                for _ in range(6):
                    client.rate.refused(time.monotonic(), None)
                    await asyncio.sleep(0.01)
    asyncio.run(storm())
    assert said == [0.2]


def test_cancel_while_upload_batches_sit_in_retries_takes_effect_within_seconds(tmp_path: Path) -> None:
    contacts = [person(i) for i in range(1, 61)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    state = sim_state()
    state.log_requests = True
    cancel = threading.Event()
    asked: list[float] = []
    phase = ""

    def on_event(e: ev.Event) -> None:
        nonlocal phase
        if isinstance(e, ev.PhaseStarted):
            phase = e.phase
        if phase == "upload" and isinstance(e, ev.Message) and e.key == "engine.rate-learned" and not asked:
            asked.append(time.monotonic())  # the batches in flight now wait for their retries
            cancel.set()

    # the first batch goes through; Retry-After: overload, which teaches the rate (an outage would not)
    with running_simulator(state, "503@POST /contacts#2+:retry-after=1") as base_url:
        settings = make_settings(base_url, batch_size=5, in_flight=2)
        failed, _events = run(settings, root, cancel=cancel, on_event=on_event, client=False)
        took = time.monotonic() - asked[0]
    assert failed is not None and failed.key == "engine.cancelled" and failed.exit_code == EXIT_ABORTED
    assert took < 10, f"cancel took {took:.1f} s"

    forget_rate(root)
    with running_simulator(state) as base_url:
        again, events = run(make_settings(base_url, batch_size=5, in_flight=2), root, resume=failed.run_id)
    assert again is None
    report = next(e.report for e in events if isinstance(e, ev.Finished))
    assert report.reconciled and report.new == 60
