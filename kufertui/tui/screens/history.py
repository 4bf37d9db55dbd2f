"""History: past runs from the journal; Enter opens a run's results."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kufertui.i18n import t, timestamp
from kufertui.tui.plain import plain, plain_cell
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.columns import fit_column


def run_kind(kind: str, segments: list[str] | None) -> str:
    """A run's kind in words; a segment refresh names its segments, and its dry run says it is one."""
    if not segments:
        return t(f"run.kind.{kind}")
    key = "history.kind-segments-dry" if kind == "dry-run" else "history.kind-segments"
    return t(key, names=", ".join(segments))


class HistoryScreen(BaseScreen):
    NAV = "history"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key.open", id="history.open"),
        Binding("r", "reload", "key.reload", id="history.reload"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(t("history.title"), classes="screen-title")
        table: DataTable[str] = DataTable(id="runs", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="history-empty")

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#runs", DataTable)
        table.add_columns(t("history.col.run"), t("history.col.started"), t("history.col.kind"),
                          t("history.col.state"), t("history.col.report"))
        self.action_reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        table: DataTable[str] = self.query_one("#runs", DataTable)
        table.clear()
        runs = self.state.workspace.journal.runs(200)
        for run in runs:
            segments = (run.options or {}).get("segments")  # a segment refresh names its segments
            kind = run_kind(run.kind, segments)
            table.add_row(plain(f"#{run.id}"), plain(timestamp(run.started_at)), plain(kind),  # never markup
                          plain(t(f"run.state.{run.state}")), plain_cell(run.report_line or ""), key=str(run.id))
        self.query_one("#history-empty", Static).update("" if runs else t("history.empty"))
        self.call_after_refresh(fit_column, table)  # the report in the room left, ending in "…" at 80 columns

    def on_resize(self) -> None:
        fit_column(self.query_one("#runs", DataTable))

    @on(DataTable.RowSelected, "#runs")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.show_results(int(event.row_key.value))  # type: ignore[attr-defined]

    def action_open(self) -> None:
        table: DataTable[str] = self.query_one("#runs", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self.app.show_results(int(key.value))  # type: ignore[attr-defined]
