"""An open dropdown's footer speaks the reader's language (Textual's own text is "Dismiss menu")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Select
from tui_helpers import wait_for

from kufertui.tui.app import KuferApp
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.settings import SettingsScreen


@pytest.mark.parametrize(("lang", "shown"), [("de", "Menü schließen"), ("en", "Close menu")])
@pytest.mark.parametrize(("key", "screen", "select"), [("f9", SettingsScreen, "#set-permissions-J"),
                                                       ("f2", ContactsScreen, "#dept")])
async def test_an_open_dropdown_says_how_to_close_it_in_the_readers_language(
        build_app: Callable[..., KuferApp], lang: str, shown: str, key: str, screen: type, select: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, screen))
        dropdown = app.screen.query_one(select, Select)
        dropdown.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: dropdown.expanded)
        await pilot.pause()
        footer = " ".join(str(key.render()) for key in app.screen.query("FooterKey"))
        assert shown in footer and "Dismiss" not in footer, footer
