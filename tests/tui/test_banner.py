"""The warning line: unsubscribes not pulled within the retention window, objections not passed on."""

from __future__ import annotations

from collections.abc import Callable

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.widgets.banner import RetentionBanner


async def test_banner_warns_while_objection_push_is_off(demo: DemoSetup,
                                                        build_app: Callable[..., KuferApp]) -> None:
    demo.settings.unsubscribers.push_objections = False
    app = build_app("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one(RetentionBanner)
        text = str(banner.render())
        assert banner.has_class("-shown")
        assert "not passed to Maileon" in text and "never pulled" in text


async def test_banner_hidden_when_all_is_well(demo: DemoSetup, build_app: Callable[..., KuferApp]) -> None:
    from datetime import UTC, datetime

    from kufertui.store import Workspace

    with Workspace.open(demo.workspace_root) as ws:
        ws.set_meta("last_pull_at", datetime.now(UTC).isoformat(timespec="seconds"))
    app = build_app("de")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(RetentionBanner).has_class("-shown")
