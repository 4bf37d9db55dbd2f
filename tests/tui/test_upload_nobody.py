"""Status chips that leave no J or K chosen (only "empty" or only N): the upload sends nobody. The chips
used to give an empty status set, which the engine read as "no filter": every J/K contact went out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_helpers import text, wait_for

from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.upload import UploadScreen


@pytest.mark.parametrize("chip", ["3", "4"], ids=["empty-only", "n-only"])
async def test_a_selection_of_only_n_or_empty_uploads_nobody(
        build_app: Callable[..., KuferApp], demo: DemoSetup, chip: str) -> None:
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("1", "2", chip)  # J off, K off, the other status on
        await pilot.pause()
        assert app.state.selection.statuses and not app.state.upload_statuses()
        assert "0 J/K contacts" in text(app, "#selection-line")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "0 contacts" in text(app, "#confirm-text")
        demo.sim.log_requests = True
        before = {email: (c.updated_ms, dict(c.custom)) for email, c in demo.sim.contacts.items()}
        upload = app.screen
        assert isinstance(upload, UploadScreen)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not upload.running, timeout=30)
        await pilot.pause(0.3)
    assert not [r for r in demo.sim.request_log if r.method == "POST" and r.path == "/contacts"]
    after = {email: (c.updated_ms, dict(c.custom)) for email, c in demo.sim.contacts.items()}
    assert after == before, "contacts in Maileon were written"
    with Workspace.open(demo.workspace_root) as ws:
        runs = ws.journal.runs()
    assert not runs or all(not (r.counts or {}).get("new") and not (r.counts or {}).get("updated") for r in runs)
