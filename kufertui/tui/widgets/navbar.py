"""The one-line bar of screens and their function keys, highlighting the current one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kufertui.i18n import t
from kufertui.tui.keys import key_for

NAV_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("contacts", "f2", "nav.contacts"),
    ("fields", "f3", "nav.fields"),
    ("upload", "f4", "nav.upload"),
    ("results", "f5", "nav.results"),
    ("history", "f6", "nav.history"),
    ("settings", "f9", "nav.settings"),
)


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="navbar")
        self.current = current

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for mode, key, label in NAV_ITEMS:
            shown = key_for(self.app, f"nav.{mode}", key).upper()
            style = "bold reverse" if mode == self.current else ""
            text.append(f"{shown}", style=f"bold {style}".strip())
            text.append(f" {t(label)}", style=style)
            text.append(" ")
        if getattr(getattr(self.app, "state", None), "read_only", False):
            text.append(f" {t('app.read-only-badge')} ", style="bold reverse")  # the helpdesk sees why keys refuse
        self.update(text)
