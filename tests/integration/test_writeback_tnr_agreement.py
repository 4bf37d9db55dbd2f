"""A write-back carries a KUFER number only where the workspace agrees: Maileon's external id of an address
that no contact here carries with that number would let KUFER's import set the wrong person to N."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import make_settings, person, read_semicolon_csv, run_engine, seed_workspace, sim_state

from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.unsubscribes import writeback_numbers


def test_maileon_external_id_of_another_person_is_not_written_back(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    owner, agreed, renumbered = person(1), person(2), person(3)
    seed_workspace(root, [owner, agreed, renumbered])
    stranger = "mfischer0@outlook.de"  # in Maileon with the number of `owner`, unknown here
    state.seed_contact(stranger, external_id=owner.person_no)
    state.seed_contact(agreed.email, external_id=agreed.person_no)
    state.seed_contact(renumbered.email, external_id="55555")  # Maileon's number is old; ours is known
    state.seed_contact("nobody@example.org")  # no external id at all
    for email in (stranger, agreed.email, renumbered.email, "nobody@example.org"):
        assert state.recipient_unsubscribes(email)

    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root)

    r = run.report
    assert r.written_back == 4 and r.writeback_file is not None
    rows = {row[0]: row[1] for row in read_semicolon_csv(Path(r.writeback_file))[1:]}
    assert rows == {stranger: "", agreed.email: agreed.person_no, renumbered.email: renumbered.person_no,
                    "nobody@example.org": ""}
    assert r.writeback_tnr_withheld == 1 and r.to_json()["writeback_tnr_withheld"] == 1
    warned = [e for e in run.events if isinstance(e, ev.Message) and e.key == "engine.writeback-tnr-withheld"]
    assert len(warned) == 1 and warned[0].hint_id == "writeback-tnr-withheld"
    assert warned[0].params == {"count": 1, "numbers": owner.person_no}
    with Workspace.open(root) as ws:  # the owner of the number was not touched
        assert {c.email: c.status.value for _, c in ws.contacts.iter_contacts()}[owner.email] == "J"


def test_numbers_follow_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    a, b = person(1), person(2)
    seed_workspace(root, [a, b])
    with Workspace.open(root) as ws:
        numbers, withheld = writeback_numbers(ws, [
            (a.email.upper(), a.person_no),  # agrees (e-mail case does not matter)
            (b.email, None),  # no number from Maileon: ours
            ("x@example.org", b.person_no),  # b's number on another address: left out
            ("y@example.org", "424242"),  # a number nobody here has: left out
            ("z@example.org", None),  # nothing known: empty, nothing to report
        ])
    assert numbers == [a.person_no, b.person_no, None, None, None]
    assert withheld == [b.person_no, "424242"]
