"""The ledger and journal side of issues 23/25: persons opted out by KUFER number, objections re-checked,
e-mail moves journaled with their batch, and a workspace of the previous schema migrated with its rows valid."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import default_mappings
from kufertui.store import Workspace
from kufertui.store.journal import ContactOutcome
from kufertui.store.ledger import LedgerEntry
from kufertui.store.schema import MIGRATIONS, SCHEMA_VERSION
from kufertui.sync.plan import Planned, Preflight
from kufertui.sync.unsubscribes import writeback_numbers


def test_a_workspace_of_schema_3_keeps_its_ledger_and_rechecks_not_in_maileon(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        db = ws.paths.database
    db.unlink()
    conn = sqlite3.connect(db)
    conn.executescript(";".join(MIGRATIONS[:3]) + "; PRAGMA user_version = 3;")
    rows = [("a@x.de", "A@x.de", "1", "maileon", "link", None, "2024-01-01T00:00:00+00:00", None, None, None),
            ("b@x.de", "b@x.de", "2", "kufer", "kufer", None, "2024-01-01T00:00:00+00:00", None,
             "2024-01-02T00:00:00+00:00", "not-in-maileon"),
            ("c@x.de", "c@x.de", "3", "kufer", "kufer", None, "2024-01-01T00:00:00+00:00", None,
             "2024-01-02T00:00:00+00:00", "unsubscribed")]
    conn.executemany("INSERT INTO ledger (email_lc, email, person_no, origin, source, occurred_at, recorded_at, "
                     "written_back_at, pushed_at, push_outcome) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    with Workspace.open(tmp_path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert ws.ledger.emails() == {"a@x.de", "b@x.de", "c@x.de"}  # every old row still suppresses
        assert ws.ledger.opted_out_numbers() == set()  # nobody becomes opted out by number by an upgrade
        assert [e for e, *_ in ws.ledger.pending_writeback()] == ["A@x.de"]
        # found by address only before this version: checked again at once, with the person's number too
        assert ws.ledger.pending_push() == [("b@x.de", "2")]
        assert ws.ledger.pending_push(rechecks=0) == []


def test_by_number_entries_opt_out_the_person_until_a_re_consent(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.ledger.record([LedgerEntry("old@x.de", "100978", "maileon", "link", "2025-01-08 10:00:00",
                                      by_number=True),
                          LedgerEntry("other@x.de", "555", "maileon", "link", None)])  # not proven: address only
        assert ws.ledger.opted_out_numbers() == {"100978"}
        why = ws.ledger.person_opt_out("100978")
        assert why is not None and why.email == "old@x.de" and why.occurred_at == "2025-01-08 10:00:00"
        assert ws.ledger.person_opt_out("555") is None
        # an address on the ledger from before, proven later: upgraded, and written back again with the number
        ws.ledger.mark_written_back(["other@x.de"])
        assert ws.ledger.record([LedgerEntry("other@x.de", "555", "maileon", "link", None, by_number=True)]) == []
        assert ws.ledger.opted_out_numbers() == {"100978", "555"}
        assert ("other@x.de", "555", None, "link", True) in ws.ledger.pending_writeback()
        assert ws.ledger.lift_person("100978", "consent of 2025-03-01") == 1
        assert ws.ledger.opted_out_numbers() == {"555"} and ws.ledger.contains("old@x.de")


def test_write_back_names_the_number_of_a_person_opted_out_by_number(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.import_contacts([Contact("new@x.de", Status.J, person_no="100978")], source="t")
        numbers, withheld = writeback_numbers(ws, [("old@x.de", "100978"), ("stranger@x.de", "100978")],
                                              by_number={"old@x.de"})
    assert numbers == ["100978", None] and withheld == ["100978"]  # the unproven pair keeps the cautious way


def test_preflight_holds_a_person_opted_out_by_number_under_any_address() -> None:
    pre = Preflight(default_mappings(), import_field="ImportAPI", suppressed=set(), declared_custom={},
                    suppressed_numbers={"100978"})
    held = pre.check(Contact("ganz.neu@x.de", Status.J, person_no="100978", last_name="Becker"))
    assert isinstance(held, ContactOutcome) and (held.outcome, held.code) == ("suppressed", "opted-out-person")
    assert isinstance(pre.check(Contact("x@x.de", Status.J, person_no="1", last_name="X")), Planned)


def test_moves_are_journaled_with_their_batch_and_done_once(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        run = ws.journal.start_run("sync", selection={}, fields={}, options={})
        ws.journal.plan_batch(run, 1, 4, [("tnr:1", "a@x.de", "J"), ("tnr:2", "b@x.de", "J")])
        ws.journal.batch_sent(run, 1, {"new": 0, "existing": 0, "invalid": 2}, [
            ContactOutcome("tnr:1", "a@x.de", "J", "invalid", 1, "maileon:4"),
            ContactOutcome("tnr:2", "b@x.de", "J", "invalid", 1, "maileon:4")], [("tnr:1", "a@x.de"),
                                                                              ("tnr:2", "b@x.de")])
        assert ws.journal.pending_moves(run) == [(1, "tnr:1", "a@x.de"), (1, "tnr:2", "b@x.de")]
        ws.journal.revise_batch(run, 1, {"invalid": -1, "existing": 1}, [
            ContactOutcome("tnr:1", "a@x.de", "J", "sent", 1, "moved")], move_done="tnr:1")
        ws.journal.finish_move(run, "tnr:2", "left")
        assert ws.journal.pending_moves(run) == []
        assert ws.journal.move_states(run) == {"tnr:1": "moved", "tnr:2": "left"}
        assert ws.journal.batches(run)[0][4] == {"new": 0, "existing": 1, "invalid": 1}
