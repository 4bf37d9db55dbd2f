"""Issue 23 item 1 (DESIGN §8): an unsubscribe is the person's decision, not the address's. When Maileon's
entry carries a KUFER number we sent with that very address (the journal proves the pair), the person is
opted out by number: on the ledger, N in the workspace whatever the address is now, written back with the
number, and never uploaded again under any address; an import does not lift it, an explicit re-consent does.
Entries whose pair we never sent keep the cautious behaviour (number withheld, nobody set N by number)."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import (
    RecordingTransport,
    make_settings,
    person,
    read_semicolon_csv,
    run_engine,
    seed_workspace,
    sim_state,
)

from kufertui.core.contact import Status
from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev


def change_email(root: Path, person_no: str, new: str) -> None:
    """What a KUFER re-import does when the person's address changed."""
    with Workspace.open(root) as ws:
        ws.conn.execute("UPDATE contacts SET email=?, email_lc=? WHERE person_no=?", (new, new.lower(), person_no))
        ws.conn.commit()


def status_of(root: Path, person_no: str) -> str:
    with Workspace.open(root) as ws:
        return next(c.status.value for _, c in ws.contacts.iter_contacts() if c.person_no == person_no)


def test_unsubscribed_under_the_old_address_opts_the_person_out_under_every_address(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    anna = person(978, email="anna.becker.978@vhs-test.de")
    others = [person(i) for i in range(1, 5)]
    seed_workspace(root, [anna, *others])
    new_address = "anna.becker.978.neu8@vhs-test.de"
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        assert run_engine(settings, root).report.new == 5  # days 1–7: the old address, with her number
        assert state.recipient_unsubscribes(anna.email)  # day 8: she unsubscribes (the entry names 100978)
        change_email(root, anna.person_no, new_address)  # ... and KUFER's export has her new address

        rec = RecordingTransport()
        day8 = run_engine(settings, root, transport=rec)
        assert new_address.lower() not in state.contacts  # not created under the new address
        assert new_address.encode() not in rec.sync_bodies()
        assert f"<external_id>{anna.person_no}</external_id>".encode() not in rec.sync_bodies()
        r = day8.report
        assert r.unsubscribed_now == 1 and r.unsubscribes == 1 and r.reconciled
        assert r.written_back == 1 and r.writeback_tnr_withheld == 0
        rows = read_semicolon_csv(Path(r.writeback_file or ""))[1:]
        assert [(row[0], row[1]) for row in rows] == [(anna.email, anna.person_no)]  # by number, not withheld
        said = [e for e in day8.events if isinstance(e, ev.Message) and e.key == "engine.persons-opted-out"]
        assert len(said) == 1 and said[0].params["numbers"] == anna.person_no
        assert said[0].hint_id == "opted-out-person"
        assert status_of(root, anna.person_no) == "N"
        from kufertui.sync.unsubscribes import person_opt_out

        with Workspace.open(root) as ws:
            assert ws.ledger.opted_out_numbers() == {anna.person_no}
            why = person_opt_out(ws, anna.person_no)
            assert why is not None and why.email == anna.email  # shown in the contact dialog

            # KUFER exports her again, J and under a third address: an import never lifts the opt-out
            third = person(978, email="anna.b@example.org")
            summary = ws.import_contacts([third], source="kufer-day9")
            assert summary.kept_n == 1

        rec = RecordingTransport()
        day9 = run_engine(settings, root, transport=rec)
        assert f"<external_id>{anna.person_no}</external_id>".encode() not in rec.sync_bodies()
        assert "anna.b@example.org" not in state.contacts
        assert day9.report.written_back == 0  # handed back once

        # whatever sets her contact back to J (an edit, a tool), pre-flight holds the person back by number;
        # (the report entry moved out of the pull's window, so the pull does not set her N again first)
        with state.lock:
            for u in state.unsubscriptions:
                u.timestamp_ms -= 3 * 86400 * 1000
        with Workspace.open(root) as ws:
            ws.conn.execute("UPDATE contacts SET status='J' WHERE person_no=?", (anna.person_no,))
            ws.conn.commit()
        rec = RecordingTransport()
        day10 = run_engine(settings, root, transport=rec)
        assert f"<external_id>{anna.person_no}</external_id>".encode() not in rec.sync_bodies()
        assert day10.report.suppressed_by_ledger == 1 and day10.report.unsubscribes == 1
        assert day10.report.rejects_by_code == {"opted-out-person": 1} and day10.report.reconciled
    for c in others:  # the others go on as before
        assert c.email.lower() in state.contacts


def test_an_entry_we_never_sent_with_that_number_opts_out_only_the_address(tmp_path: Path) -> None:
    """Maileon's external id beside an address we never sent with it may be anybody's: the cautious reading
    stays (README, write-back file): the number is withheld and the person who has it here is not touched."""
    state = sim_state()
    root = tmp_path / "ws"
    owner = person(1)
    seed_workspace(root, [owner, person(2)])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)
        stranger = state.seed_contact("fremd@example.org", external_id=owner.person_no)
        state.unsubscribe_contact(stranger)
        run = run_engine(settings, root)
    assert run.report.writeback_tnr_withheld == 1
    assert status_of(root, owner.person_no) == "J" and owner.email.lower() in state.contacts
    with Workspace.open(root) as ws:
        assert ws.ledger.opted_out_numbers() == set()
        assert ws.ledger.contains("fremd@example.org")


def test_a_recorded_re_consent_lifts_the_opt_out(tmp_path: Path) -> None:
    """The one way back: an explicit re-consent, recorded with a note; the unsubscribed address stays on
    the ledger (and Maileon's marker), the person's current address is uploaded again."""
    from kufertui.sync.unsubscribes import restore_consent

    state = sim_state()
    root = tmp_path / "ws"
    anna = person(978)
    seed_workspace(root, [anna])
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        run_engine(settings, root)
        assert state.recipient_unsubscribes(anna.email)
        change_email(root, anna.person_no, "anna.neu@example.org")
        run_engine(settings, root)
        with Workspace.open(root) as ws:
            assert restore_consent(ws, anna.person_no, Status.J, "Einwilligung vom 2025-03-01, Formular 17") == 1
            assert ws.ledger.opted_out_numbers() == set() and ws.ledger.contains(anna.email)
            assert restore_consent(ws, "424242", Status.J, "nobody") == 0  # nothing to lift: nothing changes
        again = run_engine(settings, root)
    assert again.report.new == 1 and "anna.neu@example.org" in state.contacts
    assert status_of(root, anna.person_no) == "J"


def test_the_administration_records_a_re_consent_on_the_command_line(tmp_path: Path) -> None:
    """`kufertui unsubscribers restore TNR --status J --note …` is the admin's way back: without a note nothing
    is recorded; a number that is not opted out changes nothing; with both, the person is sent again under
    their current address and the unsubscribed address stays suppressed."""
    import json

    from sync_helpers import cli_paths, run_cli

    state = sim_state()
    anna = person(978)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        paths = cli_paths(tmp_path, settings)
        seed_workspace(paths.workspace, [anna])
        run_engine(settings, paths.workspace)
        assert state.recipient_unsubscribes(anna.email)
        change_email(paths.workspace, anna.person_no, "anna.neu@example.org")
        run_engine(settings, paths.workspace)
        assert status_of(paths.workspace, anna.person_no) == "N"

        no_note = run_cli(paths, "--lang", "en", "unsubscribers", "restore", anna.person_no, "--status", "J")
        assert no_note.returncode == 2 and "note" in no_note.stderr
        nobody = run_cli(paths, "unsubscribers", "restore", "424242", "--status", "J", "--note", "x", "--json")
        assert nobody.returncode == 2 and json.loads(nobody.stdout)["error"] == "cli.restore-nothing"
        assert status_of(paths.workspace, anna.person_no) == "N"  # neither changed anything

        done = run_cli(paths, "unsubscribers", "restore", anna.person_no, "--status", "J",
                       "--note", "Einwilligung per Formular vom 03.12.2026")
        assert done.returncode == 0, done.stderr
        assert anna.person_no in done.stdout and anna.email in done.stdout and "Formular" in done.stdout
        assert status_of(paths.workspace, anna.person_no) == "J"
        with Workspace.open(paths.workspace) as ws:
            assert ws.ledger.opted_out_numbers() == set() and ws.ledger.contains(anna.email)
        again = run_engine(settings, paths.workspace)
    assert again.report.new == 1 and "anna.neu@example.org" in state.contacts
    assert anna.email.lower() not in state.contacts  # the unsubscribed address is never sent again
