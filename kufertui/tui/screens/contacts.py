"""Contacts: the workspace under status chips, Fachbereich/Dozent filters and a debounced search."""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Input, Select, Static

from kufertui.core.contact import UPLOADABLE_STATUSES, Status
from kufertui.i18n import number, t
from kufertui.store import ContactFilter, Workspace
from kufertui.store.index import ContactIndex
from kufertui.tui.modals.contact_detail import ContactDetail
from kufertui.tui.plain import plain
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.contact_table import ContactTable

CHIPS: tuple[tuple[str, str], ...] = tuple((s.value, str(n)) for n, s in enumerate(Status, 1))  # J K empty N
# each status key shows that status alone (1 is J only, however often it is pressed); 5 is J and K, what a run
# uploads (the default); 0 is every status
UPLOADABLE_KEY = "5"
SEARCH_DEBOUNCE = 0.05


class ContactsScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # the search field's placeholder names "/": the footer keeps its room for F1 at 80 columns
        Binding("slash,ctrl+f", "focus_search", "key.search", id="contacts.search", show=False),
        Binding("a", "whole_filter", "key.whole-filter", id="contacts.whole-filter"),
        Binding("s", "save_segment", "key.save-segment", id="contacts.save-segment"),
        Binding("l", "segments", "key.segments", id="contacts.segments", show=False),  # in the help (F1)
        *(Binding(key, f"chip({status!r})", show=False) for status, key in CHIPS),
        Binding(UPLOADABLE_KEY, "chip('J+K')", show=False),
        Binding("0", "chip('*')", show=False),
        Binding("escape", "focus_table", show=False),
    ]
    HELP_KEYS = (("1 2 3 4 5 0", "help.contacts.chips"), ("space", "help.contacts.space"),
                 ("a", "help.contacts.whole"), ("/", "help.contacts.search"), ("enter", "help.contacts.enter"),
                 ("s", "help.contacts.save-segment"), ("l", "help.contacts.segments"),
                 ("F8", "help.copy"))

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None
        self._searched_at = float("-inf")  # monotonic time of the last search filtered
        self.counts: dict[str, int] = {}
        self.index: ContactIndex | None = None  # in-memory filter index, loaded by a worker

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="chips"):
            for status, key in CHIPS:
                yield Button("", id=f"chip-{status or 'empty'}", classes="chip", compact=True,
                             tooltip=plain(key))
            yield Button("", id="chip-jk", classes="chip", compact=True, tooltip=plain(UPLOADABLE_KEY))
            yield Button("", id="chip-all", classes="chip", compact=True)
        with Horizontal(id="filters"):
            yield Input(placeholder=t("contacts.search"), id="search", compact=True)
            yield Select([], prompt=t("contacts.dept-all"), id="dept", compact=True)
            yield Select([(t("contacts.dozent-yes"), True), (t("contacts.dozent-no"), False)],
                         prompt=t("contacts.dozent-all"), id="dozent", compact=True)
        yield ContactTable(self.state.workspace.contacts, self.state.selected_ids, id="contact-table")
        yield Static("", id="selection-line")

    def on_mount(self) -> None:
        self.query_one(ContactTable).focus()
        self.apply_filter()
        self._load_departments()
        self._load_index()

    def reload(self) -> None:
        """The workspace was filled after this screen first read it (`kufertui demo` imports meanwhile)."""
        self.index = None
        self.apply_filter()
        self._load_departments()
        self._load_index()

    def on_screen_resume(self) -> None:
        # statuses change after a sync (unsubscribes → N): rebuild the index in the background
        if self.index is not None:
            self._load_index()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _load_index(self) -> None:
        ws = Workspace.open(self.state.workspace_root, create=False)
        try:
            index = ContactIndex.load(ws.contacts)
        finally:
            ws.close()
        self.app.call_from_thread(self._index_loaded, index)

    def _index_loaded(self, index: ContactIndex) -> None:
        self.index = index
        self.apply_filter()

    @work(thread=True, exclusive=True, group="departments", exit_on_error=False)
    def _load_departments(self) -> None:
        ws = Workspace.open(self.state.workspace_root)
        try:
            departments = ws.contacts.departments()
        finally:
            ws.close()
        self.app.call_from_thread(self._set_departments, departments)

    def _set_departments(self, departments: list[str]) -> None:
        select: Select[str] = self.query_one("#dept", Select)
        select.set_options([(plain(d), d) for d in departments])  # a department is KUFER's text: never markup
        if self.state.selection.department in departments:
            select.value = self.state.selection.department

    # --- filtering -----------------------------------------------------------------------------
    def apply_filter(self) -> None:
        """With the index: ids and counts at once (milliseconds for 100k). Before it has loaded: the
        first rows from one LIMIT query, counts and the id list from a worker."""
        flt = self.state.selection
        table = self.query_one(ContactTable)
        if self.index is not None:
            ids, counts = self.index.query(flt)
            table.show_ids(flt, ids)
            self._counted(flt, counts, ids)
            return
        table.show_first_page(flt)
        self._count(flt)

    @work(thread=True, exclusive=True, group="count", exit_on_error=False)
    def _count(self, flt: ContactFilter) -> None:
        ws = Workspace.open(self.state.workspace_root, create=False)
        try:
            counts = ws.contacts.count_by_status(flt)
            ids = ws.contacts.ids(flt)
        finally:
            ws.close()
        self.app.call_from_thread(self._counted, flt, counts, ids)

    def _counted(self, flt: ContactFilter, counts: dict[str, int], ids: list[int]) -> None:
        if flt != self.state.selection:
            return
        self.counts = counts
        self.state.status_counts = ((flt.department, flt.dozent, flt.search), dict(counts))  # F4 reuses them
        self.query_one(ContactTable).set_ids(flt, ids)
        self._update_chips()
        self._update_selection_line()

    def _update_chips(self) -> None:
        statuses = self.state.selection.statuses
        for status, key in CHIPS:
            chip = self.query_one(f"#chip-{status or 'empty'}", Button)
            label = status or t("contacts.status-empty")
            chip.label = plain(f"{key} {label} {number(self.counts.get(status, 0))}")
            chip.set_class(statuses == {status}, "-on")
        chip_jk = self.query_one("#chip-jk", Button)
        jk = sum(self.counts.get(s, 0) for s in UPLOADABLE_STATUSES)
        chip_jk.label = plain(f"{UPLOADABLE_KEY} J+K {number(jk)}")
        chip_jk.set_class(statuses == UPLOADABLE_STATUSES, "-on")
        chip_all = self.query_one("#chip-all", Button)
        chip_all.label = plain(f"0 {t('contacts.status-all')} {number(sum(self.counts.values()))}")
        chip_all.set_class(not statuses, "-on")
        # an auto-width Button keeps the width of its first label unless it is laid out again itself
        for chip in self.query(".chip"):
            chip.refresh(layout=True)

    def _update_selection_line(self) -> None:
        table = self.query_one(ContactTable)
        state = self.state
        if state.selected_ids:
            text = t("contacts.selection-ticked", n=len(state.selected_ids))
        else:
            n = sum(self.counts.get(s, 0) for s in state.upload_statuses())
            text = t("contacts.selection-filter", n=n)  # an int: "1 J/K-Kontakt"
        self.query_one("#selection-line", Static).update(
            plain(t("contacts.in-filter", n=table.total) + " · " + text))

    def _set_selection(self, **changes: object) -> None:
        current = self.state.selection
        values = {"statuses": current.statuses, "department": current.department, "dozent": current.dozent,
                  "search": current.search, **changes}
        self.state.selection = ContactFilter(**values)  # type: ignore[arg-type]
        self.apply_filter()

    def action_chip(self, status: str) -> None:
        """Show exactly this status ("*": every status, "J+K": both uploadable ones): the same key always
        gives the same filter (it used to toggle: 1 on the J+K default turned J off)."""
        statuses = {"*": frozenset(), "J+K": UPLOADABLE_STATUSES}.get(status, frozenset({status}))
        self._set_selection(statuses=statuses)

    @on(Button.Pressed, ".chip")
    def _chip_pressed(self, event: Button.Pressed) -> None:
        name = (event.button.id or "").removeprefix("chip-")
        self.action_chip({"all": "*", "empty": "", "jk": "J+K"}.get(name, name))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """The first key after a pause filters at once; keys that follow within SEARCH_DEBOUNCE of a search
        wait until they stop (a fast typist or a held key filters once per burst, not per key)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        value = event.value
        if monotonic() - self._searched_at >= SEARCH_DEBOUNCE:
            self._search(value)
            return
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._search(value))

    def _search(self, value: str) -> None:
        self._set_selection(search=value)
        self._searched_at = monotonic()  # after the filtering: a key typed meanwhile counts as the same burst

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(ContactTable).focus()

    @on(Select.Changed, "#dept")
    def _dept_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.BLANK else str(event.value)
        if value != self.state.selection.department:
            self._set_selection(department=value)

    @on(Select.Changed, "#dozent")
    def _dozent_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.BLANK else bool(event.value)
        if value != self.state.selection.dozent:
            self._set_selection(dozent=value)

    # --- selection -----------------------------------------------------------------------------
    def action_whole_filter(self) -> None:
        self.state.selected_ids.clear()
        self.query_one(ContactTable).refresh()
        self._update_selection_line()

    @on(ContactTable.Highlighted)
    def _highlighted(self, event: ContactTable.Highlighted) -> None:
        self.state.highlighted_id = event.contact_id

    @on(ContactTable.Toggled)
    def _toggled(self) -> None:
        self._update_selection_line()

    @on(ContactTable.Opened)
    def _opened(self, event: ContactTable.Opened) -> None:
        self.app.push_screen(ContactDetail(event.contact_id))

    def action_save_segment(self) -> None:
        from kufertui.tui.modals.segments import save_segment_from

        save_segment_from(self, self.state.selection, t("seg.tui.ticked") if self.state.selected_ids else "")

    def action_segments(self) -> None:
        from kufertui.tui.modals.segments import pick_segments

        pick_segments(self)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(ContactTable).focus()

    def copy_text(self) -> str | None:
        table = self.query_one(ContactTable)
        row = table.row(table.cursor)
        return str(row[4]) if row else None
