"""Pilot tests of the target group on the results screen: G creates it in one key, the same name again reuses
it, a name someone else's group has or Maileon's contact filter limit gives a clear message and its hint,
the default name is the month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import Input
from tui_helpers import text, wait_for

from kufertui import i18n
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.target_group import TargetGroupModal, default_name
from kufertui.tui.screens.results import ResultsScreen


def test_default_target_group_name() -> None:
    i18n.set_language("de")
    assert default_name(date(2026, 3, 5)) == "Newsletter März 2026"
    i18n.set_language("en")
    assert default_name(date(2026, 11, 2)) == "Newsletter November 2026"
    i18n.set_language("de")


async def test_target_group_in_one_key_and_name_exists(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await app.workers.wait_for_complete()
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        name_input = app.screen.query_one("#tg-name", Input)
        assert name_input.value.startswith("Newsletter ")
        name_input.value = "Newsletter Test 2026"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "✓" in text(app, "#target-group"))
        groups = list(demo.sim.target_groups.values())
        assert [g["name"] for g in groups] == ["Newsletter Test 2026"]
        line = text(app, "#target-group")
        assert f"no. {groups[0]['id']}" in line
        flt = demo.sim.filters[groups[0]["contact_filter_id"]]
        criterion = flt["rules"][0]["selection"]["criterion"]
        assert (criterion["field_name"], criterion["operation"], criterion["value"]) == \
            (demo.settings.maileon.import_field, "equals", "true")

        # the same name again: our group is reused (its filter evaluated anew), nothing new in Maileon
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Newsletter Test 2026"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TargetGroupModal))
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "✓" in text(app, "#target-group"))
        assert f"no. {groups[0]['id']}" in text(app, "#target-group")
        assert len(demo.sim.target_groups) == 1 and len(demo.sim.filters) == 1

        # a name someone else's group has in Maileon: a clear message and its hint, nothing touched
        demo.sim.filters[9_999] = {"id": 9_999, "name": "staff filter", "rules": []}
        demo.sim.target_groups[9_998] = {"id": 9_998, "name": "Staff Group", "type": "regular",
                                         "contact_filter_id": 9_999, "created_ms": 0}
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Staff Group"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        assert app.screen.hint_id == "target-group-exists"  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert "already exists" in text(app, "#target-group")
        assert len(demo.sim.target_groups) == 2 and len(demo.sim.filters) == 2

        # the account's filter limit (Maileon's default: 200 contact filters), once our filter is gone
        assert demo.sim.max_filters == 200
        demo.sim.filters.pop(groups[0]["contact_filter_id"])
        for i in range(200 - len(demo.sim.filters)):
            demo.sim.filters[10_000 + i] = {"id": 10_000 + i, "name": f"old {i}", "rules": []}
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Newsletter Other"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        assert app.screen.hint_id == "filter-limit"  # type: ignore[attr-defined]
