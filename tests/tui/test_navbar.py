"""The navbar: one tab per screen of the registry, in its order, highlighting the screen it stands on, all names
within 80 columns in German and English. A screen whose tab no longer fits fails here, not on a terminal. The
helpdesk's read-only badge makes it wider: then the other tabs show their keys alone, and the badge is seen."""

from __future__ import annotations

import httpx
import pytest
from tui_helpers import wait_for

from kufertui import i18n
from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import make_app
from kufertui.tui.screens.registry import SCREENS
from kufertui.tui.widgets.navbar import NavBar

WIDTH = 80


@pytest.mark.parametrize("read_only", [False, True], ids=["normal", "read-only"])
@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_tabs_fit_80_columns_and_follow_the_registry(demo: DemoSetup, lang: str, read_only: bool) -> None:
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True, read_only=read_only,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)))
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        for entry in SCREENS:
            await pilot.press(entry.key)
            await wait_for(pilot, lambda e=entry: isinstance(app.screen, e.screen))
            bar = app.screen.query_one(NavBar)
            shown = bar.text(WIDTH)
            assert shown.cell_len <= WIDTH, f"{lang}: the navbar needs {shown.cell_len} columns: {shown.plain!r}"
            text = bar.text() if not read_only else shown
            assert text.cell_len <= WIDTH, f"{lang}: the tabs need {text.cell_len} columns: {text.plain!r}"
            labels = [i18n.t(f"nav.{e.mode}") for e in SCREENS if not read_only or e is entry]
            at = [text.plain.index(label) for label in labels]
            assert at == sorted(at), text.plain  # the registry's order
            current = [text.plain[s.start:s.end] for s in text.spans if "reverse" in str(s.style)]
            assert bar.current == entry.mode and f" {i18n.t(f'nav.{entry.mode}')}" in current
            assert (i18n.t("app.read-only-badge") in shown.plain) is read_only
    i18n.set_language("de")
