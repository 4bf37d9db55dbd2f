"""The per-contact result of a dry run: counts per outcome, the first rows as a table, the export path.

Read from the journal (`journal.outcomes(run_id)`) in a thread worker on a connection of its own; the
table holds at most MAX_ROWS rows (a DataTable of 100k rows takes seconds), the export file has all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from kufertui.core.terminal import printable
from kufertui.i18n import cause_label, number, t
from kufertui.store import ContactOutcome, Workspace
from kufertui.tui.pathfit import fit_path
from kufertui.tui.plain import plain, plain_cell, plain_t
from kufertui.tui.widgets.columns import FitTable

MAX_ROWS = 2000
# display order: what would change first, then what is held back, unchanged last
CATEGORIES: tuple[str, ...] = ("would-create", "would-update", "skipped-unsub", "invalid", "unchanged")
_OUTCOME_CATEGORY = {
    "would-create": "would-create", "would-update": "would-update", "unchanged": "unchanged",
    "unsubscribed": "skipped-unsub", "suppressed": "skipped-unsub", "rejected": "invalid", "invalid": "invalid",
    "held": "invalid",  # K contacts waiting for the UWG confirmation: not sent, reason shown
}


def email_width(width: int) -> int:
    """The e-mail column: 30 cells at 80 columns, wider on a wider terminal (longer addresses whole)."""
    return max(24, min(48, (width - 30) * 3 // 5))


def category(outcome: ContactOutcome) -> str:
    return _OUTCOME_CATEGORY.get(outcome.outcome, outcome.outcome)


def detail_of(outcome: ContactOutcome) -> str:
    """Changed fields for updates, the reason (cause label and details) for held-back contacts."""
    cat = category(outcome)
    if cat == "would-update":
        return (outcome.detail or "").replace(",", ", ")
    if cat in ("invalid", "skipped-unsub") and outcome.code:
        label = cause_label(outcome.code)
        extra = outcome.detail or ""
        return f"{label}: {extra}" if extra and extra != outcome.email else label
    return ""


@dataclass(slots=True)
class DryRunResult:
    run_id: int
    when: str
    counts: Counter[str] = field(default_factory=Counter)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # email, category, detail
    total: int = 0
    objections: int = 0
    export: Path | None = None
    local: dict[str, Any] = field(default_factory=dict)  # what the dry run did here: pull, N, KUFER file


def dry_run_local(local: dict[str, Any]) -> str:
    """What a dry run did in the workspace and for KUFER, beside the nothing it wrote to Maileon."""
    text = t("report.dry-run-local", pulled=number(local.get("pulled", 0)), set_n=number(local.get("set_n", 0)),
             written=number(local.get("written", 0)))
    return text + (" " + t("cli.writeback-file", path=local["file"]) if local.get("file") else "")


def find_export(exports_dir: Path, finished_at: str | None) -> Path | None:
    """The dry-run CSV written when the run finished (the journal does not store its path)."""
    if not finished_at or not exports_dir.is_dir():
        return None
    try:
        finished = datetime.fromisoformat(finished_at).timestamp()
    except ValueError:
        return None
    best: tuple[float, Path] | None = None
    for path in exports_dir.glob("dry-run-*.csv"):
        gap = abs(path.stat().st_mtime - finished)
        if gap < 600 and (best is None or gap < best[0]):
            best = (gap, path)
    return best[1] if best else None


def read_result(workspace_root: Path, run_id: int, export: Path | None = None) -> DryRunResult:
    with Workspace.open(workspace_root) as ws:
        record = ws.journal.run(run_id)
        outcomes = ws.journal.outcomes(run_id)
        exports_dir = ws.paths.exports_dir
    when = (record.started_at if record else "").replace("T", " ")[:16]
    result = DryRunResult(run_id, when)
    if record is not None:
        counts = record.counts or {}
        result.objections = int(counts.get("objections_pending", 0) or 0)
        result.local = {"pulled": int(counts.get("unsubscribes_pulled", 0) or 0),
                        "set_n": int(counts.get("contacts_set_n", 0) or 0),
                        "written": int(counts.get("written_back", 0) or 0),
                        "file": counts.get("writeback_file")}
        result.export = export or find_export(exports_dir, record.finished_at)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    ranked = sorted(outcomes, key=lambda o: order.get(category(o), len(order)))  # stable: journal order within
    result.total = len(ranked)
    for o in ranked:
        result.counts[category(o)] += 1
    result.rows = [(o.email, category(o), detail_of(o)) for o in ranked[:MAX_ROWS]]
    return result


class DryRunPane(Vertical):
    """Counts line, table, note (row limit and export path)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="dry-pane")
        self.result: DryRunResult | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="dry-title screen-title")
        yield Static("", classes="dry-counts")
        yield FitTable(classes="dry-table", cursor_type="row", zebra_stripes=True)  # the reason takes the rest
        yield Static("", classes="dry-note")

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one(".dry-table", DataTable)
        table.add_column(t("dry.col.email"), width=email_width(self.app.size.width), key="email")
        table.add_column(t("dry.col.outcome"), width=24)
        table.add_column(t("dry.col.detail"))

    def on_resize(self) -> None:
        self._show_note()
        table = self.query_one(".dry-table", FitTable)
        column = table.columns.get(ColumnKey("email"))
        if column is not None and column.width != email_width(self.size.width):
            column.width = email_width(self.size.width)
            table.fit()

    def show_running(self) -> None:
        self.result = None
        self.query_one(".dry-title", Static).update(t("dry.running"))
        self.query_one(".dry-counts", Static).update("")
        self.query_one(".dry-note", Static).update("")
        self.query_one(".dry-table", DataTable).clear()

    def load(self, workspace_root: Path, run_id: int, export: Path | None = None) -> None:
        self._read(workspace_root, run_id, export)

    @work(thread=True, exclusive=True, group="dry-pane", exit_on_error=False)
    def _read(self, workspace_root: Path, run_id: int, export: Path | None) -> None:
        result = read_result(workspace_root, run_id, export)
        self.app.call_from_thread(self.show, result)

    def show(self, result: DryRunResult) -> None:
        self.result = result
        self.query_one(".dry-title", Static).update(plain_t("dry.title", id=result.run_id, when=result.when))
        parts = [f"{t(f'dry.{c}')} {number(result.counts.get(c, 0))}" for c in CATEGORIES]
        if result.objections:
            parts.append(f"{t('dry.objections')} {number(result.objections)}")
        self.query_one(".dry-counts", Static).update(plain(" · ".join(parts) + "\n" + dry_run_local(result.local)))
        table: DataTable[str] = self.query_one(".dry-table", DataTable)
        table.clear()
        # address and detail come from input/Maileon: as Text (a str cell would be read as markup), escaped
        table.add_rows([(plain_cell(printable(email)), plain_cell(t(f"dry.{cat}") if cat in CATEGORIES else cat),
                         plain_cell(printable(detail))) for email, cat, detail in result.rows])
        self._show_note()

    def _show_note(self) -> None:
        result = self.result
        if result is None:
            return
        shown = len(result.rows)
        note = (t("dry.more", shown=number(shown), total=number(result.total)) if shown < result.total
                else t("dry.all", n=result.total))
        # the path on a line of its own, broken only after a separator (never inside the file name); a pane not
        # laid out yet (just shown) takes the screen's width, and a resize fits it anew
        width = self.size.width or self.app.size.width
        path = fit_path(str(result.export), max(width - 4, 20)) if result.export else ""
        export = t("dry.export", path=path) if result.export else t("dry.no-export")
        self.query_one(".dry-note", Static).update(plain(f"{note}\n{export}"))
