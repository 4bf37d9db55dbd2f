"""Pre-flight at its edges, end to end: what it must let through and what it must hold back itself
(code "preflight:N") rather than leave to Maileon ("maileon:N"). Written to kill the mutants of
``core/validation.py`` in scripts/mutants.py that the other integration tests let live."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.simulator import running_simulator


def test_preflight_length_limit_and_duplicate_in_capitals(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [
        person(1, last_name="L" * 255),                 # exactly the limit: sent
        person(2),
        person(3, email="P00002@VHS-TEST.DE"),          # person 2's address in capitals: a duplicate
    ])
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root, sync_options())
    assert run.report.rejects_by_code == {"preflight:5": 1}
    assert state.contacts[person(1).email].standard["LASTNAME"] == "L" * 255
    assert sorted(state.contacts) == [person(1).email, person(2).email]


def test_preflight_holds_back_a_custom_field_maileon_lacks(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [person(1, departments="Sprachen"), person(2)])
    mappings = [*default_mappings(), FieldMapping("departments", "Fachbereiche", True, {})]
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root, sync_options(mappings))
    assert run.report.rejects_by_code == {"preflight:21": 2}
    assert state.contacts == {}
