"""A recipient's unsubscribe in Maileon comes back as N, goes to KUFER, and is never uploaded again,
even after Maileon's retention window has deleted the report entry (the ledger remembers)."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import (
    RecordingTransport,
    make_settings,
    person,
    read_semicolon_csv,
    run_engine,
    seed_workspace,
    set_status,
    sim_state,
    statuses,
)

from kufertui.simulator import running_simulator
from kufertui.store import Workspace


def test_unsubscribe_is_pulled_written_back_and_never_uploaded_again(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 41)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    leaver = contacts[6]
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=10)
        first = run_engine(settings, root)
        assert first.report.new == 40 and first.report.reconciled

        assert state.recipient_unsubscribes(leaver.email, source="link")
        rec = RecordingTransport()
        second = run_engine(settings, root, transport=rec)
        r = second.report
        assert r.unsubscribes_pulled == 1 and r.unsubscribed_now == 1 and r.written_back == 1
        assert r.updated == 39 and r.new == 0 and r.reconciled
        assert statuses(root)[leaver.email] == "N"
        assert leaver.email.encode() not in rec.sync_bodies()
        assert rec.count("DELETE", "/contacts/email/") == 0  # pulled from Maileon: never pushed back

        assert r.writeback_file is not None
        rows = read_semicolon_csv(Path(r.writeback_file))
        assert rows[0][:2] == ["E-Mail", "TNR"]
        assert [row[:3] for row in rows[1:]] == [[leaver.email, leaver.person_no, "N"]]

        # Maileon forgets the report entry after its retention window (14 days; pessimistic reading)
        state.retention_mode = "delete"
        state.clock.advance(days=15)
        assert state.visible_unsubscriptions() == []
        # worst case: the KUFER side says J again (e.g. a rebuilt workspace); the ledger still holds
        set_status(root, [leaver.email], "J")
        rec = RecordingTransport()
        third = run_engine(settings, root, transport=rec)
        r3 = third.report
        assert leaver.email.encode() not in rec.sync_bodies()
        assert r3.suppressed_by_ledger == 1 and r3.written_back == 0 and r3.reconciled
        assert r3.updated == 39
        assert leaver.email.lower() not in state.contacts  # never re-created in Maileon
        with Workspace.open(root) as ws:
            assert ws.ledger.contains(leaver.email)
            outcome = {o.email: o for o in ws.journal.outcomes(r3.run_id)}[leaver.email]
            assert outcome.outcome == "suppressed"

        # and with the workspace N as it should be, the next run keeps it N and unsent
        set_status(root, [leaver.email], "N")
        rec = RecordingTransport()
        fourth = run_engine(settings, root, transport=rec)
        assert leaver.email.encode() not in rec.sync_bodies()
        assert statuses(root)[leaver.email] == "N"
        assert rec.count("DELETE", "/contacts/email/") == 0  # an N set by hand is not pushed either
        assert fourth.report.selected == 39 and fourth.report.reconciled
        assert leaver.email.lower() not in state.contacts
