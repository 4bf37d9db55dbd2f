"""History: past runs from the journal; Enter opens a run's results. L shows the people who left KUFER
(missing from a full export: out of the selection, kept here), X removes them from Maileon after asking."""

from __future__ import annotations

import asyncio
import threading
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kufertui.i18n import number, t, timestamp
from kufertui.store import Workspace
from kufertui.store.contacts import Leaver
from kufertui.tui.plain import plain, plain_cell
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.columns import fit_column


def run_kind(kind: str, segments: list[str] | None) -> str:
    """A run's kind in words; a segment refresh names its segments, and its dry run says it is one."""
    if not segments:
        return t(f"run.kind.{kind}")
    key = "history.kind-segments-dry" if kind == "dry-run" else "history.kind-segments"
    return t(key, names=", ".join(segments))


def sent_label(person: Leaver) -> str:
    """Whether we ever sent the person to Maileon, and whether they are still there as far as we know."""
    if person.in_maileon:
        return t("leavers.sent.yes") if person.person_no else t("leavers.sent.no-number")
    return t("leavers.sent.removed") if person.sent else t("leavers.sent.no")


class HistoryScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key.open", id="history.open"),
        Binding("r", "reload", "key.reload", id="history.reload"),
        Binding("l", "toggle_leavers", "key.leavers", id="history.leavers"),
        Binding("x", "remove_leavers", "key.remove-leavers", id="history.remove-leavers"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.showing_leavers = False
        self.leavers: list[Leaver] = []

    def compose_body(self) -> ComposeResult:
        yield Static(t("history.title"), id="history-title", classes="screen-title")
        table: DataTable[str] = DataTable(id="runs", cursor_type="row", zebra_stripes=True)
        yield table
        leavers: DataTable[Text] = DataTable(id="leavers", cursor_type="row", zebra_stripes=True)
        leavers.display = False
        yield leavers
        yield Static("", id="history-empty")

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#runs", DataTable)
        table.add_columns(t("history.col.run"), t("history.col.started"), t("history.col.kind"),
                          t("history.col.state"), t("history.col.report"))
        self.query_one("#leavers", DataTable).add_columns(
            t("leavers.col.number"), t("leavers.col.email"), t("leavers.col.status"), t("leavers.col.since"),
            t("leavers.col.sent"))
        self.action_reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        if self.showing_leavers:
            self._load_leavers()
            return
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
            self._open_run(int(event.row_key.value))

    def action_open(self) -> None:
        if self.showing_leavers:
            return
        table: DataTable[str] = self.query_one("#runs", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self._open_run(int(key.value))

    def _open_run(self, run_id: int) -> None:
        record = self.state.workspace.journal.run(run_id)
        if record is not None and record.kind == "leavers":  # a removal: its people are in the leavers view
            self._show(leavers=True)
            return
        self.app.show_results(run_id)  # type: ignore[attr-defined]

    # --- people who left KUFER (L) and their removal from Maileon (X) ---------------------------------
    def action_toggle_leavers(self) -> None:
        self._show(leavers=not self.showing_leavers)

    def _show(self, *, leavers: bool) -> None:
        self.showing_leavers = leavers
        runs, table = self.query_one("#runs", DataTable), self.query_one("#leavers", DataTable)
        runs.display, table.display = not leavers, leavers
        self.query_one("#history-title", Static).update(t("leavers.tui.title") if leavers else t("history.title"))
        (table if leavers else runs).focus()
        self.action_reload()

    @work(thread=True, exclusive=True, group="leavers-list", exit_on_error=False)
    def _load_leavers(self) -> None:
        from kufertui.sync.leavers import leavers

        # its own connection: the journal lookup reads every run's outcomes, not for the UI thread
        with Workspace.open(self.state.workspace_root) as ws:
            people = leavers(ws)
        self.app.call_from_thread(self._show_leavers, people)

    def _show_leavers(self, people: list[Leaver]) -> None:
        from kufertui.sync.leavers import removable

        self.leavers = people
        table: DataTable[Text] = self.query_one("#leavers", DataTable)
        table.clear()
        for p in people:  # values from KUFER: plain text, never markup
            table.add_row(plain(p.person_no or "–"), plain(p.email), plain(p.status or t("leavers.status-empty")),
                          plain(timestamp(p.left_at)[:10]), plain(sent_label(p)), key=p.key)
        count = len(removable(people))
        note = (t("leavers.tui.note", count=len(people), removable=number(count)) if people
                else t("leavers.none"))
        self.query_one("#history-empty", Static).update(plain(note))

    def action_remove_leavers(self) -> None:
        from kufertui.sync.leavers import removable

        if self.refused_read_only("leavers-remove"):
            return
        if not self.showing_leavers:  # first the list: it is the preview of whom X deletes
            self._show(leavers=True)
            return
        if self.state.run_cancel is not None or any(
                w.group == "leavers-remove" and not w.is_finished for w in self.workers):
            self.notify(t("leavers.tui.busy"), severity="warning", timeout=6)
            return
        chosen = [p.person_no or "" for p in removable(self.leavers)]
        if not chosen:
            self.notify(t("leavers.nothing-to-remove"), timeout=6)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.notify(t("leavers.tui.working", count=len(chosen)), timeout=6)
                self._remove(chosen)

        from kufertui.tui.modals.confirm import ConfirmModal

        self.app.push_screen(ConfirmModal(t("leavers.tui.confirm", count=len(chosen)), t("leavers.tui.yes"),
                                          t("leavers.tui.no")), answer)

    @work(thread=True, exclusive=True, group="leavers-remove", exit_on_error=False)
    def _remove(self, numbers: list[str]) -> None:
        from kufertui.sync.leavers import LeaversError, remove_leavers

        state = self.state
        cancel = threading.Event()
        state.run_cancel = cancel  # quitting meanwhile asks first and lets it journal what it did
        try:
            result = asyncio.run(remove_leavers(state.settings, state.workspace_root, only=numbers, cancel=cancel,
                                                transport=state.transport))
        except LeaversError as exc:
            text, severity = t(exc.key, **exc.params), "error"
        except Exception as exc:  # shown, never crashes the UI
            text, severity = t("leavers.stopped", run="–", done=0, detail=f"{type(exc).__name__}: {exc}"), "error"
        else:
            text = t("leavers.done", run=result.run_id, deleted=len(result.deleted),
                     absent=len(result.not_in_maileon), failed=len(result.failed))
            severity = "warning" if result.failed else "information"
        finally:
            state.run_cancel = None
        self.app.call_from_thread(self._removed, text, severity)

    def _removed(self, text: str, severity: str) -> None:
        self.notify(text, severity=severity, timeout=12)  # type: ignore[arg-type]
        self.action_reload()
