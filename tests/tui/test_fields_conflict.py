"""Pilot test: on F3 a Maileon field already taken by one KUFER field is refused for a second one, with a
visible message; the old mapping stays and the upload confirmation names the field once."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Log, Select
from tui_helpers import text, wait_for

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.fields import MAPPABLE, FieldsScreen
from kufertui.tui.screens.upload import UploadScreen


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


async def test_a_doubled_mapping_from_the_settings_is_shown_and_the_run_refused(
        build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    # a hand-edited [fields] section maps Department to FIRSTNAME beside First name
    demo.settings.fields = {"first_name": "FIRSTNAME", "departments": "FIRSTNAME"}
    app = build_app("en")
    contacts_before = dict(demo.sim.contacts)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        await wait_for(pilot, lambda: "✗" in text(app, "#reject-count"))
        assert "FIRSTNAME" in text(app, "#reject-count")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "can take one KUFER field only" in text(app, "#confirm-text")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not app.screen.running)  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        log = "\n".join(str(line) for line in app.screen.query_one("#event-log", Log).lines)
        assert "✗" in log and "FIRSTNAME" in log
        assert demo.sim.requests_seen == 0 and demo.sim.contacts == contacts_before
