"""DataTable columns that fit the table's width: one column takes the room the others leave, so that no
column is pushed off the screen (80 columns) and a long value ends in "…" (cells from ``plain_cell``).

DataTable has no public way to change a column's width after the fact: the width is set on the column and
the table is told to measure itself again (tui/textual_internals.py)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from kufertui.tui.textual_internals import remeasure_columns


def fit_column(table: DataTable[Any], index: int = -1, minimum: int = 8) -> None:
    """Give column ``index`` the width the other columns leave (at least ``minimum``); the others keep theirs.
    Call it when the table is resized and after rows change the other columns' widths."""
    columns = list(table.columns.values())
    width = table.scrollable_content_region.width
    if not columns or width <= 0:
        return
    target = columns[index]
    others = sum(c.get_render_width(table) for c in columns if c is not target)
    wanted = max(minimum, width - others - 2 * table.cell_padding)
    if target.auto_width or target.width != wanted:
        target.auto_width = False
        target.width = wanted
        remeasure_columns(table)


class FitTable(DataTable[Any]):
    """A DataTable whose column ``fit`` (default: the last) takes the width the others leave."""

    def __init__(self, *args: Any, fit: int = -1, minimum: int = 8, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fit_index = fit
        self.fit_minimum = minimum

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        fit_column(self, self.fit_index, self.fit_minimum)
