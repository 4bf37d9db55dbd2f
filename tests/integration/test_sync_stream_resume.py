"""Pre-flight streams into the upload: a run stopped while planning is still under way leaves
planned-but-unsent batches and contacts never planned. ``--resume`` sends the former, plans the
latter, and ends exactly where an uninterrupted run ends."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_snapshot, sim_state, sync_options

from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.engine import SyncAborted, SyncEngine


def _contacts() -> list:
    people = [person(i, "K" if i % 3 == 0 else "J") for i in range(1, 401)]
    people[17].email = "kaputt@@vhs-test.de"  # held back by pre-flight
    people[250].email = people[249].email.upper()  # a duplicate e-mail: the second one is rejected
    return people


def test_run_stopped_while_planning_resumes_to_the_state_of_an_uninterrupted_run(tmp_path: Path) -> None:
    clean_state = sim_state()
    seed_workspace(tmp_path / "clean", _contacts())
    with running_simulator(clean_state) as base_url:
        clean = run_engine(make_settings(base_url, batch_size=20, in_flight=2), tmp_path / "clean").report

    state = sim_state()
    root = tmp_path / "stopped"
    seed_workspace(root, _contacts())
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=20, in_flight=2)
        cancel = threading.Event()

        def stop_when_upload_starts(event: ev.Event) -> None:
            # the field step comes right after the first batch is journaled: stop planning there
            if isinstance(event, ev.PhaseStarted) and event.phase == "fields":
                cancel.set()

        engine = SyncEngine(settings, root, on_event=stop_when_upload_starts, cancel=cancel)
        with pytest.raises(SyncAborted) as stopped:
            asyncio.run(engine.run(sync_options()))
        run_id = stopped.value.failed.run_id
        assert stopped.value.failed.resumable and run_id is not None
        with Workspace.open(root) as ws:
            planned_keys = {o.contact_key for o in ws.journal.outcomes(run_id)}
            assert 0 < len(planned_keys) < 400, "the stop must come before every contact was planned"
            assert not ws.journal.run(run_id).options.get("planned")

        resumed = run_engine(settings, root, sync_options(resume_run_id=run_id)).report

    assert resumed.reconciled, resumed.missing
    assert resumed.selected == clean.selected == 400
    for figure in ("new", "updated", "rejected_preflight", "rejected_by_maileon", "held_legal"):
        assert getattr(resumed, figure) == getattr(clean, figure), figure
    assert sim_snapshot(state) == sim_snapshot(clean_state)
    with Workspace.open(root) as ws:
        outcomes = ws.journal.outcomes(run_id)
        assert len(outcomes) == len({o.contact_key for o in outcomes}) == 400  # every contact once
        assert not [o for o in outcomes if o.outcome == "planned"]
        batch_numbers = [no for no, *_ in ws.journal.batches(run_id)]
        assert batch_numbers == sorted(set(batch_numbers))  # the resumed plan continued the numbering
        assert ws.journal.run(run_id).options.get("planned") is True
