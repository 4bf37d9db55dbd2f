"""The one-line bar of screens and their function keys, highlighting the current one. The screens, their order and
keys are the registry's (tui/screens/registry.py, the app's MODES); the bar must fit 80 columns in every language
(tests/tui/test_navbar.py)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kufertui.i18n import t
from kufertui.tui.keys import key_for


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__(id="navbar")

    @property
    def current(self) -> str:
        """The mode of the screen this bar stands on ("" for a screen that is no mode)."""
        return next((mode for mode, screen in self.app.MODES.items() if type(self.screen) is screen), "")

    def on_mount(self) -> None:
        self.update(self.text(self.app.size.width))

    def on_resize(self) -> None:
        self.update(self.text(self.app.size.width))

    def text(self, width: int | None = None) -> Text:
        """The bar: each mode's key and name in the registry's order, then the read-only badge. Wider than
        ``width`` (the helpdesk's badge at 80 columns), the other modes show their key alone."""
        full = self._text(names=True)
        return full if width is None or full.cell_len <= width else self._text(names=False)

    def _text(self, *, names: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        current = self.current
        for mode in self.app.MODES:
            shown = key_for(self.app, f"nav.{mode}")
            style = "bold reverse" if mode == current else ""
            text.append(f"{shown}", style=f"bold {style}".strip())
            if names or mode == current:
                text.append(f" {t('nav.' + mode)}", style=style)
            text.append(" ")
        if getattr(getattr(self.app, "state", None), "read_only", False):
            text.append(f" {t('app.read-only-badge')} ", style="bold reverse")  # the helpdesk sees why keys refuse
        return text
