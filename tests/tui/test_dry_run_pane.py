"""Pilot test of the dry run (Ctrl+D on the upload screen): its per-contact pane writes nothing to
Maileon, says why each invalid row is invalid, and the history opens the same result again."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable
from tui_helpers import wait_for

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen
from kufertui.tui.widgets.dryrun_pane import MAX_ROWS, DryRunPane


async def test_dry_run_pane_then_history(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        upload = app.screen
        demo.sim.log_requests = True
        await pilot.press("ctrl+d")
        pane = upload.query_one("#dry-pane", DryRunPane)
        await wait_for(pilot, lambda: pane.result is not None, timeout=30)
        result = pane.result
        assert result is not None
        assert upload.has_class("-dry") and not upload.has_class("-running")
        assert result.counts["would-create"] > 0 and result.counts["invalid"] > 0
        assert sum(result.counts.values()) == result.total
        assert pane.query_one(DataTable).row_count == min(result.total, MAX_ROWS)
        assert result.export is not None and result.export.exists()
        note = str(pane.query_one(".dry-note").render())
        assert str(result.export) in note.replace("\n", "")  # broken after a separator where it is long
        assert result.export.name in note.split("\n")[-1]  # the file name whole, on one line
        invalid = [r for r in result.rows if r[1] == "invalid"]
        assert invalid and all(detail for _e, _c, detail in invalid)  # every invalid row says why
        assert demo.sim.sync_bodies() == []  # nothing written to Maileon
        await pilot.press("escape")  # back to the confirmation
        assert not upload.has_class("-dry")

        # the history opens the dry run with the same pane
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        results_pane = app.screen.query_one("#results-dry", DryRunPane)
        await wait_for(pilot, lambda: results_pane.result is not None)
        assert app.screen.has_class("-dry")
        assert results_pane.result is not None and results_pane.result.counts == result.counts
        assert results_pane.result.export == result.export


async def test_a_result_shown_before_the_pane_is_laid_out_names_its_file_whole() -> None:
    """The pane gets its result the moment it is shown, before it has a size: the export's path was then fitted
    into 20 columns, each longer folder name cut with an ellipsis (the path no longer findable; a flaky test
    showed it). It takes the screen's width then, and fits the path anew when it gets its own."""
    from pathlib import Path

    from textual.app import App, ComposeResult

    from kufertui.tui.widgets.dryrun_pane import DryRunResult

    export = Path("/tmp/kufertui-a-rather-long-folder-name-0123456789/dry-run-exports/probelauf-run-12.csv")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield DryRunPane(id="pane")

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DryRunPane)
        pane.display = False
        await pilot.pause()
        pane.show(DryRunResult(run_id=12, when="heute", total=0, export=export))
        pane.display = True
        await pilot.pause()
        note = str(pane.query_one(".dry-note").render())
        assert str(export) in note.replace("\n", "")
