"""Segments in the TUI: a small name modal to save a filter as a segment, and a list to pick segments
to refresh (the refresh itself is a normal run on the Upload screen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static

from kufertui.core.segments import field_name, name_problem, target_group_name
from kufertui.core.terminal import printable, printable_params
from kufertui.i18n import number, t, timestamp
from kufertui.store import ContactFilter, Workspace
from kufertui.tui.plain import plain, plain_t


def describe_filter(flt: ContactFilter) -> Text:
    """The filter in words; the department and the search text are shown as they are (never markup)."""
    statuses = ",".join(sorted(s or "–" for s in flt.statuses)) or "J,K"
    parts = [t("seg.tui.statuses", statuses=printable(statuses))]
    if flt.department:
        parts.append(t("seg.tui.department", department=printable(flt.department)))
    if flt.dozent is not None:
        parts.append(t("seg.tui.dozent-yes" if flt.dozent else "seg.tui.dozent-no"))
    if flt.search:
        parts.append(t("seg.tui.search", search=printable(flt.search)))
    return plain(" · ".join(parts))


def segment_lines(segments: list[dict[str, Any]]) -> str:
    """The per-segment rows of a report (Results, Upload log); each name escaped (shown through plain)."""
    return "\n".join(t("segments.report-row", name=printable(s["name"]), n=int(s["members"]),
                       joined=number(s["joined"]),
                       left=number(s["left"]), marked=number(s.get("marked", 0)),
                       count=(s.get("target_group") or {}).get("count_active_contacts", "–")) for s in segments)


class SegmentNameModal(ModalScreen[str | None]):
    """Ask for a segment's name; shows the Maileon field it gives, or why the name cannot be used.
    ``save`` stores it and returns an error text (a clash, a name taken) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, selection: ContactFilter, save: Callable[[str], str | None], note: str = "") -> None:
        super().__init__(classes="modal asks")
        self.selection = selection
        self.save = save
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("seg.tui.save-title"), classes="dialog-title")
            if self.note:
                yield Static(plain(self.note), id="seg-note")
            yield Static(describe_filter(self.selection), id="seg-filter")
            yield Input(id="seg-name", max_length=80, placeholder=t("seg.tui.name"))
            yield Static(t("seg.tui.field-empty"), id="seg-field")
            yield Static("", id="seg-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#seg-name", Input).focus()

    @on(Input.Changed, "#seg-name")
    def _changed(self, event: Input.Changed) -> None:
        problem = name_problem(event.value)
        line = self.query_one("#seg-field", Static)
        if problem is None:
            derived = field_name(event.value)
            line.update(plain_t("seg.tui.field", field=derived, group=target_group_name(derived)))
        else:
            line.update(t("seg.tui.field-empty"))
        self.query_one("#seg-error").remove_class("-shown")

    @on(Input.Submitted, "#seg-name")
    def _submit(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = name_problem(name)
        error = (t(problem.key, **printable_params({"name": name, "suggestion": problem.suggestion,
                                                    "detail": problem.detail})) if problem else self.save(name))
        if error:
            self.query_one("#seg-error", Static).update(plain(error))
            self.query_one("#seg-error").add_class("-shown")
            return
        self.dismiss(name)


def _row(segment: dict[str, Any], members: int | None) -> Text:
    """Name, size and the day of the last refresh: the field (derived from the name, shown when it is saved)
    made the row too long for 80 columns, and the refresh was cut ("zule…")."""
    refreshed = timestamp(segment["refreshed_at"])[:10] if segment["refreshed_at"] else t("segment.never")
    if members is None:  # still being counted
        return plain_t("segments.row-counting", name=segment["name"], members="…", refreshed=refreshed)
    return plain_t("segments.row", name=segment["name"], n=members, refreshed=refreshed)


class SegmentsModal(ModalScreen[list[str] | None]):
    """The saved segments; space ticks, R refreshes the ticked ones (or the highlighted one).

    ``segments`` are listed at once; their member counts (a scan of every contact per segment) are counted
    in a thread of its own over ``workspace_root`` and filled in when ready, so the keys never wait."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", show=False),
                                             Binding("r", "refresh", show=False)]

    def __init__(self, segments: list[dict[str, Any]], workspace_root: Path | None = None) -> None:
        super().__init__(classes="modal asks")
        self.segments = segments
        self.workspace_root = workspace_root
        self.members: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(t("seg.tui.list-title"), classes="dialog-title")
            if not self.segments:
                yield Static(t("seg.tui.list-empty"), id="seg-empty")
            rows = [(_row(s, s.get("members")), s["name"]) for s in self.segments]
            yield SelectionList[str](*rows, id="seg-list")
            yield Static(t("seg.tui.list-help"), id="seg-help")
            with Horizontal(classes="buttons"):
                yield Button(t("seg.tui.refresh"), id="seg-refresh", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#seg-list", SelectionList).focus()
        if self.workspace_root is not None and self.segments:
            self._count_members(self.workspace_root)

    @work(thread=True, exclusive=True, group="segment-members", exit_on_error=False)
    def _count_members(self, workspace_root: Path) -> None:
        from kufertui.sync.segments import segment_overview

        with Workspace.open(workspace_root, create=False) as ws:
            overview = segment_overview(ws)
        self.app.call_from_thread(self._counted, overview)

    def _counted(self, overview: list[dict[str, Any]]) -> None:
        counted = {s["name"]: s for s in overview}
        sel: SelectionList[str] = self.query_one("#seg-list", SelectionList)
        for index, segment in enumerate(self.segments):
            if segment["name"] in counted:
                self.members[segment["name"]] = counted[segment["name"]]["members"]
                sel.replace_option_prompt_at_index(index, _row(segment, counted[segment["name"]]["members"]))

    @on(Button.Pressed, "#seg-refresh")
    def action_refresh(self) -> None:
        sel: SelectionList[str] = self.query_one("#seg-list", SelectionList)
        names = list(sel.selected)
        if not names and sel.highlighted is not None and sel.option_count:
            names = [sel.get_option_at_index(sel.highlighted).value]
        if names:
            self.dismiss(names)


def save_segment_from(screen: Any, selection: ContactFilter, note: str = "") -> None:
    """Open the name modal for ``selection`` on ``screen`` (a BaseScreen); saving goes through sync/."""
    from kufertui.sync.segments import SegmentError, add_segment

    if screen.refused_read_only("segment"):
        return

    def save(name: str) -> str | None:
        try:
            add_segment(screen.state.workspace, name, selection)
        except SegmentError as exc:
            return t(exc.key, **printable_params(exc.params))
        return None

    def saved(name: str | None) -> None:
        if name:
            screen.notify(t("seg.tui.saved", name=name), timeout=8)

    screen.app.push_screen(SegmentNameModal(selection, save, note), saved)


def pick_segments(screen: Any) -> None:
    """The segment list; the ticked ones are refreshed by the next run on the Upload screen."""
    async def picked(names: list[str] | None) -> None:
        if names and not screen.refused_read_only("upload"):
            screen.state.segments = names
            await screen.app.action_nav("upload")

    segments = [s.to_json() for s in screen.state.workspace.segments.all()]
    screen.app.push_screen(SegmentsModal(segments, screen.state.workspace_root), picked)
