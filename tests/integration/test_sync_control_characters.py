"""A contact whose name holds a control character (imported before the import replaced them) cannot
be written as XML: pre-flight holds it back with its own cause, and the rest of the run goes on."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state

from kufertui.messages.hints import HINTS_BY_ID, hint_id_for_code
from kufertui.simulator import running_simulator
from kufertui.store import Workspace


def test_control_character_holds_back_one_contact_not_the_run(tmp_path: Path) -> None:
    people = [person(i) for i in range(1, 8)]
    people[3].first_name = "Jo\x0brg"  # Excel's line break inside a cell
    seed_workspace(tmp_path / "ws", people)  # straight into the workspace, as an older version stored it
    state = sim_state()
    with running_simulator(state) as base_url:
        report = run_engine(make_settings(base_url, batch_size=3), tmp_path / "ws").report
    assert report.reconciled
    assert report.new == 6 and report.rejected_preflight == 1
    assert report.rejects_by_code == {"control-characters": 1}
    assert people[3].email.lower() not in state.contacts
    assert hint_id_for_code("control-characters") in HINTS_BY_ID
    with Workspace.open(tmp_path / "ws") as ws:
        held = ws.journal.outcomes(report.run_id, "rejected")
        assert [o.email for o in held] == [people[3].email]
