"""Every text a screen or dialog shows, read from its widgets (not from a picture): labels, buttons, table
cells and headings, option lists, placeholders, the footer's keys and descriptions, logs and toasts."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Log, OptionList, Static

from kufertui.tui.widgets.contact_table import ContactTable

MAX_ROWS = 200  # of a table: enough to see every kind of cell


def _lines(text: object) -> Iterator[str]:
    for line in str(text).split("\n"):
        if line.strip():
            yield line.strip()


def widget_texts(widget: Widget) -> Iterator[str]:
    if type(widget).__name__ == "FooterKey":  # Textual's footer entry (its module is private)
        yield widget.description
    elif isinstance(widget, Button):
        yield from _lines(widget.label)
    elif isinstance(widget, Static):  # Label, Button, Markdown blocks
        yield from _lines(widget.render())
    elif isinstance(widget, Input):
        yield from _lines(widget.placeholder)
        yield from _lines(widget.value)
    elif isinstance(widget, OptionList):  # Select's choices, SelectionList, the command palette
        for index in range(widget.option_count):
            yield from _lines(widget.get_option_at_index(index).prompt)
    elif isinstance(widget, DataTable):
        for column in widget.columns.values():
            yield from _lines(column.label)
        for row in range(min(widget.row_count, MAX_ROWS)):
            for cell in widget.get_row_at(row):
                yield from _lines(cell)
    elif isinstance(widget, ContactTable):
        for y in range(min(widget.size.height, MAX_ROWS)):
            yield from _lines(widget.render_line(y).text)
    elif isinstance(widget, Log):
        for line in widget.lines:
            yield from _lines(line)


def screen_texts(app: App[object], screen: Screen[object] | None = None) -> list[str]:
    """The texts of ``screen`` (default: the one on top), its footer's key descriptions and the toasts."""
    screen = screen or app.screen
    texts = [text for widget in screen.query("*") for text in widget_texts(widget)]
    texts += [line for note in app._notifications for line in _lines(note.message)]
    return texts


def footer_keys(screen: Screen[object]) -> list[str]:
    """The keys the footer shows, as it shows them ("Strg+R", "F1")."""
    return [key.key_display for key in screen.query("FooterKey")]
