"""Pilot test, issue 23.4: History (F6) lists the people who left KUFER (L), and X removes them from Maileon
after a confirmation modal – by KUFER number, only whom we sent, journaled as a run of its own. Esc on the
modal removes nobody; in read-only mode X is refused."""

from __future__ import annotations

import csv
from collections.abc import Callable

import httpx
import pytest
from textual.widgets import DataTable, Static
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.importing import import_file
from kufertui.sync.mapping import mappings_from_settings
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.screens.history import HistoryScreen

GONE = 3


async def sent_then_gone(demo: DemoSetup) -> list[str]:
    """One upload of every J and K contact, then a full export without three of those it sent."""
    engine = SyncEngine(demo.settings, demo.workspace_root, transport=httpx.ASGITransport(app=create_app(demo.sim)))
    report = await engine.run(SyncOptions(ContactFilter(frozenset({"J", "K"})),
                                          mappings=mappings_from_settings(demo.settings), replace_xml=True))
    with Workspace.open(demo.workspace_root) as ws:
        sent = [o.contact_key.removeprefix("tnr:") for o in ws.journal.outcomes(report.run_id, "sent")
                if o.contact_key.startswith("tnr:")]
    gone = sent[:GONE]
    export = demo.root / "kufer-export.csv"
    with export.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    with export.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(r for r in rows if r[0] not in gone)
    with Workspace.open(demo.workspace_root) as ws:
        assert import_file(ws, export).summary.missing == GONE
    assert all(demo.sim.by_external_id(no) for no in gone)
    return gone


def leaver_numbers(app: KuferApp) -> list[str]:
    table = app.screen.query_one("#leavers", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_history_lists_leavers_and_x_removes_them_from_maileon_after_asking(
        build_app: Callable[..., KuferApp], demo: DemoSetup, lang: str) -> None:
    gone = await sent_then_gone(demo)
    app = build_app(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.query_one("#leavers", DataTable).row_count == GONE)
        assert sorted(leaver_numbers(app)) == sorted(gone)
        note = str(app.screen.query_one("#history-empty", Static).render())
        assert ("3 Personen nicht mehr in KUFER; 3 noch in Maileon" if lang == "de"
                else "3 persons no longer in KUFER; 3 still in Maileon") in note

        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = str(app.screen.query_one(".question", Static).render())
        assert ("3 Personen, die KUFER verlassen haben, aus Maileon löschen?" if lang == "de"
                else "Delete 3 persons who left KUFER from Maileon?") in question
        await pilot.press("escape")  # no: nobody is touched
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert all(demo.sim.by_external_id(no) for no in gone)

        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: not any(demo.sim.by_external_id(no) for no in gone), timeout=30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        done = "3 aus Maileon gelöscht" if lang == "de" else "3 deleted from Maileon"
        assert any(done in str(n.message) for n in app._notifications)
        sent = "entfernt" if lang == "de" else "removed"
        table = app.screen.query_one("#leavers", DataTable)
        assert [str(table.get_row_at(i)[4]) for i in range(table.row_count)] == [sent] * GONE

        await pilot.press("l")  # back to the runs: the removal is one of them
        runs = app.screen.query_one("#runs", DataTable)
        kind = "Löschen (nicht mehr in KUFER)" if lang == "de" else "Removal (left KUFER)"
        assert str(runs.get_row_at(0)[2]) == kind
    with Workspace.open(demo.workspace_root) as ws:
        run = ws.journal.runs(1)[0]
        assert run.kind == "leavers" and run.state == "done"
        assert sorted(o.contact_key for o in ws.journal.outcomes(run.id, "deleted")) == sorted(
            f"tnr:{no}" for no in gone)


async def test_x_is_refused_in_read_only_mode(demo: DemoSetup) -> None:
    gone = await sent_then_gone(demo)
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="de", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)), read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6", "l")
        await wait_for(pilot, lambda: app.screen.query_one("#leavers", DataTable).row_count == GONE)
        await pilot.press("x")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmModal)
        assert any("gesperrt" in str(n.message) for n in app._notifications)
    assert all(demo.sim.by_external_id(no) for no in gone)
