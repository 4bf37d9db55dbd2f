"""Issue 17.6, TUI side: a contact whose name carries ESC sequences and Rich markup is shown with the
control characters escaped and the brackets literal, in the contact table and in the detail dialog."""

from __future__ import annotations

from collections.abc import Callable

from tui_helpers import text, wait_for

from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.contact_detail import ContactDetail
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.widgets.contact_table import ContactTable

HOSTILE_NAME = "Evil\x1b]0;pwned\x07\x1b[2J[b]bold[/b][link=http://x]y"


async def test_hostile_contact_text_is_escaped_and_never_markup(build_app: Callable[..., KuferApp],
                                                                 demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:  # as if stored by an older version, unsanitised
        ws.conn.execute("UPDATE contacts SET last_name=?", (HOSTILE_NAME,))
        ws.conn.commit()
    app = build_app("en")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        table = app.screen.query_one(ContactTable)
        await pilot.press("0")  # every status
        await wait_for(pilot, lambda: table.counted and table.total > 0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = "".join(segment.text for segment in table.render_line(1))
        assert "Evil\\x1b]0" in line and "\x1b" not in line and "\x07" not in line

        table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail))
        body = text(app, "#detail-body")
        assert "\x1b" not in body and "\x07" not in body
        assert "Evil\\x1b]0;pwned\\x07\\x1b[2J[b]bold[/b][link=http://x]y" in body  # brackets shown, not applied


async def test_upload_log_escapes_server_text(build_app: Callable[..., KuferApp]) -> None:
    """An error body from Maileon or a proxy reaches the upload screen's log as an event parameter."""
    from textual.widgets import Log

    from kufertui.sync.events import Failed, Message
    from kufertui.tui.screens.upload import UploadScreen

    app = build_app("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        screen = app.screen
        screen.events.put(Message("warning", "engine.maileon-error", {"detail": f"502 {HOSTILE_NAME}"}))
        screen.events.put(Failed("engine.maileon-error", {"detail": f"body {HOSTILE_NAME}"}, None, 3))
        screen._drain()
        lines = "\n".join(str(line) for line in screen.query_one("#event-log", Log).lines)
        assert "502 Evil\\x1b]0;pwned" in lines and "body Evil\\x1b]0;pwned" in lines
        assert "\x1b" not in lines and "\x07" not in lines
