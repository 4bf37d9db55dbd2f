"""Issue 13, item 3: an address changed in KUFER moves the contact in Maileon (by the KUFER number, our
external id) instead of leaving the old address subscribed; ambiguous cases change nothing and are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_helpers import (
    RecordingTransport,
    make_settings,
    person,
    run_engine,
    seed_workspace,
    sim_state,
    sync_options,
)

from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev


def change_email(root: Path, person_no: str, new: str) -> None:
    """What a KUFER re-import does when the person's address changed."""
    with Workspace.open(root) as ws:
        ws.conn.execute("UPDATE contacts SET email=?, email_lc=? WHERE person_no=?", (new, new.lower(), person_no))
        ws.conn.commit()


def test_changed_email_moves_the_contact_and_ambiguous_ones_are_reported(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 7)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    mover, taken, shared = contacts[1], contacts[2], contacts[3]
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=3)
        assert run_engine(settings, root).report.new == 6
        state.seed_contact("schon-da@example.org")  # the address `taken` moves to is another contact's
        state.seed_contact("zwilling@example.org", external_id=shared.person_no)  # two with one KUFER number
        change_email(root, mover.person_no, "neu.adresse@example.org")
        change_email(root, taken.person_no, "schon-da@example.org")
        change_email(root, shared.person_no, "noch-neuer@example.org")

        dry = run_engine(settings, root, sync_options(dry_run=True))
        assert dry.report.dry_run_export is not None
        rows = json.loads(Path(dry.report.dry_run_export).with_suffix(".json").read_text(encoding="utf-8"))
        by_email = {r["email"]: r for r in rows}
        assert by_email["neu.adresse@example.org"]["outcome"] == "would-move"
        assert by_email["neu.adresse@example.org"]["detail"] == mover.email
        assert by_email["noch-neuer@example.org"]["outcome"] == "move-conflict"
        assert state.contacts.get(mover.email) is not None  # a dry run changes nothing

        rec = RecordingTransport()
        run = run_engine(settings, root, transport=rec)
    r = run.report
    moved = state.contacts.get("neu.adresse@example.org")
    assert moved is not None and moved.external_id == mover.person_no
    assert mover.email not in state.contacts  # the old address no longer gets the newsletter
    assert moved.custom.get("ImportAPI") == "true"  # marked like every contact of the run
    assert rec.count("GET", "/contacts/externalid/") == 3  # who holds the number: checked, not guessed
    # issue 25 item 2: moved the documented way, by the old address, after looking the new one up in Maileon
    assert rec.count("PUT", "/contacts/externalid/") == 0
    puts = [q for q in rec.requests if q.method == "PUT"]
    assert [q.path for q in puts] == [f"/contacts/email/{mover.email}"]
    assert "permission" not in puts[0].query  # Maileon keeps the permission it holds
    looked_up = [q.path for q in rec.requests if q.method == "GET" and q.path.startswith("/contacts/email/")]
    assert sorted(looked_up) == ["/contacts/email/neu.adresse@example.org",  # before the move ...
                                 "/contacts/email/neu.adresse@example.org",  # ... and read back after it
                                 "/contacts/email/neu.adresse@example.org/unsubscription",
                                 "/contacts/email/schon-da@example.org"]
    # nothing guessed: the address that is someone else's, and the KUFER number held twice, stay as they were
    assert state.contacts["schon-da@example.org"].external_id is None
    assert shared.email in state.contacts and "noch-neuer@example.org" not in state.contacts
    assert taken.email in state.contacts  # the old contact of the refused move is untouched
    assert r.updated == 4 and r.new == 0 and r.rejected_by_maileon == 2  # the move counts as updated
    assert r.rejects_by_code == {"email-move-conflict": 1, "email-move-target-exists": 1} and r.reconciled
    said = {e.key: e for e in run.events if isinstance(e, ev.Message)}
    assert said["engine.emails-moved"].params["count"] == 1
    assert said["engine.email-move-conflict"].hint_id == "email-move-conflict"
    known = said["engine.email-move-target-known"]
    assert known.hint_id == "email-move-target-exists"
    assert known.params["emails"] == f"{taken.email} → schon-da@example.org"  # both addresses named


def test_a_move_keeps_the_permission_maileon_holds(tmp_path: Path) -> None:
    """Issue 25 item 2: no permission goes with a move. The old contact is at "none" (1) in Maileon, say its
    DOI is still pending; the move by the old address must not grant it the run's DOI (4), which the
    simulator's update reads as an overwrite (PHP docblock: "it will be overwritten")."""
    state = sim_state()
    contacts = [person(1), person(2)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    mover = contacts[0]
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)
        state.contacts[mover.email].permission = 1
        change_email(root, mover.person_no, "erstens.neu@example.org")
        run = run_engine(settings, root)
    moved = state.contacts["erstens.neu@example.org"]
    assert moved.permission == 1 and moved.external_id == mover.person_no
    assert run.report.updated == 2 and run.report.reconciled


@pytest.mark.parametrize("marker_first", [True, False], ids=["marker-before-code4", "code4-before-marker"])
def test_no_move_onto_an_address_unsubscribed_in_maileon(marker_first: bool, tmp_path: Path) -> None:
    """The new address carries Maileon's unsubscription marker (it unsubscribed, or is blocked). Whichever
    order Maileon checks marker and external id in, the contact is not moved onto it and nobody is mailed
    there; when code 4 comes first, the move looks the marker up and reports both addresses."""
    state = sim_state()
    state.marker_before_code4 = marker_first
    contacts = [person(1), person(2)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    mover = contacts[0]
    new = "abgemeldet@example.org"
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)
        state.markers.add(new)  # unsubscribed there long ago, under this address
        change_email(root, mover.person_no, new)
        dry = run_engine(settings, root, sync_options(dry_run=True))
        run = run_engine(settings, root)
    # the dry run says what the real run does: no move onto the marked address (it said "would move")
    rows = json.loads(Path(dry.report.dry_run_export or "").with_suffix(".json").read_text(encoding="utf-8"))
    row = next(r for r in rows if r["email"] == new)
    assert (row["outcome"], row["code"], row["detail"]) == ("invalid", "email-move-target-unsubscribed",
                                                            f"{mover.email} → {new}")
    assert new not in state.contacts  # never an active contact under the marked address
    assert state.contacts[mover.email].external_id == mover.person_no  # the old contact is as it was
    r = run.report
    assert r.reconciled and r.updated == 1
    if marker_first:  # Maileon skipped it as unsubscribed: no code 4, nothing to move
        assert r.skipped_unsubscribed_in_maileon == 1
    else:
        assert r.rejects_by_code == {"email-move-target-unsubscribed": 1}
        said = {e.key: e for e in run.events if isinstance(e, ev.Message)}
        assert said["engine.email-move-target-known"].hint_id == "email-move-target-unsubscribed"
        assert said["engine.email-move-target-known"].params["emails"] == f"{mover.email} → {new}"
