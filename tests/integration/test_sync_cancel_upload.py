"""Cancel during the upload: the batches in flight finish, no further batch is sent – also none that was
already built and waiting (they went out one after the other, up to the end, while the run said "aborted")."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from sync_helpers import make_settings, person, seed_workspace, sim_state, sync_options

from kufertui.simulator import running_simulator
from kufertui.simulator.faults import parse_faults
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.engine import SyncAborted, SyncEngine

IN_FLIGHT = 2


def test_cancel_sends_no_batch_after_those_in_flight(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [person(i) for i in range(1, 161)])  # 16 batches of 10
    cancel = threading.Event()
    finished_before_cancel: list[int] = []

    def on_event(event: ev.Event) -> None:
        if isinstance(event, ev.BatchFinished) and not cancel.is_set():
            finished_before_cancel.append(event.batch_no)
            cancel.set()  # the admin presses Escape as the first batch is confirmed

    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.2")) as url:
        engine = SyncEngine(make_settings(url, batch_size=10, in_flight=IN_FLIGHT), root, on_event=on_event,
                            cancel=cancel)
        with pytest.raises(SyncAborted) as info:
            asyncio.run(engine.run(sync_options()))
    assert info.value.failed.resumable
    with Workspace.open(root) as ws:
        run = ws.journal.runs(1)[0]
        done = [no for no, st, *_ in ws.journal.batches(run.id) if st == "done"]
    assert run.state == "aborted"
    # the first batch and the others in flight with it; never one started after the cancel
    assert len(done) <= len(finished_before_cancel) + IN_FLIGHT - 1, done
    assert len(state.contacts) == 10 * len(done)
