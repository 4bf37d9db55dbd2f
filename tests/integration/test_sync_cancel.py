"""Cancel in every phase (issue 16, bug 1): the run stops within seconds as a resumable stop, with
the figures so far in the journal, and the resumed run finishes it."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
import pytest
from sync_helpers import make_settings, person, seed_workspace, sim_state, sync_options

from kufertui.core.exitcodes import EXIT_ABORTED
from kufertui.simulator import create_app
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.engine import SyncAborted, SyncEngine

SLOW = {  # phase → a fault that makes it last long enough to cancel in
    "pull": "delay@GET /reports/unsubscriptions:seconds=20",
    "push": "delay@DELETE /contacts/email/*:seconds=0.5",
    "preflight": None,
    "upload": "delay@POST /contacts:seconds=0.3",
}


@pytest.mark.parametrize("phase", list(SLOW))
def test_cancel_stops_the_phase_within_seconds_and_the_resume_finishes(phase: str, tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 201)] + [person(i, "N") for i in range(201, 221)]
    for c in contacts[195:]:
        state.seed_contact(c.email)
    assert state.recipient_unsubscribes(contacts[196].email)
    settings = make_settings("http://sim.invalid/1.0", batch_size=10, in_flight=2)
    seed_workspace(tmp_path, contacts)
    cancel = threading.Event()
    asked: list[float] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.PhaseStarted) and event.phase == phase and not cancel.is_set():
            asked.append(time.monotonic())
            cancel.set()  # what Esc → "Ja" does on the Upload screen

    engine = SyncEngine(settings, tmp_path, on_event=on_event, cancel=cancel,
                        transport=httpx.ASGITransport(app=create_app(state, SLOW[phase])))
    with pytest.raises(SyncAborted) as stopped:
        asyncio.run(engine.run(sync_options()))
    took = time.monotonic() - asked[0]
    failed = stopped.value.failed
    assert failed.key == "engine.cancelled" and failed.resumable and failed.exit_code == EXIT_ABORTED
    assert took < 3, f"cancel in {phase} took {took:.1f} s"
    with Workspace.open(tmp_path) as ws:
        record = ws.journal.resumable_run()
        assert record is not None and record.id == failed.run_id and record.state == "aborted"
        assert record.counts["selected"] == 200  # the figures so far: the selection is the run's from its start
        assert record.error == {"key": "engine.cancelled", "params": {"run": failed.run_id}}

    resumed = SyncEngine(settings, tmp_path, transport=httpx.ASGITransport(app=create_app(state)))
    report = asyncio.run(resumed.run(sync_options(resume_run_id=failed.run_id)))
    assert report.reconciled and report.selected == 200 and report.unsubscribed_now == 1
    assert report.unsubscribes_pulled == 1 and report.objections_pushed + report.objections_not_in_maileon == 20
