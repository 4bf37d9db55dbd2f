"""Issue 26.22, "80 columns": what does not fit ends in "…" (dry-run e-mails, History's report) or gets the room
(F5's count, the lecturer column, the segment list); a toast never covers a dialog's button; a path in a toast
breaks after a separator, never inside the file name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widget import Widget
from textual.widgets import Button, DataTable
from tui_helpers import wait_for

from kufertui.core.contact import Contact, Status
from kufertui.core.report import RunReport, report_line
from kufertui.store import ContactFilter, ContactOutcome, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.segments import add_segment
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.segments import SegmentsModal
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.widgets.contact_table import ContactTable
from kufertui.tui.widgets.dryrun_pane import DryRunPane

SMALL = (80, 24)
LONG_EMAIL = "annemarie.mustermann-oberhausen.1958@vhs-musterstadt.de"  # 55 characters
MEDIUM_EMAIL = "hans-peter.schmidt.1961@vhs-musterstadt.de"  # 42 characters


def lines(widget: Widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def _dry_run(demo: DemoSetup) -> int:
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("dry-run", selection={}, fields={}, options={"dry_run": True})
        ws.journal.record_outcomes(run_id, [
            ContactOutcome("email:a", LONG_EMAIL, "J", "would-create"),
            ContactOutcome("email:b", MEDIUM_EMAIL, "K", "would-update", detail="lastname,city,firstname,zip"),
        ])
        ws.journal.finish_run(run_id, "done", counts={"dry_run": True, "selected": 2})
    return run_id


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_dry_run_emails_end_in_an_ellipsis_and_use_the_room(build_app: Callable[..., KuferApp],
                                                                  demo: DemoSetup, size: tuple[int, int]) -> None:
    run_id = _dry_run(demo)
    app = build_app("de")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.show_results(run_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        pane = app.screen.query_one("#results-dry", DryRunPane)
        await wait_for(pilot, lambda: pane.result is not None)
        await pilot.pause(0.2)
        table = pane.query_one(DataTable)
        shown = "\n".join(lines(table))
        assert table.max_scroll_x == 0  # nothing pushed off to the right
    long_line = next(line for line in shown.split("\n") if LONG_EMAIL[:20] in line)
    assert LONG_EMAIL not in long_line and "…" in long_line, long_line  # cut, and said so
    if size[0] >= 120:
        assert MEDIUM_EMAIL in shown  # a wider terminal shows longer addresses whole


async def test_history_report_ends_in_an_ellipsis(build_app: Callable[..., KuferApp], recorded_run: int) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause(0.2)
        table = app.screen.query_one("#runs", DataTable)
        row = next(line for line in lines(table) if "#" in line)
        assert table.max_scroll_x == 0, "the report ran off the screen"
    assert row.rstrip().endswith("…"), row


async def test_the_count_of_a_long_cause_stays_in_view(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    report = RunReport(selected=20, new=13, rejects_by_code={"control-characters": 7})
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})
        report.run_id = run_id
        ws.journal.record_outcomes(run_id, [ContactOutcome(f"email:c{i}", f"c{i}@example.org", "J", "rejected", None,
                                                           "control-characters", "") for i in range(7)])
        ws.journal.finish_run(run_id, "done", counts=report.to_json(), report_line=report_line(report))
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and bool(app.screen.groups))
        await pilot.pause(0.2)
        table = app.screen.query_one("#rejects", DataTable)
        row = lines(table)[1]
        assert table.max_scroll_x == 0
    assert row.rstrip().endswith("7") and "…" in row, row  # the cause cut with "…", its count in view


async def test_the_lecturer_column_is_not_cut(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        ws.import_contacts([Contact("aaa.dozentin@example.org", Status.J, person_no="000001", last_name="Aaa",
                                    is_dozent=True)], source="test")
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("slash", *"aaa.dozentin", "enter")
        table = app.screen.query_one(ContactTable)
        await wait_for(pilot, lambda: table.total == 1)
        await pilot.pause()
        header, first = lines(table)[:2]
    assert header.rstrip().endswith("Doz.") and first.rstrip().endswith("ja"), (header, first)


async def test_segment_rows_show_their_last_refresh(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        add_segment(ws, "Dozentinnen Politik", ContactFilter(frozenset({"J", "K"}), None, True, ""))
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentsModal) and bool(app.screen.members))
        await pilot.pause()
        shown = "\n".join(lines(app.screen.query_one("#seg-list")))
    assert "Dozentinnen Politik · 15 Kontakte · aufgefrischt: nie" in shown, shown


async def test_no_toast_over_the_target_group_dialogs_button(build_app: Callable[..., KuferApp],
                                                            recorded_run: int) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL, notifications=True) as pilot:  # toasts drawn as in a terminal
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("e")  # the export's toast, bottom right
        await wait_for(pilot, lambda: any("exportiert" in n.message for n in app._notifications))
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        await pilot.pause(0.3)
        button = app.screen.query_one("#tg-as-segment", Button)
        toasts = list(app.screen.query("Toast"))  # the dialog's own toast rack holds the export's notice
        covering = [toast for toast in toasts if toast.display and toast.region.overlaps(button.region)]
    assert toasts, "the export's notice is still due"
    assert not covering


async def test_a_path_in_a_toast_breaks_only_after_a_separator(build_app: Callable[..., KuferApp],
                                                              recorded_run: int) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL, notifications=True) as pilot:  # toasts drawn as in a terminal
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))
        await pilot.pause(0.3)
        shown = [line.strip(" ▌") for toast in app.screen.query("Toast") for line in lines(toast)]
    assert any(line.endswith(f"rejects-run-{recorded_run}.csv") for line in shown), shown
    for line in shown:  # every line but the last of the path ends at a separator
        if "/" in line and not line.endswith(".csv"):
            assert line.endswith("/") or line.endswith(":"), shown
