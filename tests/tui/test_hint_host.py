"""The connection hints name the Maileon host of the settings in use (a test system, a proxy in front),
in the hint dialog and in the F1 handbook, in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static
from tui_helpers import wait_for

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.screens.help import HelpScreen


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_hint_dialog_and_handbook_name_the_host_in_use(
        demo: DemoSetup, build_app: Callable[..., KuferApp], lang: str) -> None:
    demo.settings.maileon.base_url = "https://maileon-test.vhs-beispiel.de:8443/1.0"
    app = build_app(lang)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(HintModal("network"))
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        modal = app.screen
        assert isinstance(modal, HintModal) and modal.hint is not None
        shown = modal.text()  # what F8 copies; the Markdown has the host escaped for Markdown
        assert "maileon-test.vhs-beispiel.de:8443" in shown
        assert "api.maileon.com" not in shown and "{host}" not in shown
        await pilot.press("escape")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        handbook = str(app.screen.query_one("#help-text", Static).render())
        assert "maileon-test.vhs-beispiel.de:8443" in handbook
        assert "{host}" not in handbook


async def test_handbook_search_typed_fast_shows_the_matches_of_the_whole_word(
        demo: DemoSetup, build_app: Callable[..., KuferApp]) -> None:
    app = build_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("slash", *"certificate")
        assert app.screen.query_one("#help-search").value == "certificate"  # type: ignore[attr-defined]

        def shown() -> str:
            return str(app.screen.query_one("#help-text", Static).render())

        await wait_for(pilot, lambda: "Keys on this screen" not in shown())
        assert "tls" in shown()
        assert "key-invalid" not in shown()  # only the entries that mention it
