"""A virtual contact table: a Line-API ScrollView that reads only the visible rows from SQLite.

The built-in DataTable builds a Python object per cell and needs about 12 s for 100,000 rows. This
widget keeps nothing but an LRU cache of 100-row pages fetched with `ContactStore.page()`, so the
first paint costs one COUNT and one LIMIT query whatever the size of the workspace.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kufertui.core.contact import UPLOADABLE_STATUSES
from kufertui.core.terminal import printable
from kufertui.i18n import t
from kufertui.store import ContactFilter
from kufertui.store.contacts import ContactStore
from kufertui.tui.keys import localize_bindings

COLUMNS: tuple[str, ...] = ("id", "status", "last_name", "first_name", "email", "departments", "is_dozent")
Row = tuple[object, ...]


class ContactTable(ScrollView, can_focus=True):
    """Rows of the workspace under a ContactFilter; space ticks a J/K row, enter opens it."""

    PAGE_SIZE = 100
    CACHE_PAGES = 32

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home,g", "jump(0)", show=False),
        Binding("end,G", "jump(-1)", show=False),
        Binding("space", "toggle", "key.toggle", id="contacts.toggle"),
        Binding("enter", "open", "key.details", id="contacts.details"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "contact-table--header", "contact-table--cursor", "contact-table--blocked", "contact-table--selected",
    }
    DEFAULT_CSS = """
    ContactTable { height: 1fr; background: $surface; overflow-x: hidden; }
    ContactTable > .contact-table--header { text-style: bold; background: $panel; }
    ContactTable > .contact-table--cursor { background: $accent 40%; }
    ContactTable:focus > .contact-table--cursor { background: $accent; color: $text; }
    ContactTable > .contact-table--blocked { color: $text-disabled; }
    ContactTable > .contact-table--selected { color: $success; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        def __init__(self, contact_id: int | None) -> None:
            super().__init__()
            self.contact_id = contact_id

    class Opened(Message):
        def __init__(self, contact_id: int) -> None:
            super().__init__()
            self.contact_id = contact_id

    class Toggled(Message):
        pass

    def __init__(self, store: ContactStore, selected: set[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        localize_bindings(self)
        self.store = store
        self.selected = selected
        self.filter = ContactFilter()
        self.total = 0
        self.counted = False  # False while only the first page is known (the count runs in a worker)
        self._ids: list[int] | None = None
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()

    # --- data ----------------------------------------------------------------------------------
    def show_first_page(self, flt: ContactFilter) -> None:
        """Show a new filter at once from one LIMIT query; `set_ids` completes it from the worker."""
        first = self.store.page(flt, 0, self.PAGE_SIZE, COLUMNS)
        self._show(flt, None, len(first), counted=len(first) < self.PAGE_SIZE, first_page=first)

    def show_ids(self, flt: ContactFilter, ids: list[int]) -> None:
        """Show a filter whose id list is already known (from the in-memory index)."""
        self._show(flt, ids, len(ids), counted=True)

    def _show(self, flt: ContactFilter, ids: list[int] | None, total: int, *, counted: bool,
              first_page: list[Row] | None = None) -> None:
        self.filter = flt
        self._ids = ids
        self._pages.clear()
        if first_page is not None:
            self._pages[0] = first_page
        self.counted = counted
        self._resize(total)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.set_reactive(ContactTable.cursor, 0)
        self.refresh()
        self.post_message(self.Highlighted(self.current_id()))

    def set_ids(self, flt: ContactFilter, ids: list[int]) -> None:
        """The full id list of the filter (from a worker): rows are then read by id, never by OFFSET."""
        if flt != self.filter:
            return  # a newer filter is showing
        self._ids = ids
        self.counted = True
        self._resize(len(ids))
        self.refresh()

    def set_filter(self, flt: ContactFilter, total: int | None = None) -> None:
        self.show_first_page(flt)
        self.set_ids(flt, self.store.ids(flt))

    def _resize(self, total: int) -> None:
        self.total = total
        self.virtual_size = Size(self.scrollable_content_region.width, total + 1)

    def _fetch(self, page_no: int) -> list[Row]:
        start = page_no * self.PAGE_SIZE
        if self._ids is None:
            return self.store.page(self.filter, start, self.PAGE_SIZE, COLUMNS)
        chunk = self._ids[start:start + self.PAGE_SIZE]
        return [(cid, c.status.value, c.last_name, c.first_name, c.email, c.departments, c.is_dozent)
                for cid, c in self.store.iter_contacts(ids=chunk)]

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self.total:
            return None
        page_no, offset = divmod(index, self.PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no)
            self._pages[page_no] = page
            if len(self._pages) > self.CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def current_id(self) -> int | None:
        row = self.row(self.cursor)
        return int(row[0]) if row else None  # type: ignore[call-overload]

    def reload(self) -> None:
        self._pages.clear()
        self.refresh()

    # --- rendering -----------------------------------------------------------------------------
    def on_resize(self) -> None:
        # the rows fit the width left of the scrollbar: a horizontal scrollbar would hide the last row
        self.virtual_size = Size(self.scrollable_content_region.width, self.total + 1)

    def _widths(self, width: int) -> list[int]:
        # the lecturer column as wide as its heading ("Doz.") and its mark ("ja"): neither is cut
        dozent = max(len(t("contacts.col.dozent")), len(t("contacts.dozent-mark")))
        fixed = 2 + 2 + dozent  # tick, status, dozent
        spare = max(width - fixed - 7, 20)  # 7: the space after each column (the lecturer column was cut)
        email = spare * 36 // 100
        last = spare * 20 // 100
        first = spare * 16 // 100
        dept = spare - email - last - first
        return [2, 2, last, first, email, dept, dozent]

    def _line(self, cells: list[str], style: Style, width: int) -> Strip:
        text = Text(no_wrap=True, end="")
        for cell, cell_width in zip(cells, self._widths(width), strict=True):
            part = Text(printable(cell), no_wrap=True, end="")  # a Text is never markup; ESC is escaped
            part.truncate(cell_width, overflow="ellipsis", pad=True)
            text.append_text(part)
            text.append(" ")
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = [" ", t("contacts.col.status"), t("contacts.col.last"), t("contacts.col.first"),
                      t("contacts.col.email"), t("contacts.col.dept"), t("contacts.col.dozent")]
            return self._line(header, base + self.get_component_rich_style("contact-table--header"), width)
        index = int(self.scroll_offset.y) + y - 1
        row = self.row(index)
        if row is None:
            if index == 0 and self.total == 0:  # across the whole width: a column would cut it at 80×24
                return Strip([Segment("    " + t("contacts.empty"), base)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        contact_id, status, last, first, email, dept, dozent = row
        status = str(status or "")
        if status not in UPLOADABLE_STATUSES:
            tick, style = "·", base + self.get_component_rich_style("contact-table--blocked")
        elif not self.selected:  # nothing ticked: the whole filter is the selection
            tick, style = "✓", base
        elif contact_id in self.selected:
            tick, style = "✓", base + self.get_component_rich_style("contact-table--selected")
        else:
            tick, style = " ", base
        if index == self.cursor:
            style = style + self.get_component_rich_style("contact-table--cursor")
        cells = [tick, status or "–", str(last or ""), str(first or ""), str(email or ""), str(dept or ""),
                 t("contacts.dozent-mark") if dozent else ""]
        return self._line(cells, style, width)

    # --- cursor and keys -----------------------------------------------------------------------
    @property
    def body_height(self) -> int:
        """Rows below the header that are really visible (not under a scrollbar)."""
        return max(self.scrollable_content_region.height - 1, 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self.body_height:
            self.scroll_to(y=new - self.body_height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self.current_id()))

    def _move_to(self, index: int) -> None:
        self.cursor = max(0, min(index, self.total - 1))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        step = self.body_height * direction
        top = int(self.scroll_offset.y)
        self.scroll_to(y=max(0, top + step), animate=False, immediate=True)
        self._move_to(self.cursor + step)

    def action_jump(self, where: int) -> None:
        self._move_to(self.total - 1 if where < 0 else where)

    def action_toggle(self) -> None:
        row = self.row(self.cursor)
        if row is None:
            return
        if str(row[1] or "") not in UPLOADABLE_STATUSES:
            self.app.bell()
            self.notify(t("contacts.not-selectable"), severity="warning", timeout=3)
            return
        contact_id = int(row[0])  # type: ignore[call-overload]
        if contact_id in self.selected:
            self.selected.discard(contact_id)
        else:
            self.selected.add(contact_id)
        self.refresh()
        self.post_message(self.Toggled())
        self._move_to(self.cursor + 1)

    def action_open(self) -> None:
        contact_id = self.current_id()
        if contact_id is not None:
            self.post_message(self.Opened(contact_id))

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", 0)
        if y >= 1:
            self._move_to(int(self.scroll_offset.y) + y - 1)
