"""Pre-flight at its edges, end to end: what it must let through and what it must hold back itself
(code "preflight:N") rather than leave to Maileon ("maileon:N"). Written to kill the mutants of
``core/validation.py`` in scripts/mutants.py that the other integration tests let live."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.simulator import running_simulator


def test_preflight_limits_duplicates_addresses_and_dates(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [
        person(1, last_name="L" * 255),                 # exactly the limit: sent
        person(2),
        person(3, email="P00002@VHS-TEST.DE"),          # person 2's address in capitals: a duplicate
        person(4, email="p..4@vhs-test.de"),            # two dots in a row: not an address
        person(5, birthday="1990-13-01"),               # no month 13
        person(6, departments="de_de"),                 # a locale needs its country in capitals
    ])
    mappings = [*default_mappings(), FieldMapping("birthday", "BIRTHDAY"), FieldMapping("departments", "LOCALE")]
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root, sync_options(mappings))
    assert run.report.rejects_by_code == {"preflight:5": 1, "preflight:3": 1, "preflight:17": 1,
                                         "preflight:20": 1}
    assert state.contacts[person(1).email].standard["LASTNAME"] == "L" * 255
    assert sorted(state.contacts) == [person(1).email, person(2).email]

