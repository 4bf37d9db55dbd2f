"""Cancel and resume on the Upload screen (issue 16, bugs 1 and 2): a cancel during the objection
push stops within seconds as a resumable run, every key works afterwards, only the newest run is
offered for resume, and Results say why an unfinished run stopped."""

from __future__ import annotations

import time

import httpx
from textual.widgets import Button, DataTable, Log, Static
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.confirm import ChoiceModal, ConfirmModal
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen

PUSH_DELAY_S = 1.5  # per objection request: with 19 objections and 4 in flight the push takes ~7 s (at 0.6 s a
# loaded machine finished the push before the cancel question was answered)


def slowed_app(demo: DemoSetup, lang: str = "de") -> KuferApp:
    transport = httpx.ASGITransport(app=create_app(demo.sim, f"delay@DELETE /contacts/email/*:seconds={PUSH_DELAY_S}"))
    return make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                    transport=transport)


def pushed(demo: DemoSetup) -> int:
    with Workspace.open(demo.workspace_root) as ws:
        return sum(n for outcome, n in ws.ledger.push_counts().items() if outcome != "pending")


async def test_cancel_during_objection_push_stops_and_resumes(demo: DemoSetup) -> None:
    app = slowed_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: str(screen.query_one("#phase", Static).render()).startswith("Widersprüche"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#yes")
        asked = time.monotonic()
        await wait_for(pilot, lambda: not screen.running, timeout=10)
        assert time.monotonic() - asked < 3 * PUSH_DELAY_S + 2, "cancel must stop the push within seconds"
        with Workspace.open(demo.workspace_root) as ws:
            run = ws.journal.runs(1)[0]
            total_objections = sum(ws.ledger.push_counts().values())
        assert run.state == "aborted"
        assert pushed(demo) < total_objections, "the push ran on to the end"
        # the hint says the run can be resumed; after closing it every key works again
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        log = "\n".join(str(line) for line in screen.query_one("#event-log", Log).lines)
        assert f"Lauf #{run.id} kann fortgesetzt werden" in log
        resume = screen.query_one("#resume", Button)
        assert resume.display and f"#{run.id}" in str(resume.label)
        await pilot.press("escape")  # not running: no second cancel question
        await pilot.pause()
        assert app.screen is screen
        # Results of the stopped run: why it stopped, not "✓ Abgeglichen: alle 0"
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        recon = str(app.screen.query_one("#reconciliation", Static).render())
        assert "Angehalten" in recon and "Abgeglichen" not in recon
        await pilot.press("f4")
        await pilot.pause()
        await pilot.click("#resume")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and not screen.running, timeout=60)
    with Workspace.open(demo.workspace_root) as ws:
        record = ws.journal.run(run.id)
        assert record is not None and record.state == "done"
        assert ws.journal.resumable_run() is None
        counts = record.counts
        # the whole run's objection figures: the part before the cancel is not lost
        assert counts["objections_pushed"] + counts["objections_not_in_maileon"] == total_objections
        assert sum(n for o, n in ws.ledger.push_counts().items() if o == "pending") == 0


async def test_ctrl_r_works_after_a_cancel(demo: DemoSetup) -> None:
    app = slowed_app(demo, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UploadScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: str(screen.query_one("#phase", Static).render()).startswith("Objections"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: not screen.running, timeout=10)
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        await pilot.press("escape")
        await pilot.pause()
        # Ctrl+R asks: resume or start over (issue 26.11); a new run supersedes the stopped one
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        assert app.screen.focused is not None and app.screen.focused.id == "choice-resume"
        await pilot.click("#choice-new")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=60)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one("#runs", DataTable)
        assert [str(table.get_row_at(i)[3]) for i in range(table.row_count)] == ["done", "superseded (newer run)"]
    with Workspace.open(demo.workspace_root) as ws:
        states = [r.state for r in reversed(ws.journal.runs())]
    assert states == ["superseded", "done"]
