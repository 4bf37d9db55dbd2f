"""Pilot test: on F3 a Maileon field already taken by one KUFER field is refused for a second one, with a
visible message; the old mapping stays and the upload confirmation names the field once."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Select
from tui_helpers import wait_for

from kufertui.tui.app import KuferApp
from kufertui.tui.screens.fields import MAPPABLE, FieldsScreen


async def test_second_kufer_field_into_firstname_is_refused(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        assert any(m.kufer_field == "first_name" and m.maileon_field == "FIRSTNAME" for m in app.state.mappings)
        table = app.screen.query_one("#field-table", DataTable)
        row = [f.id for f in MAPPABLE].index("departments")
        table.move_cursor(row=row)
        await pilot.pause()
        before = [(m.kufer_field, m.maileon_field, m.custom) for m in app.state.mappings]

        await pilot.press("enter")  # opens the Maileon field picker
        select: Select[str] = app.screen.query_one("#target", Select)
        await wait_for(pilot, lambda: select.expanded)
        await pilot.press(*["down"] * 5)  # "not sent", ADDRESS, BIRTHDAY, CITY, COUNTRY, FIRSTNAME
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app._notifications))
        note = list(app._notifications)[-1]
        assert note.severity == "error"
        assert "Department → FIRSTNAME" in note.message and "First name" in note.message
        assert [(m.kufer_field, m.maileon_field, m.custom) for m in app.state.mappings] == before
        assert select.value == "-"  # the picker shows the kept mapping: not sent
        assert str(table.get_row_at(row)[1]) == "—"

        # a free Maileon field is still taken at once
        await pilot.press("enter")
        await wait_for(pilot, lambda: select.expanded)
        await pilot.press(*["down"] * 5, "up", "enter")  # COUNTRY
        await wait_for(pilot, lambda: any(m.kufer_field == "departments" for m in app.state.mappings))
        assert ("departments", "COUNTRY", False) in [(m.kufer_field, m.maileon_field, m.custom)
                                                     for m in app.state.mappings]
