"""Issue 23 item 2 / issue 25 item 1: a KUFER objection (N) reaches the person in Maileon, not only the
current address: by the KUFER number when we sent it as external id, and by every address we ever sent for
the person. "Not in Maileon" only when none of them exists, and such persons are checked again later."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sync_helpers import (
    RecordingTransport,
    make_settings,
    person,
    run_engine,
    seed_workspace,
    set_status,
    sim_state,
    sync_options,
)

from kufertui.simulator import running_simulator
from kufertui.store import Workspace


def change_email(root: Path, person_no: str, new: str) -> None:
    with Workspace.open(root) as ws:
        ws.conn.execute("UPDATE contacts SET email=?, email_lc=? WHERE person_no=?", (new, new.lower(), person_no))
        ws.conn.commit()


def unsubscribe_calls(rec: RecordingTransport) -> list[str]:
    return [r.path for r in rec.requests if r.method == "DELETE" and r.path.endswith("/unsubscribe")]


def test_objection_with_a_new_address_unsubscribes_the_old_contact_by_number(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    objector, keeper = person(1873), person(2)
    seed_workspace(root, [objector, keeper])
    new_address = "neu.1873@example.org"
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)  # the old address goes to Maileon with the number
        assert state.contacts[objector.email].permission == 4
        change_email(root, objector.person_no, new_address)  # the same export: a new address ...
        set_status(root, [new_address], "N")  # ... and an objection
        dry = run_engine(settings, root, sync_options(dry_run=True))  # the preview says what the run will do
        rows = json.loads(Path(dry.report.dry_run_export or "").with_suffix(".json").read_text(encoding="utf-8"))
        assert [r["outcome"] for r in rows if r["email"] == new_address] == ["would-unsubscribe"]
        rec = RecordingTransport()
        run = run_engine(settings, root, transport=rec)
    calls = unsubscribe_calls(rec)
    assert f"/contacts/externalid/{objector.person_no}/unsubscribe" in calls  # by the number we sent
    assert f"/contacts/email/{objector.email}/unsubscribe" in calls  # and every address we sent
    assert f"/contacts/email/{new_address}/unsubscribe" in calls
    assert objector.email not in state.contacts and objector.email in state.markers  # not mailed any more
    assert not [c for c in state.contacts.values() if c.external_id == objector.person_no]
    assert run.report.objections_pushed == 1 and run.report.objections_not_in_maileon == 0
    assert keeper.email in state.contacts
    with Workspace.open(root) as ws:
        assert ws.ledger.push_counts() == {"unsubscribed": 1}


def test_an_address_we_sent_is_found_when_maileon_lost_the_number(tmp_path: Path) -> None:
    """By every address we ever sent: the contact under the old address no longer carries the KUFER number
    (edited in Maileon, say), so the call by number finds nothing, the call by that address does."""
    state = sim_state()
    root = tmp_path / "ws"
    objector = person(7)
    seed_workspace(root, [objector])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)
        with state.lock:
            state.contacts[objector.email].external_id = None
            state.eid_generation += 1
        change_email(root, objector.person_no, "sieben.neu@example.org")
        set_status(root, ["sieben.neu@example.org"], "N")
        run = run_engine(settings, root)
    assert objector.email not in state.contacts and objector.email in state.markers
    assert run.report.objections_pushed == 1 and run.report.objections_not_in_maileon == 0


def test_not_in_maileon_is_checked_again_by_a_later_run(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    never = person(50, "N")  # N in KUFER, unknown in Maileon
    seed_workspace(root, [never, person(1)])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        first = run_engine(settings, root)
        assert first.report.objections_not_in_maileon == 1
        # later Maileon gets a contact under that address (a sign-up form, another import)
        state.seed_contact(never.email, external_id=never.person_no)

        rec = RecordingTransport()
        run_engine(settings, root, transport=rec)  # the next day: not due yet, costs nothing
        assert unsubscribe_calls(rec) == []
        assert never.email in state.contacts

        with Workspace.open(root) as ws:  # a week later
            week_ago = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
            ws.conn.execute("UPDATE ledger SET recheck_at=? WHERE email_lc=?", (week_ago, never.email))
            ws.conn.commit()
        rec = RecordingTransport()
        later = run_engine(settings, root, transport=rec)
    assert unsubscribe_calls(rec) == [f"/contacts/email/{never.email}/unsubscribe"]
    assert never.email not in state.contacts and never.email in state.markers
    assert later.report.objections_pushed == 1 and later.report.objections_not_in_maileon == 0
    with Workspace.open(root) as ws:
        assert ws.ledger.push_counts() == {"unsubscribed": 1}
