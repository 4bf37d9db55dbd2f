"""Pilot tests of segments: s on Contacts saves the filter under a checked name, l lists the segments and
r refreshes the ticked ones as a normal run (Upload, Results, History), and the target group key names
its trap and saves the run's selection as a segment instead. Pictures at 80×24."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from test_snapshots import open_screen
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList
from tui_helpers import text, wait_for, without_navbar

from kufertui.store import ContactFilter, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.segments import add_segment
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.segments import SegmentNameModal, SegmentsModal
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen

FIELD = "KUFER_Seg_Sprachen"


def saved(demo: DemoSetup) -> dict[str, ContactFilter]:
    with Workspace.open(demo.workspace_root) as ws:
        return {s.name: s.filter for s in ws.segments.all()}


async def type_name(pilot: object, app: KuferApp, name: str) -> None:
    app.screen.query_one("#seg-name", Input).value = name
    await pilot.press("enter")  # type: ignore[attr-defined]


async def test_save_pick_and_refresh_a_segment(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                               tmp_path: Path) -> None:
    app = build_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        app.screen.query_one("#dept", Select).value = "Sprachen"
        await pilot.pause()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentNameModal))
        assert "department Sprachen" in text(app, "#seg-filter")
        await type_name(pilot, app, "Kurse/Sprachen")
        assert "KUFER_Seg_KurseSprachen" in text(app, "#seg-error")  # the name that would be used
        app.screen.query_one("#seg-name", Input).value = "Sprachen"
        await pilot.pause()
        assert FIELD in text(app, "#seg-field")
        app.save_screenshot(str(tmp_path / "segment-name.svg"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert saved(demo)["Sprachen"].department == "Sprachen"

        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentsModal))
        assert app.screen.query_one("#seg-list", SelectionList).option_count == 1
        with Workspace.open(demo.workspace_root) as ws:  # the members, counted behind the list
            members = ws.contacts.count(ContactFilter(frozenset({"J", "K"}), department="Sprachen"))
        await wait_for(pilot, lambda: app.screen.members.get("Sprachen") == members)  # type: ignore[attr-defined]
        prompt = str(app.screen.query_one("#seg-list", SelectionList).get_option_at_index(0).prompt)
        assert f"{members:,}" in prompt or str(members) in prompt
        app.save_screenshot(str(tmp_path / "segments.svg"))
        await pilot.press("space", "r")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "Refreshing segments: Sprachen" in text(app, "#confirm-text")
        app.save_screenshot(str(tmp_path / "segment-upload.svg"))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "Segment Sprachen:" in text(app, "#target-group"))
        assert FIELD in demo.sim.custom_fields
        marked = [c for c in demo.sim.contacts.values() if str(c.custom.get(FIELD)).lower() == "true"]
        assert marked and len(demo.sim.target_groups) == 1
        app.save_screenshot(str(tmp_path / "segment-results.svg"))
        assert app.state.segments == []  # the next run is a normal one again
        await pilot.press("f6")
        await pilot.pause()
        assert "Segments: Sprachen" in str(app.screen.query_one("#runs").get_row_at(0))  # type: ignore[attr-defined]


async def test_target_group_names_its_trap_and_saves_a_segment_instead(
        build_app: Callable[..., KuferApp], demo: DemoSetup, tmp_path: Path) -> None:
    app = build_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: getattr(app.screen, "report", None) is not None, timeout=30)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal), timeout=30)
        assert "follows the selection of whatever run comes next" in text(app, "#tg-trap")
        app.save_screenshot(str(tmp_path / "target-group-trap.svg"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentNameModal))
        assert "field and target group are made on its first refresh" in text(app, "#seg-note")
        await type_name(pilot, app, "Alle J und K")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert saved(demo)["Alle J und K"].statuses == frozenset({"J", "K"})
        assert not demo.sim.target_groups  # no ImportAPI group was made


def _with_segments(app: KuferApp) -> KuferApp:
    with Workspace.open(app.state.workspace_root) as ws:
        add_segment(ws, "Sprachen", ContactFilter(frozenset({"J", "K"}), "Sprachen"))
        add_segment(ws, "VHS-Dozenten", ContactFilter(frozenset(), None, True))
    return app


def test_snapshot_save_segment(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                               recorded_run: int) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f2")(pilot)  # type: ignore[misc]
        await pilot.press("s")
        await pilot.pause(0.1)
        await pilot.press(*"VHS-Dozenten")
        await pilot.pause(0.1)

    assert snap_compare(without_navbar(build_app("de")), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_pick_segments(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                                recorded_run: int) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f2")(pilot)  # type: ignore[misc]
        await pilot.press("l")
        await pilot.pause(0.1)
        await pilot.app.workers.wait_for_complete()  # the member counts, counted behind the list
        await pilot.pause(0.1)
        await pilot.press("space")
        await pilot.pause(0.1)

    assert snap_compare(without_navbar(_with_segments(build_app("de"))), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_refresh_confirmation(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                                       recorded_run: int) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f2")(pilot)  # type: ignore[misc]
        await pilot.press("l")
        await pilot.pause(0.1)
        await pilot.press("space", "down", "space", "r")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)

    assert snap_compare(without_navbar(_with_segments(build_app("de"))), terminal_size=(80, 24), run_before=run_before)
