"""Pilot tests: the whole flow in demo mode, keyboard only (settings → contacts → fields → upload →
results → hint), in German and English."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable

import httpx
import pytest
from textual.widgets import Button, Input
from tui_helpers import text, wait_for

from kufertui.config import load_settings
from kufertui.core.fields import default_mappings
from kufertui.simulator import create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.events import PhaseStarted
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.modals.contact_detail import ContactDetail
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.fields import FieldsScreen
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.screens.upload import UploadScreen
from kufertui.tui.widgets.contact_table import ContactTable


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_whole_flow_by_keyboard(build_app: Callable[..., KuferApp], lang: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        # settings: the key is never shown, a bad batch size is flagged as you type
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        key_input = app.screen.query_one("#set-maileon-api-key", Input)
        assert key_input.value == "" and "demo-key" not in key_input.placeholder
        batch = app.screen.query_one("#set-maileon-batch-size", Input)
        batch.value = "5000"
        await pilot.pause()
        assert app.screen.query_one("#set-maileon-batch-size-error").has_class("-shown")
        batch.value = "500"
        await pilot.pause()
        assert not app.screen.query_one("#set-maileon-batch-size-error").has_class("-shown")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert load_settings(app.state.settings_path, apply_env=False).maileon.batch_size == 500
        if os.name == "posix":
            assert stat.S_IMODE(app.state.settings_path.stat().st_mode) == 0o600

        # contacts: chips filter, N rows cannot be ticked, J/K rows can
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        table = app.screen.query_one(ContactTable)
        await wait_for(pilot, lambda: table.counted and bool(app.screen.counts))
        jk_total = table.total
        await pilot.press("0")  # all statuses
        await wait_for(pilot, lambda: table.counted and table.total > jk_total)
        await pilot.press("4")  # N only
        await wait_for(pilot, lambda: table.counted and app.state.selection.statuses == {"N"})
        await app.workers.wait_for_complete()
        n_total = table.total
        assert n_total == app.screen.counts["N"] and n_total > 0
        await pilot.press("space")
        assert not app.state.selected_ids
        await pilot.press("4", "1")  # N off (= all), then J only
        await wait_for(pilot, lambda: app.state.selection.statuses == {"J"})
        await pilot.press("space", "space")
        assert len(app.state.selected_ids) == 2
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail))
        await pilot.press("escape")
        await pilot.press("a")  # back to the whole filter
        assert not app.state.selected_ids
        await pilot.press("slash")
        await pilot.press(*"zzzz-nobody")
        await wait_for(pilot, lambda: table.counted and table.total == 0)
        app.screen.query_one("#search", Input).value = ""
        await wait_for(pilot, lambda: table.total > 0)

        # fields: XML preview of the highlighted contact and a live reject count
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        assert "<email>" in text(app, "#xml-preview")
        await wait_for(pilot, lambda: ("Vorabprüfung" if lang == "de" else "Pre-flight") in text(app, "#reject-count")
                       and "…" not in text(app, "#reject-count"))

        # upload: confirmation, start, results
        await pilot.press("f4")
        await pilot.pause()
        assert "Maileon" in text(app, "#confirm-text")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await pilot.pause(0.3)
        line = text(app, "#report-line")
        assert ("ausgewählt" if lang == "de" else "selected") in line

        # results: a reject cause opens its hint
        await wait_for(pilot, lambda: bool(app.screen.groups))  # type: ignore[attr-defined]
        app.screen.query_one("#rejects").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        assert app.screen.hint is not None  # type: ignore[attr-defined]
        await pilot.press("f8")
        assert app.clipboard
        await pilot.press("escape")

        # help and history
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen.query_one("#runs").row_count >= 1  # type: ignore[attr-defined]


async def test_second_upload_replaces_a_finished_runs_file_and_asks_for_a_foreign_one(
        build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    """Issue 26.9: the file of a finished run is ours to replace (kept as .prev.xml); one that no run of ours
    wrote is replaced only after asking."""
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await pilot.press("f4")
        await pilot.pause()
        xml = app.state.workspace.paths.upload_xml
        prev = xml.with_name(xml.stem + ".prev.xml")
        assert xml.exists() and not prev.exists()
        first_xml = xml.read_bytes()
        await pilot.press("ctrl+r")  # no question: the run starts at once
        await wait_for(pilot, lambda: prev.exists() and isinstance(app.screen, ResultsScreen), timeout=30)
        assert prev.read_bytes() == first_xml
        with Workspace.open(demo.workspace_root) as ws:
            assert [r.state for r in ws.journal.runs()][:2] == ["done", "done"]

        xml.write_bytes(b"<contacts/>")  # put there by hand: not a run's
        await pilot.press("f4")
        await pilot.pause()
        with Workspace.open(demo.workspace_root) as ws:
            runs_before = [(r.id, r.state) for r in ws.journal.runs()]
        demo.sim.log_requests = True
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")  # no: keep the file, so nothing is sent
        # what follows: a note that nothing was sent (no resume advice: there is nothing to resume);
        # no run, no request, the file untouched
        await wait_for(pilot, lambda: any("Nichts übertragen" in str(n.message) for n in app._notifications))
        assert isinstance(app.screen, UploadScreen)
        await pilot.pause(0.2)
        with Workspace.open(demo.workspace_root) as ws:
            assert [(r.id, r.state) for r in ws.journal.runs()] == runs_before
        assert demo.sim.request_log == []
        assert xml.read_bytes() == b"<contacts/>"


async def test_command_palette_lists_screen_actions(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("en")
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("Help", "Upload", "Settings", "Search", "Whole filter", "Copy"):
            assert expected in titles


async def test_user_keymap_moves_a_binding(build_app: Callable[..., KuferApp], demo: object) -> None:
    demo.settings.ui.keymap = {"nav.upload": "ctrl+u"}  # type: ignore[attr-defined]
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app.current_mode == "upload"


async def test_interrupted_run_is_resumed_from_the_upload_screen(build_app: Callable[..., KuferApp],
                                                                demo: DemoSetup) -> None:
    cancel = threading.Event()

    def stop_at_fields(event: object) -> None:
        if isinstance(event, PhaseStarted) and event.phase == "fields":
            cancel.set()

    engine = SyncEngine(demo.settings, demo.workspace_root, on_event=stop_at_fields, cancel=cancel,
                        transport=httpx.ASGITransport(app=create_app(demo.sim)))
    with pytest.raises(SyncAborted) as stopped:
        await engine.run(SyncOptions(selection=ContactFilter(frozenset({"J", "K"})), mappings=default_mappings()))
    run_id = stopped.value.failed.run_id

    app = build_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        button = app.screen.query_one("#resume", Button)
        assert button.display and f"#{run_id}" in str(button.label)
        await pilot.click("#resume")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
    with Workspace.open(demo.workspace_root) as ws:
        record = ws.journal.run(run_id)
        assert record is not None and record.state == "done" and record.counts["reconciled"]
