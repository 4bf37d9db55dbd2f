"""Issue 17.1: the write-back file is for KUFER, which matches on the address and the KUFER number.
Valid addresses beginning with + - = go out byte-exact, and the number comes from the workspace when
Maileon's report entry carries no external id."""

from __future__ import annotations

import re
from pathlib import Path

from sync_helpers import make_settings, person, read_semicolon_csv, run_engine, seed_workspace, sim_state

from kufertui.simulator import running_simulator

LEAVERS = {"+news@example.org": "4711", "-info@example.org": "4712", "=team@example.org": "4713"}


def test_formula_like_addresses_and_their_numbers_reach_kufer_exactly(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    contacts = [person(i) for i in range(1, 6)]
    contacts += [person(0, email=email, person_no=tnr) for email, tnr in LEAVERS.items()]
    seed_workspace(root, contacts)
    state = sim_state()
    for email in LEAVERS:
        state.seed_contact(email)  # known to Maileon without an external id (e.g. a web form sign-up)
        assert state.recipient_unsubscribes(email)
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root)
    assert run.report.unsubscribes_pulled == 3 and run.report.written_back == 3
    path = Path(run.report.writeback_file or "")
    raw = path.read_bytes().decode("utf-8-sig")
    for email, tnr in LEAVERS.items():
        assert re.search(rf"(?m)^{re.escape(email)};{tnr};N;", raw), raw
    rows = read_semicolon_csv(path)
    assert sorted(row[:3] for row in rows[1:]) == sorted([e, t, "N"] for e, t in LEAVERS.items())
    assert all(not row[4].startswith(("=", "+", "-", "@")) for row in rows[1:])  # free text stays inert


def test_number_from_the_workspace_only_when_it_is_unambiguous(tmp_path: Path) -> None:
    from kufertui.store import Workspace

    root = tmp_path / "ws"
    seed_workspace(root, [person(1, email="one@example.org", person_no="11"),
                          person(2, email="twice@example.org", person_no="21"),
                          person(3, email="Twice@Example.org", person_no="22"),
                          person(4, email="none@example.org", person_no=None)])
    with Workspace.open(root) as ws:
        assert ws.contacts.person_no_of("ONE@example.org") == "11"
        assert ws.contacts.person_no_of("twice@example.org") is None  # two people share it: no guess
        assert ws.contacts.person_no_of("none@example.org") is None
        assert ws.contacts.person_no_of("unknown@example.org") is None
