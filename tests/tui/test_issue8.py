"""Pilot tests for issue 8 in the TUI: target group in one key, the dry-run pane, the support bundle."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date

from textual.widgets import DataTable, Input
from tui_helpers import text, wait_for

from kufertui import i18n
from kufertui.sync.demo import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.target_group import TargetGroupModal, default_name
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen
from kufertui.tui.widgets.dryrun_pane import MAX_ROWS, DryRunPane


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

        # the same name again: a clear message and its hint, nothing new in Maileon
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Newsletter Test 2026"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        assert app.screen.hint_id == "target-group-exists"  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert "already exists" in text(app, "#target-group")
        assert len(demo.sim.target_groups) == 1

        # the account's filter limit (Maileon's default: 200 contact filters)
        assert demo.sim.max_filters == 200
        for i in range(200 - len(demo.sim.filters)):
            demo.sim.filters[10_000 + i] = {"id": 10_000 + i, "name": f"old {i}", "rules": []}
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        app.screen.query_one("#tg-name", Input).value = "Newsletter Other"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        assert app.screen.hint_id == "filter-limit"  # type: ignore[attr-defined]


async def test_dry_run_pane_then_history(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        upload = app.screen
        demo.sim.log_requests = True
        await pilot.press("ctrl+d")
        pane = upload.query_one("#dry-pane", DryRunPane)
        await wait_for(pilot, lambda: pane.result is not None, timeout=30)
        result = pane.result
        assert result is not None
        assert upload.has_class("-dry") and not upload.has_class("-running")
        assert result.counts["would-create"] > 0 and result.counts["invalid"] > 0
        assert sum(result.counts.values()) == result.total
        assert pane.query_one(DataTable).row_count == min(result.total, MAX_ROWS)
        assert result.export is not None and result.export.exists()
        assert str(result.export) in str(pane.query_one(".dry-note").render())
        invalid = [r for r in result.rows if r[1] == "invalid"]
        assert invalid and all(detail for _e, _c, detail in invalid)  # every invalid row says why
        assert demo.sim.sync_bodies() == []  # nothing written to Maileon
        await pilot.press("escape")  # back to the confirmation
        assert not upload.has_class("-dry")

        # the history opens the dry run with the same pane
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        results_pane = app.screen.query_one("#results-dry", DryRunPane)
        await wait_for(pilot, lambda: results_pane.result is not None)
        assert app.screen.has_class("-dry")
        assert results_pane.result is not None and results_pane.result.counts == result.counts
        assert results_pane.result.export == result.export


async def test_support_bundle_key_writes_zip_without_secrets(build_app: Callable[..., KuferApp],
                                                             demo: DemoSetup) -> None:
    api_key = demo.settings.maileon.api_key.get()
    assert api_key
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Support bundle" in titles
        footer_keys = [b.binding.key for b in app.screen.active_bindings.values() if b.binding.show]
        assert "f7" not in footer_keys
        await pilot.press("f7")
        exports = demo.workspace_root / "exports"
        await wait_for(pilot, lambda: any(exports.glob("kufertui-support-*.zip")), timeout=60)
        await app.workers.wait_for_complete()
        await pilot.pause()
        bundle = next(exports.glob("kufertui-support-*.zip"))
        with zipfile.ZipFile(bundle) as archive:
            names = archive.namelist()
            assert {"doctor.json", "settings.json", "runs.json"} <= set(names)
            assert any(n.startswith("screens/") for n in names)
            for name in names:
                assert api_key not in archive.read(name).decode("utf-8", "replace"), name
        # the UI still works afterwards (workers see this app, not the bundle's screenshot apps)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "Maileon" in text(app, "#confirm-text")
