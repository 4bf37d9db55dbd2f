"""The contacts search: the first key after a pause filters at once (issue 27: a keystroke to new rows in
≤ 100 ms), the keys that follow it quickly are filtered once, when they stop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_helpers import wait_for

from kufertui.tui.app import KuferApp
from kufertui.tui.screens import contacts
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.widgets.contact_table import ContactTable


async def test_the_first_key_filters_at_once_and_a_burst_once(build_app: Callable[..., KuferApp],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts, "SEARCH_DEBOUNCE", 1.0)  # a pause long enough to tell "at once" from "later"
    app = build_app("de")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen) and app.screen.index is not None)
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        table = screen.query_one(ContactTable)
        everyone = table.total
        filtered: list[str] = []
        apply_filter = screen.apply_filter

        def counted_apply() -> None:
            filtered.append(app.state.selection.search)
            apply_filter()

        screen.apply_filter = counted_apply  # type: ignore[method-assign]
        await pilot.press("slash")
        await pilot.press("m")
        assert app.state.selection.search == "m"  # no wait for the pause
        assert 0 < table.total < everyone
        await pilot.press("ü", "l")  # right after it: held until the keys stop
        assert app.state.selection.search == "m"
        await wait_for(pilot, lambda: app.state.selection.search == "mül")
        await pilot.pause()
        assert filtered == ["m", "mül"]
        assert screen.index is not None
        assert table.total == len(screen.index.query(app.state.selection)[0])  # the rows of "mül"
