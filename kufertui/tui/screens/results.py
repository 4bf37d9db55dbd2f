"""Results of a run: the one-line report, its breakdown, the reconciliation and rejects by cause.

G creates the Maileon target group "ImportAPI equals true" from the run; a dry run opens its
per-contact pane instead of the breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from kufertui.core.report import BREAKDOWN_GROUPS, RunReport, report_line
from kufertui.core.terminal import printable
from kufertui.i18n import cause_label, has, language, number, t
from kufertui.store import Workspace
from kufertui.sync.exports import export_rejects
from kufertui.tui.hints import hint_for_code
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.target_group import SAVE_AS_SEGMENT, TargetGroupModal, default_name
from kufertui.tui.plain import plain, plain_cell, plain_t
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.columns import FitTable
from kufertui.tui.widgets.dryrun_pane import DryRunPane
from kufertui.tui.widgets.report_bar import ReportBar, styled_report_line

LABEL_WIDTH, NUMBER_WIDTH = 29, 7  # + 4 cells padding = the 40 cells of #breakdown-box (tcss)


def breakdown_label(name: str, indent: int = 1) -> str:
    """The label of a breakdown row (indented under its group); a shorter one where the report's own would
    not fit."""
    key = f"results.label.{name}"
    text = t(key) if has(key) else t(f"report.{name}")
    room = LABEL_WIDTH - indent
    return " " * indent + (text if len(text) <= room else text[:room - 1] + "…")


@dataclass(slots=True)
class RejectGroup:
    code: str
    count: int
    examples: list[str]


def examples_of(group: RejectGroup) -> str:
    """The example addresses of a cause, each escaped on its own (a line feed in one stays visible)."""
    return ", ".join(printable(e) for e in group.examples)


def cause_origin(code: str) -> str:
    """Where a reject cause was found, in words: Maileon refused the contact, or kufertui held it back before
    sending (the pre-flight, the ledger, the UWG gate), so Maileon never saw it."""
    source, _, number_part = code.partition(":")
    if source == "maileon":
        return t("results.origin.maileon", code=number_part)
    if code == "unsubscribed-in-maileon":
        return t("results.origin.unsubscribed")
    return t("results.origin.local")


def report_from_counts(run_id: int, counts: dict[str, Any]) -> RunReport:
    known = {f.name for f in fields(RunReport)}
    return RunReport(**{k: v for k, v in counts.items() if k in known and k != "run_id"}, run_id=run_id)


class ResultsScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_hint", "key.hint", id="results.hint"),
        Binding("e,ctrl+e", "export", "key.export", id="results.export"),
        Binding("g", "target_group", "key.target-group", id="results.target-group"),
    ]
    HELP_KEYS = (("F8", "help.results.copy"),)

    def __init__(self) -> None:
        super().__init__()
        self.run_id: int | None = None
        self.report: RunReport | None = None
        self.groups: list[RejectGroup] = []
        self.kind = "sync"
        self.target_group: dict[str, Any] | None = None  # result of the last G on this screen

    def compose_body(self) -> ComposeResult:
        yield Static("", id="run-title", classes="screen-title")
        yield Static("", id="report-line")
        yield ReportBar(id="report-bar")
        yield Static("", id="target-group")
        yield DryRunPane(id="results-dry")
        with Horizontal(id="results-body"):
            with Vertical(id="breakdown-box"):
                yield DataTable(id="breakdown", cursor_type="none", show_header=False)
                yield Static("", id="reconciliation")
            with Vertical(id="rejects-box"):
                yield Static(t("results.rejects"), classes="box-title")
                yield FitTable(id="rejects", cursor_type="row", fit=0)  # the count stays in view
                yield Static("", id="reject-detail")

    def on_mount(self) -> None:
        breakdown = self.query_one("#breakdown", DataTable)
        breakdown.add_column("", width=LABEL_WIDTH)
        breakdown.add_column("", width=NUMBER_WIDTH)
        breakdown.can_focus = False  # read-only figures: keys go to the rejects, where Enter opens a hint
        rejects = self.query_one("#rejects", DataTable)
        rejects.add_columns(t("results.col.cause"), t("results.col.count"))
        rejects.focus()
        self.load(self.state.last_run_id)

    def load(self, run_id: int | None) -> None:
        journal = self.state.workspace.journal
        record = journal.run(run_id) if run_id else journal.latest_transfer()
        if record is None:
            self.query_one("#run-title", Static).update(t("results.none"))
            return
        self.run_id = record.id
        self.kind = record.kind
        report = self.report = report_from_counts(record.id, record.counts or {})
        self.set_class(record.kind == "dry-run", "-dry")
        own = self.target_group if (self.target_group or {}).get("run") == record.id else None
        self._show_target_group(own or report.target_group)
        if report.segments and not (own or report.target_group):
            from kufertui.tui.modals.segments import segment_lines

            self._status(segment_lines(report.segments), bad=False)
        if record.kind == "dry-run":
            pane = self.query_one("#results-dry", DryRunPane)
            pane.show_running()
            pane.load(self.state.workspace_root, record.id)
            return
        self.query_one("#run-title", Static).update(plain_t(
            "results.title", id=record.id, when=record.started_at.replace("T", " ")[:16],
            state=t(f"run.state.{record.state}")))
        self.query_one("#report-line", Static).update(styled_report_line(report, language()))
        self.query_one("#report-bar", ReportBar).show(report)
        table = self.query_one("#breakdown", DataTable)
        table.clear()
        for group, names in BREAKDOWN_GROUPS:
            table.add_row(Text(t(f"report.group.{group}"), style="bold"), "")
            for name in names:
                table.add_row(plain(breakdown_label(name)), Text(number(int(getattr(report, name))), justify="right"))
        gap = report.selected - report.accounted
        # counts as ints: t groups them and picks the singular for 1
        recon = (t("results.reconciled", n=int(report.accounted)) if report.reconciled else
                 t("results.gap", accounted=int(report.accounted), selected=int(report.selected), gap=int(gap),
                   missing=len(report.missing)))
        stopped = stopped_reason(record.id, record.state, record.error)  # an unfinished run: why, not "reconciled"
        self.query_one("#reconciliation", Static).update(plain(stopped or recon))
        self.query_one("#reconciliation").set_class(bool(stopped) or not report.reconciled, "-bad")
        self._load_rejects(record.id, dict(report.rejects_by_code))

    @work(thread=True, exclusive=True, group="rejects", exit_on_error=False)
    def _load_rejects(self, run_id: int, by_code: dict[str, int]) -> None:
        examples: dict[str, list[str]] = {}
        ws = Workspace.open(self.state.workspace_root)
        try:
            for o in ws.journal.outcomes(run_id):
                if o.code:
                    found = examples.setdefault(o.code, [])
                    by_code.setdefault(o.code, 0)
                    if len(found) < 3:
                        found.append(o.email)
        finally:
            ws.close()
        groups = sorted((RejectGroup(code, n, examples.get(code, [])) for code, n in by_code.items() if n),
                        key=lambda g: -g.count)
        self.app.call_from_thread(self._show_rejects, groups)

    def _show_rejects(self, groups: list[RejectGroup]) -> None:
        self.groups = groups
        table = self.query_one("#rejects", DataTable)
        table.clear()
        for g in groups:
            table.add_row(plain_cell(cause_label(g.code)), Text(number(g.count), justify="right"), key=g.code)
        if not groups:
            table.add_row(plain_cell(t("results.no-rejects")), "")
        self.call_after_refresh(table.fit)
        self._show_reject_detail(0)

    @on(DataTable.RowHighlighted, "#rejects")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_reject_detail(event.cursor_row)

    def _show_reject_detail(self, row: int) -> None:
        """The highlighted cause's code and examples, wrapped below the table (they never fit in a column)."""
        detail = self.query_one("#reject-detail", Static)
        if not 0 <= row < len(self.groups):
            detail.update("")
            return
        group = self.groups[row]
        detail.update(plain_t("results.reject-detail", origin=cause_origin(group.code), examples=examples_of(group)))

    @on(DataTable.RowSelected, "#rejects")
    def _row_selected(self) -> None:
        self.action_open_hint()

    def action_open_hint(self) -> None:
        table = self.query_one("#rejects", DataTable)
        if not self.groups or table.cursor_row >= len(self.groups):
            return
        group = self.groups[table.cursor_row]
        extra = t("results.hint-extra", n=group.count, examples=examples_of(group)) + "\n" + cause_origin(group.code)
        # a numbered rule the local check applied: the handbook's title says "Maileon-Code 5", but Maileon
        # never saw the contact
        local = group.code.startswith("preflight:")
        title = t("results.hint-title-local", cause=cause_label(group.code)) if local else None
        self.app.push_screen(HintModal(hint_for_code(group.code), extra, title=title))

    def action_export(self) -> None:
        if self.refused_read_only("export"):  # read-only writes nothing, also no list of addresses
            return
        if self.run_id is not None:
            self._export(self.run_id)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, run_id: int) -> None:
        target, count = export_rejects(self.state.workspace_root, run_id)
        self.app.call_from_thread(self.notify, t("results.exported", n=count, path=str(target)), timeout=8)

    # --- target group (G) -----------------------------------------------------------------------
    def action_target_group(self) -> None:
        if self.refused_read_only("target-group"):
            return
        if self.run_id is None or self.report is None:
            self.notify(t("tg.no-run"), severity="warning")
            return
        if self.kind == "dry-run":
            self.notify(t("tg.dry-run"), severity="warning")
            return
        field = self.state.settings.maileon.import_field
        if self._refused_group(self._group_refusal(self.state.workspace, self.run_id)):
            return
        marked = self.report.new + self.report.updated
        name = (self.target_group or {}).get("name") if (self.target_group or {}).get("error") else None
        last = self.target_group or {}
        if last.get("run") == self.run_id and last.get("hint") in ("target-group-uncounted", "target-group-empty"):
            self._status(t("tg.working", name=last["name"]), bad=False)  # g again: read Maileon's count anew
            self._create_target_group(last["name"], self.run_id, marked, last)
            return

        def chosen(value: str | None) -> None:
            if value == SAVE_AS_SEGMENT:  # the trap named: a segment stays true, ImportAPI follows the next run
                self._save_run_as_segment()
            elif value:
                self._status(t("tg.working", name=value), bad=False)
                self._create_target_group(value, self.run_id or 0, marked)

        name = name or default_name(self.state.now().date())  # the screens' clock: repeatable pictures
        record = self.state.workspace.journal.run(self.run_id)
        segments = list(((record.options if record else None) or {}).get("segments") or [])
        self.app.push_screen(TargetGroupModal(self.run_id, marked, field, name, segments=segments), chosen)

    def _group_refusal(self, ws: Workspace, run_id: int) -> tuple[str, dict[str, Any]] | None:
        from kufertui.sync.targetgroup import target_group_refusal

        return target_group_refusal(ws, run_id, self.state.settings.maileon.import_field)

    def _refused_group(self, refusal: tuple[str, dict[str, Any]] | None) -> bool:
        """Only the run whose marks Maileon holds now (the newest finished upload) may make the group: for
        any other run it would hold other people than this screen promises. Said, nothing created."""
        if refusal is None:
            return False
        text = t(refusal[0], **refusal[1])
        self._status(text, bad=True)
        self.notify(text, severity="warning", timeout=10)
        return True

    def _save_run_as_segment(self) -> None:
        from kufertui.store import ContactFilter
        from kufertui.tui.modals.segments import save_segment_from

        record = self.state.workspace.journal.run(self.run_id or 0)
        selection = (record.selection if record else None) or {}
        notes = [t("seg.tui.tg-note")] + ([t("seg.tui.ticked")] if selection.get("ids") else [])
        save_segment_from(self, ContactFilter.from_json(selection.get("filter") or {}), "\n".join(notes))

    @work(thread=True, exclusive=True, group="target-group", exit_on_error=False)
    def _create_target_group(self, name: str, run_id: int, marked: int,
                             existing: dict[str, Any] | None = None) -> None:
        from kufertui.sync.targetgroup import target_group_for_run

        state = self.state
        refusal, result = target_group_for_run(state.settings, state.workspace_root, name, run_id, marked=marked,
                                               existing=existing, transport=state.transport)
        if refusal is not None:
            self.app.call_from_thread(self._refused_group, refusal)
            return
        self.app.call_from_thread(self._target_group_done, result)

    def _target_group_done(self, result: dict[str, Any]) -> None:
        self.target_group = result
        text = self._show_target_group(result)
        error = result.get("error")
        if not error:
            self.notify(text, timeout=10)
            return
        hint = {"exists": "target-group-exists"}.get(str(error), str(error))
        self.app.push_screen(HintModal(hint, text))

    def _show_target_group(self, result: dict[str, Any] | None) -> str:
        if not result:
            self._status("", bad=False)
            return ""
        name = result.get("name", "")
        error = result.get("error")
        if error == "exists":
            text = t("tg.exists", name=name)
        elif error == "filter-limit":
            text = t("tg.limit", name=name)
        elif error:
            text = t("tg.failed", name=name, detail=result.get("detail") or error)
        elif result.get("hint") in ("target-group-uncounted", "target-group-empty"):
            text = t(result["message"], name=name, id=result.get("target_group_id"), count=0,
                     marked=number(int(result.get("run_marked", 0))))
        elif "marked" in result:
            text = t("tg.created", name=name, id=result.get("target_group_id"), filter=result.get("contact_filter_id"),
                     n=int(result.get("count_active_contacts", result["marked"])), run=result.get("run"))
        else:  # recorded by `kufertui sync --target-group`
            text = t("tg.from-run", name=name, id=result.get("target_group_id"))
        self._status(text, bad=bool(error) or result.get("hint") == "target-group-empty")
        return text

    def _status(self, text: str, *, bad: bool) -> None:
        line = self.query_one("#target-group", Static)
        line.update(plain(text))
        line.set_class(bool(text), "-shown")
        line.set_class(bad, "-bad")

    def copy_text(self) -> str | None:
        return report_line(self.report, language()) if self.report else None


def stopped_reason(run_id: int, state: str, error: dict[str, Any] | None) -> str | None:
    """Why a run that did not finish stopped (None for a finished run)."""
    if state in ("done", "finished"):
        return None
    if state == "superseded":
        return t("results.stopped-superseded")
    error = error or {}
    why = t(str(error.get("key") or "engine.cancelled"), **{"run": run_id, **dict(error.get("params") or {})})
    return t("results.stopped", why=why)
