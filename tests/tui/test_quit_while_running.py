"""Ctrl+Q while a run is under way asks first; yes stops the run, waits for its checkpoint and quits with
exit code 4 (resumable). It used to quit at once with 0 while batches went on for seconds."""

from __future__ import annotations

import httpx
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import make_app
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.screens.upload import UploadScreen


async def test_quit_during_an_upload_asks_stops_and_leaves_it_resumable(demo: DemoSetup) -> None:
    demo.settings.maileon.batch_size = 20
    demo.settings.maileon.batches_in_flight = 1
    transport = httpx.ASGITransport(app=create_app(demo.sim, "delay@POST /contacts:seconds=0.4"))
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="en", demo=True,
                   transport=transport)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        upload = app.screen
        assert isinstance(upload, UploadScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.state.run_cancel is not None and "Batch" in "\n".join(
            str(line) for line in upload.query_one("#event-log").lines), timeout=20)  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.is_running  # asked, not gone
        await pilot.click("#yes")
        await wait_for(pilot, lambda: not app.is_running, timeout=20)
    assert app.return_code == 4
    with Workspace.open(demo.workspace_root) as ws:
        run = ws.journal.runs(1)[0]
        batches = ws.journal.batches(run.id)
    assert run.state == "aborted"
    assert [state for _no, state, *_ in batches].count("done") < len(batches)  # stopped, not run to the end
