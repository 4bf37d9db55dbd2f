"""The settings screen saves nothing that load_settings would refuse (a batch size Maileon rejects, an API
address without scheme), and shows a UWG date in the future as what it is: not yet confirmed."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Checkbox, Input, Static
from tui_helpers import wait_for

from kufertui.config import load_settings, save_settings
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.settings import SettingsScreen


async def test_invalid_batch_size_or_address_is_not_saved(demo: DemoSetup,
                                                          build_app: Callable[..., KuferApp]) -> None:
    save_settings(demo.settings, demo.settings_path)
    before = demo.settings_path.read_bytes()
    app = build_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        for wid, bad, good, text in (("#set-maileon-batch-size", "0", "500", "between 1 and 1000"),
                                     ("#set-maileon-base-url", "127.0.0.1:18765", "https://api.maileon.com/1.0",
                                      "https://host/1.0")):
            screen.query_one(wid, Input).value = bad
            await pilot.pause()
            error = screen.query_one(wid + "-error", Static)
            assert error.has_class("-shown") and text in str(error.render())
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert demo.settings_path.read_bytes() == before  # refused: nothing written
            assert str(screen.query_one("#settings-status", Static).render())  # "1 problem" stays visible
            screen.query_one(wid, Input).value = good
            await pilot.pause()
            assert not error.has_class("-shown")
        await pilot.press("ctrl+o")
        await pilot.pause()
    saved = load_settings(demo.settings_path, apply_env=False)  # what the screen saves, the CLI loads
    assert saved.maileon.batch_size == 500 and saved.maileon.base_url == "https://api.maileon.com/1.0"


async def test_a_future_confirmation_shows_an_empty_box(demo: DemoSetup,
                                                        build_app: Callable[..., KuferApp]) -> None:
    demo.settings.legal.k_notice_confirmed_on = "2099-01-01"
    app = build_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        box = app.screen.query_one("#k-notice", Checkbox)
        assert box.value is False
        assert "2099-01-01 lies in the future" in str(box.label)
        box.value = True  # ticking confirms today, as before
        await pilot.pause()
        assert "confirmed on" in str(box.label)
        assert app.screen.draft.legal.k_notice_confirmed_on == app.state.now().date().isoformat()
