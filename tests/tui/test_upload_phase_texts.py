"""The TUI shows its own phase and breakdown wordings (upload.phase.*, results.label.*), not the
engine's longer ones that the CLI prints (they used to share keys; the last module loaded won)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Log
from tui_helpers import wait_for

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen

# (the TUI's text, the engine's text for the same thing, which the TUI must not show)
PHASES = {"writeback": ("Rückgabe an KUFER", "Abmelder an KUFER zurückgeben"),
          "upload": ("Übertragung", "Übertragen")}
REJECTED_PREFLIGHT = ("ungültig (Vorabprüfung)", "bei der Vorabprüfung zurückgehalten")


async def test_upload_log_and_results_use_the_tuis_own_texts(build_app: Callable[..., KuferApp],
                                                              demo: DemoSetup) -> None:
    app = build_app("de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        upload = app.screen
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        phases = [str(line).split(" ▶ ", 1)[1] for line in upload.query_one("#event-log", Log).lines
                  if " ▶ " in str(line)]
        for name, (tui_text, engine_text) in PHASES.items():
            assert tui_text in phases, (name, phases)
            assert engine_text not in phases, (name, phases)
        table = app.screen.query_one("#breakdown", DataTable)
        labels = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]  # rows indented in groups
        assert REJECTED_PREFLIGHT[0] in labels
        assert REJECTED_PREFLIGHT[1] not in labels
