"""Issue 13, item 4: unsubscribes that Maileon has already anonymised (no e-mail, external id and contact
id kept) still reach KUFER when we can tell who it was; the rest are counted and shown with a hint."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sync_helpers import (
    API_KEY,
    make_settings,
    person,
    read_semicolon_csv,
    run_engine,
    seed_workspace,
    sim_state,
    statuses,
)

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.unsubscribes import WATERMARK_KEY, pull_unsubscribes


def unsubscribed_long_ago(state: SimState, email: str, days: float) -> None:
    """A recipient unsubscribed ``days`` ago (the simulator's clock goes back, then forward again)."""
    state.clock.advance(days=-days)
    assert state.recipient_unsubscribes(email)
    state.clock.advance(days=days)


def test_anonymised_unsubscribe_is_matched_by_kufer_number_and_written_back(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 6)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    leaver, stranger_email = contacts[2], "stranger@example.org"
    # uploaded earlier (by the vendor module, say) with the KUFER number as external id
    for c in contacts:
        state.seed_contact(c.email, external_id=c.person_no)
    state.seed_contact(stranger_email, external_id="99999")  # not one of ours
    unsubscribed_long_ago(state, leaver.email, 20)
    unsubscribed_long_ago(state, stranger_email, 18)
    assert all(u.email is None for u in state.visible_unsubscriptions())  # past the 14 days: anonymised

    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root)
    r = run.report
    assert r.unsubscribes_pulled == 1 and r.written_back == 1
    assert statuses(root)[leaver.email] == "N"
    with Workspace.open(root) as ws:
        assert ws.ledger.contains(leaver.email)
    assert r.writeback_file is not None
    rows = read_semicolon_csv(Path(r.writeback_file))
    assert [row[:3] for row in rows[1:]] == [[leaver.email, leaver.person_no, "N"]]
    messages = [e for e in run.events if isinstance(e, ev.Message)]
    unmatched = [m for m in messages if m.key == "engine.anonymised-unmatched"]
    assert len(unmatched) == 1 and unmatched[0].hint_id == "unsub-anonymised-unmatched"
    assert unmatched[0].params["count"] == 1 and "99999" in unmatched[0].params["ids"]
    assert any(m.key == "engine.anonymised-matched" and m.params["count"] == 1 for m in messages)


def test_deleted_entries_are_the_pessimistic_reading(tmp_path: Path) -> None:
    """With retention deleting entries (the simulator's option), nothing can be recovered: no N."""
    state = sim_state()
    state.retention_mode = "delete"
    leaver = person(1)
    root = tmp_path / "ws"
    seed_workspace(root, [leaver])
    state.seed_contact(leaver.email, external_id=leaver.person_no)
    unsubscribed_long_ago(state, leaver.email, 20)
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root)
    assert run.report.unsubscribes_pulled == 0 and statuses(root)[leaver.email] == "J"


def test_entry_seen_with_email_then_anonymised_is_recognised_by_contact_id(tmp_path: Path) -> None:
    """A contact sent without a KUFER number: only the contact id recorded by the earlier pull ties the
    anonymised entry to it, so it is not reported as unmatched."""
    state = sim_state()
    no_number = person(1, person_no=None)
    root = tmp_path / "ws"
    seed_workspace(root, [no_number])
    state.seed_contact(no_number.email)
    unsubscribed_long_ago(state, no_number.email, 13)

    async def pull() -> tuple[int, list[str], int]:
        with running_simulator(state) as base_url:
            async with MaileonClient(ClientOptions(api_key=API_KEY, base_url=base_url)) as client:
                with Workspace.open(root) as ws:
                    result = await pull_unsubscribes(client, ws)
                    ws.set_meta(WATERMARK_KEY, "0")  # the next pull reads the whole report again
                    return result.anonymised_matched, result.unmatched, len(result.new)

    assert asyncio.run(pull()) == (0, [], 1)  # still with e-mail
    state.clock.advance(days=2)
    assert asyncio.run(pull()) == (1, [], 0)  # anonymised now, recognised by contact id, nothing new
    assert statuses(root)[no_number.email] == "N"
