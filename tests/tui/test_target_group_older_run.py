"""Pilot test: `g` makes a target group from Maileon's import marks, so only for the run whose marks Maileon
holds (the newest finished upload). An older run opened from History is refused with the run that holds the
marks named, and nothing is created in the simulator; the newest run still gets its group."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from textual.widgets import DataTable, Input
from tui_helpers import text, wait_for

from kufertui.simulator import create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings
from kufertui.sync.segments import add_segment
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen


async def two_runs(demo: DemoSetup) -> tuple[int, int]:
    """Run 1: three ticked contacts; run 2: every J and K contact (its marks replace run 1's in Maileon)."""
    with Workspace.open(demo.workspace_root) as ws:
        ticked = [i for i, c in ws.contacts.iter_contacts() if c.status.value == "J" and "@" in c.email][:3]
    engine = SyncEngine(demo.settings, demo.workspace_root, transport=httpx.ASGITransport(app=create_app(demo.sim)))
    jk = ContactFilter(frozenset({"J", "K"}))
    mappings = mappings_from_settings(demo.settings)
    older = await engine.run(SyncOptions(jk, ids=ticked, mappings=mappings, replace_xml=True))
    newer = await engine.run(SyncOptions(jk, mappings=mappings, replace_xml=True))
    assert 0 < older.new + older.updated <= 3 < newer.new + newer.updated
    return older.run_id, newer.run_id


async def test_g_on_an_older_run_is_refused_and_the_newest_run_gets_its_group(
        build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    older, newer = await two_runs(demo)
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one("#runs", DataTable)
        table.move_cursor(row=table.get_row_index(str(older)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.run_id == older)
        await app.workers.wait_for_complete()

        await pilot.press("g")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, TargetGroupModal)  # no promise of "this run's contacts"
        line = text(app, "#target-group")
        assert f"run #{older}" in line and f"contacts of run #{newer}" in line
        assert list(app._notifications)[-1].severity == "warning"
        assert demo.sim.target_groups == {} and demo.sim.filters == {}

        # the newest finished run: its marks are the ones in Maileon, the group is made
        app.show_results(newer)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.run_id == newer)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Newsletter Newest Run"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "✓" in text(app, "#target-group"))
        assert [g["name"] for g in demo.sim.target_groups.values()] == ["Newsletter Newest Run"]


async def test_g_after_a_segment_refresh_says_what_importapi_marks(
        build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        add_segment(ws, "Alle", ContactFilter(frozenset({"J", "K"})))
    engine = SyncEngine(demo.settings, demo.workspace_root, transport=httpx.ASGITransport(app=create_app(demo.sim)))
    run = await engine.run(SyncOptions(mappings=mappings_from_settings(demo.settings), replace_xml=True,
                                       segments=["Alle"]))
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.show_results(run.run_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and app.screen.run_id == run.run_id)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        note = text(app, "#tg-segments")
        assert "Alle" in note and "ImportAPI marks all their members" in note
