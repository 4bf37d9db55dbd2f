"""`kufertui demo` shows how far it got at once and its contacts once they are imported (issue 27: with 100,000
contacts the terminal stayed blank for many seconds while the demo prepared)."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import wait_for

from kufertui import i18n
from kufertui.sync.demo_setup import DemoStarter
from kufertui.tui.app import make_app
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.demo_loading import DemoLoadingScreen
from kufertui.tui.widgets.contact_table import ContactTable


async def test_the_demo_shows_its_progress_first_and_its_contacts_when_ready(tmp_path: Path) -> None:
    starter = DemoStarter(300, 7, "de")
    try:
        app = make_app(starter.settings, starter.settings_path, starter.workspace_root, lang="de", demo=True,
                       preparing=starter)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            # nothing prepared yet (the starter is held back here): the progress is on screen, not a blank one
            assert isinstance(app.screen, DemoLoadingScreen)
            shown = app.export_screenshot()  # on the terminal, not only in the widgets
            assert "300&#160;erfundene&#160;Kontakte" in shown or "300 erfundene Kontakte" in shown
            assert "Schritt" in shown
            await pilot.press("f9")  # no screen of an empty workspace meanwhile
            await pilot.pause()
            assert isinstance(app.screen, DemoLoadingScreen)

            starter.start()
            await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), timeout=60)
            table = app.screen.query_one(ContactTable)
            await wait_for(pilot, lambda: table.total > 0, timeout=30)
            assert starter.settings.maileon.base_url.startswith("http://127.0.0.1:")
            await pilot.press("f9")  # the screens work as usual now
            await pilot.pause()
            assert not isinstance(app.screen, (DemoLoadingScreen, ContactsScreen))
    finally:
        starter.close()
        i18n.set_language("de")
