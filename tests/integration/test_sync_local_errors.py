"""Local trouble during a run (a refused write-back database) stops it resumably and loses nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from kufertui.simulator import create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync import events as ev
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings


def test_refused_writeback_database_stops_resumably(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 150, seed=11)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    setup.settings.source.kind = "sql"
    setup.settings.source.sql_dsn = "oracle://nobody"  # not a supported write-back database
    setup.settings.source.sql_writeback = "UPDATE personen SET nl = 'N' WHERE email = :email"
    transport = httpx.ASGITransport(app=create_app(setup.sim))
    events: list[ev.Event] = []
    engine = SyncEngine(setup.settings, setup.workspace_root, transport=transport, on_event=events.append)
    options = SyncOptions(ContactFilter(frozenset({"J", "K"})), mappings=mappings_from_settings(setup.settings),
                          replace_xml=True)
    with pytest.raises(SyncAborted) as info:
        asyncio.run(engine.run(options))
    failed = info.value.failed
    assert (failed.key, failed.exit_code, failed.resumable) == ("engine.local-error", 4, True)
    assert isinstance(events[-1], ev.Failed)
    with Workspace.open(setup.workspace_root) as ws:
        pulled = ws.ledger.count("maileon")
        assert pulled > 0  # the unsubscribes are on the ledger ...
        assert len(ws.ledger.pending_writeback()) == pulled  # ... and still due for KUFER
        assert ws.journal.resumable_run() is not None


def test_empty_selection_leaves_maileon_untouched(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 50, seed=3)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    setup.sim.custom_fields["ImportAPI"] = "boolean"
    marked = setup.sim.seed_contact("letzter.lauf@vhs-beispiel.de", custom={"ImportAPI": "true"})
    events: list[ev.Event] = []
    engine = SyncEngine(setup.settings, setup.workspace_root,
                        transport=httpx.ASGITransport(app=create_app(setup.sim)), on_event=events.append)
    report = asyncio.run(engine.run(SyncOptions(ContactFilter(frozenset({"J"}), department="Gibt es nicht"),
                                                mappings=mappings_from_settings(setup.settings),
                                                replace_xml=True)))
    assert report.selected == 0 and report.reconciled
    assert marked.custom == {"ImportAPI": "true"}  # the last run's marks were not cleared
    assert any(isinstance(e, ev.Message) and e.key == "engine.nothing-selected" for e in events)
