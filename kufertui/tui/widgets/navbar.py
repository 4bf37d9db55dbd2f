"""The one-line bar of screens and their function keys, highlighting the current one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kufertui.i18n import t
from kufertui.tui.keys import key_for


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="navbar")
        self.current = current

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for mode in self.app.MODES:  # the screen registry's order (tui/screens/registry.py)
            shown = key_for(self.app, f"nav.{mode}")
            style = "bold reverse" if mode == self.current else ""
            text.append(f"{shown}", style=f"bold {style}".strip())
            text.append(f" {t('nav.' + mode)}", style=style)
            text.append(" ")
        if getattr(getattr(self.app, "state", None), "read_only", False):
            text.append(f" {t('app.read-only-badge')} ", style="bold reverse")  # the helpdesk sees why keys refuse
        self.update(text)
