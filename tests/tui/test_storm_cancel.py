"""Esc on the Upload screen while Maileon answers every request 503: the run stops within seconds
(not after the requests in flight ran through their retries), resumable, the objections still pending."""

from __future__ import annotations

import time

import httpx
from textual.widgets import Log, ProgressBar, Static
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import make_app
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.screens.upload import UploadScreen


def log_text(screen: UploadScreen) -> str:
    return "\n".join(str(line) for line in screen.query_one("#event-log", Log).lines)


async def test_escape_during_a_503_storm_stops_within_seconds(demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        objections = len(ws.contacts.n_contacts_from_kufer()) + len(ws.ledger.pending_push())
    # every request from the 5th on, with Retry-After: overload, which teaches the rate (an outage would not)
    transport = httpx.ASGITransport(app=create_app(demo.sim, "503@*#5+:retry-after=1"))
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="de", demo=True, transport=transport)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: str(screen.query_one("#phase", Static).render()).startswith("Widersprüche"))
        assert screen.query_one("#bar", ProgressBar).total == objections  # the push shows done/total
        await wait_for(pilot, lambda: log_text(screen).count("Maileon bremst") >= 3)  # deep in retries now
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#yes")
        asked = time.monotonic()
        await wait_for(pilot, lambda: not screen.running, timeout=60)
        took = time.monotonic() - asked
        assert took < 8, f"Esc took {took:.1f} s"  # 2 s grace for the calls in flight, then cut off
        await pilot.pause()
        assert "kann fortgesetzt werden" in log_text(screen)
    with Workspace.open(demo.workspace_root) as ws:
        run = ws.journal.runs(1)[0]
        assert run.state == "aborted" and ws.journal.resumable_run() is not None
        assert len(ws.ledger.pending_push()) >= objections - 2  # requests 1–4: the pull, the field list, two
