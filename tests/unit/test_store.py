"""The workspace: idempotent import, N is never lifted, ledger, journal, clear errors on bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kufertui.core.contact import Contact, Status
from kufertui.store import ContactFilter, ContactOutcome, LedgerEntry, Workspace, WorkspaceError


def people(n: int, status: Status = Status.J) -> list[Contact]:
    return [Contact(email=f"p{i}@vhs-beispiel.de", status=status, person_no=str(1000 + i), last_name=f"Müller{i}",
                    departments="Sprachen, Gesundheit" if i % 2 else "Kultur") for i in range(n)]


def test_reimport_is_idempotent(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        first = ws.import_contacts(people(20), "a.csv")
        second = ws.import_contacts(people(20), "a.csv")
        assert (first.inserted, first.updated, first.unchanged) == (20, 0, 0)
        assert (second.inserted, second.updated, second.unchanged) == (0, 0, 20)
        assert ws.contacts.count(ContactFilter()) == 20


def test_n_is_never_lifted_by_a_file_or_the_ledger(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(people(3, Status.N), "a.csv")
        ws.ledger.record([LedgerEntry("new@vhs-beispiel.de", None, "maileon", "link", None)])
        summary = ws.import_contacts([*people(3, Status.J), Contact(email="New@vhs-beispiel.de", status=Status.J)],
                                     "b.csv")
        assert summary.kept_n == 4
        assert ws.contacts.count_by_status()["N"] == 4
        assert ws.contacts.count_by_status()["J"] == 0


def test_filters_and_search(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(people(10), "a.csv")
        assert ws.contacts.count(ContactFilter(department="Sprachen")) == 5
        assert ws.contacts.count(ContactFilter(search="müller1")) == 1
        assert ws.contacts.count(ContactFilter(search="100%")) == 0  # LIKE wildcards are escaped
        assert ws.contacts.count(ContactFilter(statuses=frozenset({"K"}))) == 0
        rows = ws.contacts.page(ContactFilter(), 2, 3)
        assert [r[0] for r in rows] == [3, 4, 5]
        assert ws.contacts.departments() == ["Gesundheit", "Kultur", "Sprachen"]


def test_set_status_n_and_ledger_flow(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(people(4), "a.csv")
        new = ws.ledger.record([LedgerEntry("P1@vhs-beispiel.de", "1001", "maileon", "link", "2026-11-20 10:00:00")])
        assert new == ["p1@vhs-beispiel.de"]
        assert ws.ledger.record([LedgerEntry("p1@vhs-beispiel.de", None, "maileon", "link", None)]) == []
        assert ws.contacts.set_status_n(new, "maileon") == 1
        assert ws.contacts.n_contacts_from_kufer() == []
        assert [row[0] for row in ws.ledger.pending_writeback()] == ["P1@vhs-beispiel.de"]
        ws.ledger.mark_written_back(["p1@vhs-beispiel.de"])
        assert ws.ledger.pending_writeback() == []


def test_journal_checkpoints(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        run = ws.journal.start_run("sync", selection={"s": 1}, fields={}, options={})
        ws.journal.plan_batch(run, 1, 4, [("k1", "a@b.de", "J"), ("k2", "c@d.de", "J")],
                              [ContactOutcome("k0", "x@y.de", "J", "rejected", None, "preflight:3")])
        ws.journal.plan_batch(run, 2, 6, [("k3", "e@f.de", "K")])
        assert ws.journal.batch_contacts(run, 1) == ["k1", "k2"]
        ws.journal.batch_sent(run, 1, {"new": 2}, [ContactOutcome("k2", "c@d.de", "J", "invalid", 1, "maileon:19")])
        assert ws.journal.outcome_counts(run) == {"rejected": 1, "sent": 1, "invalid": 1, "planned": 1}
        assert [(o.contact_key, o.outcome, o.code) for o in ws.journal.outcomes(run)] == [
            ("k0", "rejected", "preflight:3"), ("k1", "sent", None), ("k2", "invalid", "maileon:19"),
            ("k3", "planned", None)]
        assert [b[1] for b in ws.journal.batches(run)] == ["done", "pending"]
        assert ws.journal.resumable_run().id == run
        ws.journal.finish_run(run, "done", counts={"selected": 2}, report_line="x")
        assert ws.journal.resumable_run() is None
        record = ws.journal.run(run)
        assert record.os_user and record.counts == {"selected": 2}


def test_import_rolls_back_on_failure(tmp_path: Path) -> None:
    def broken():
        yield from people(3)
        raise RuntimeError("disk gone")

    with Workspace.open(tmp_path / "ws") as ws:
        with pytest.raises(RuntimeError):
            ws.contacts.import_contacts(broken())
        assert ws.contacts.count(ContactFilter()) == 0


def test_an_import_that_fails_after_rows_were_written_leaves_nothing(tmp_path: Path) -> None:
    """The import's rows are written by a thread of its own, in statements of several hundred (issue 27): a
    failure after some of them were written, in the file or in a row SQLite refuses, still undoes all of it,
    and the workspace imports again afterwards."""
    def broken_file():
        yield from people(1300)
        raise RuntimeError("disk gone")

    def refused_row():
        contacts = list(people(1300))
        contacts[1100].title = ["not", "a", "text"]  # type: ignore[assignment]  # SQLite cannot bind it
        yield from contacts

    with Workspace.open(tmp_path / "ws") as ws:
        with pytest.raises(RuntimeError):
            ws.contacts.import_contacts(broken_file())
        assert ws.contacts.count(ContactFilter()) == 0
        with pytest.raises(sqlite3.Error):
            ws.contacts.import_contacts(refused_row())
        assert ws.contacts.count(ContactFilter()) == 0
        assert ws.contacts.import_contacts(people(1300)).inserted == 1300
        assert ws.contacts.count(ContactFilter()) == 1300


def test_corrupt_workspace_is_refused_and_left_untouched(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    db = root / "workspace.sqlite"
    db.write_bytes(b"this is not a database" * 10)
    before = db.read_bytes()
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(root)
    assert info.value.message_id == "workspace.corrupt"
    assert db.read_bytes() == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file modes")
def test_read_only_workspace(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.open(root).close()
    os.chmod(root / "workspace.sqlite", 0o400)
    os.chmod(root, 0o500)
    try:
        with pytest.raises(WorkspaceError), Workspace.open(root) as ws:
            ws.import_contacts(people(1), "a.csv")
    finally:
        os.chmod(root, 0o700)


@pytest.mark.windows_incompatible(reason="file modes; the Windows ACLs: tests/unit/test_platform.py")
def test_workspace_files_are_private_and_migrated(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        assert sqlite3.connect(ws.paths.database).execute("PRAGMA user_version").fetchone()[0] >= 1
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "ws" / "workspace.sqlite").stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "ws").stat().st_mode) == 0o700
        for folder in ("upload", "writeback", "exports", "logs"):
            assert stat.S_IMODE((tmp_path / "ws" / folder).stat().st_mode) == 0o700, folder


def test_a_new_workspace_has_pages_of_8_kib_and_an_existing_one_keeps_its_own(tmp_path: Path) -> None:
    """Issue 27: larger pages make an import of 100,000 contacts some 6 % faster; a workspace made before keeps
    the page size its file was made with (changing it would rewrite the whole file)."""
    with Workspace.open(tmp_path / "new") as ws:
        ws.import_contacts(people(3), "a.csv")
        assert ws.conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    old = tmp_path / "old" / "workspace.sqlite"
    old.parent.mkdir()
    with sqlite3.connect(old) as made_before:
        made_before.execute("PRAGMA page_size=4096")
        made_before.execute("CREATE TABLE t (x)")
    with Workspace.open(tmp_path / "old") as ws:
        ws.import_contacts(people(3), "a.csv")
        assert ws.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert ws.contacts.count(ContactFilter()) == 3


def test_workspace_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WorkspaceError) as info:
        Workspace.open(tmp_path / "file")
    assert info.value.message_id == "workspace.not-a-folder"


def test_kufer_objections_already_on_the_ledger_are_not_asked_for_again(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(people(3, Status.N), "a.csv")
        rows = ws.contacts.n_contacts_from_kufer()
        assert [r[0] for r in rows] == ["p0@vhs-beispiel.de", "p1@vhs-beispiel.de", "p2@vhs-beispiel.de"]
        ws.ledger.record([LedgerEntry(rows[1][1], rows[1][2], "kufer", "kufer", None)])
        assert [r[0] for r in ws.contacts.n_contacts_from_kufer()] == ["p0@vhs-beispiel.de", "p2@vhs-beispiel.de"]
