"""Issue 26.14, the demo: it says at start that quitting deletes its folder, exports and support bundles and
that a demo run cannot be resumed after quitting; the questions that promise a resume say so in a demo."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
from textual.widgets import Static
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.screens.upload import UploadScreen


async def test_the_demo_says_what_quitting_deletes(demo: DemoSetup) -> None:
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="de", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)), demo_notice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
    assert any("Support-Pakete werden beim Beenden gelöscht" in n and "nicht fortsetzen" in n for n in notes), notes


async def test_demo_questions_do_not_promise_a_resume_after_quitting(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        screen = app.screen
        screen.running = True  # as while a run is under way
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        cancel = str(app.screen.query_one(".question", Static).render())
        await pilot.press("escape")
        app.state.run_cancel = threading.Event()
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        quit_question = str(app.screen.query_one(".question", Static).render())
        await pilot.press("escape")
        app.state.run_cancel = None
        screen.running = False
    assert "solange diese Demo läuft" in cancel, cancel
    assert "Demo" in quit_question and "nicht fortsetzen" in quit_question, quit_question
    assert "kufertui sync --resume" not in quit_question
