"""Issue 24.4, the run-time half: whatever the parser let through, one unsubscribe may change at most one row
of the KUFER database. A statement that changes more (two persons share an address, a TNR occurs twice) is
rolled back in its own transaction and stops the SQL write-back with a hint; the write-back file is written
and the unsubscribes stay due for KUFER, so nothing is lost. Doctor shows the statement as it will run and
names the guard."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import httpx
import pytest
from sync_helpers import cli_paths, make_settings, run_cli, sim_state

from kufertui.kufer import ImportFailure
from kufertui.kufer.writeback import WritebackRow, apply_sql_writeback
from kufertui.simulator import create_app, running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync import events as ev
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings

STATEMENT = "UPDATE personen SET nl = 'N' WHERE email = :email"


def _kufer_db(path: Path, emails: list[str], twice: set[str]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE personen (tnr TEXT, email TEXT, nl TEXT)")
    rows = [(str(n), e, "J") for n, e in enumerate(emails)]
    rows += [(f"9{n}", e, "J") for n, e in enumerate(sorted(twice))]  # a couple sharing one address
    conn.executemany("INSERT INTO personen VALUES (?, ?, ?)", rows)
    conn.commit()
    conn.close()


def test_a_statement_touching_two_rows_is_rolled_back_and_stops_the_writeback(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE personen (tnr TEXT, email TEXT, nl TEXT)")
    conn.executemany("INSERT INTO personen VALUES (?, ?, 'J')",
                     [("1", "a@b.de"), ("2", "paar@b.de"), ("3", "paar@b.de"), ("4", "z@b.de")])
    conn.commit()
    with pytest.raises(ImportFailure) as info:
        apply_sql_writeback(conn, STATEMENT, [WritebackRow("a@b.de"), WritebackRow("paar@b.de"),
                                              WritebackRow("z@b.de")])
    assert (info.value.code, info.value.params, info.value.hint_id) == (
        "writeback-too-broad", {"rows": 2}, "writeback-too-broad")
    # the first unsubscribe stays written (its own transaction), the broad one is undone, the rest not tried
    assert conn.execute("SELECT tnr, nl FROM personen ORDER BY tnr").fetchall() == [
        ("1", "N"), ("2", "J"), ("3", "J"), ("4", "J")]


def test_a_run_stops_with_the_hint_and_loses_nothing(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 150, seed=11)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    with Workspace.open(setup.workspace_root) as ws:
        emails = [c.email for _, c in ws.contacts.iter_contacts()]
    unsubscribed = {u.email for u in setup.sim.unsubscriptions if u.email}
    assert unsubscribed
    db = tmp_path / "kufer.sqlite"
    _kufer_db(db, emails, twice=unsubscribed)
    setup.settings.source.kind = "sql"
    setup.settings.source.sql_dsn = f"sqlite:///{db}"
    setup.settings.source.sql_writeback = STATEMENT
    events: list[ev.Event] = []
    engine = SyncEngine(setup.settings, setup.workspace_root, on_event=events.append,
                        transport=httpx.ASGITransport(app=create_app(setup.sim)))
    with pytest.raises(SyncAborted) as info:
        asyncio.run(engine.run(SyncOptions(ContactFilter(frozenset({"J", "K"})),
                                           mappings=mappings_from_settings(setup.settings), replace_xml=True)))
    failed = info.value.failed
    assert (failed.key, failed.hint_id, failed.exit_code, failed.resumable) == (
        "engine.local-error", "writeback-too-broad", 4, True)
    assert "rolled back" in str(failed.params["detail"]) or "zurückgenommen" in str(failed.params["detail"])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM personen WHERE nl = 'N'").fetchone() == (0,)  # only keyed rows …
    conn.close()
    with Workspace.open(setup.workspace_root) as ws:
        assert len(ws.ledger.pending_writeback()) == len(unsubscribed)  # … and all still due for KUFER
        assert "running" not in {r.state for r in ws.journal.runs(limit=5)}
    files = list((setup.workspace_root / "writeback").glob("kufer-abmelder-*.csv"))
    assert files and all(e in files[0].read_text(encoding="utf-8-sig") for e in unsubscribed)  # the file fallback


def test_doctor_shows_the_statement_as_read_and_the_guard(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        settings = make_settings(base_url)
        settings.source.kind = "sql"
        settings.source.sql_dsn = "sqlite:///kufer.db"
        settings.source.sql_writeback = "update personen set nl='N' -- KUFER\n where EMAIL=:email;"
        done = run_cli(cli_paths(tmp_path, settings), "--lang", "en", "doctor", "--json")
    texts = [c["text"] for c in json.loads(done.stdout)["checks"] if c["name"] == "sql"]
    assert any("as it will run: UPDATE personen SET nl = 'N' WHERE EMAIL = :email" in t for t in texts), texts
    assert any("transaction of its own" in t and "more than one row" in t for t in texts), texts
