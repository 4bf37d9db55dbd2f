"""One troubleshooting hint: title, cause, fix; F8 copies it (OSC 52, works over SSH)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from kufertui.core.hints import api_host_of
from kufertui.i18n import t
from kufertui.tui.hints import HintText, get_hint
from kufertui.tui.keys import localize_bindings


class HintModal(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "key.close", id="hint.close"),
        Binding("f8", "copy_hint", "key.copy", id="hint.copy"),
    ]

    def __init__(self, hint_id: str | None, extra: str = "", *, host: str | None = None) -> None:
        """``host``: the Maileon host the connection hints name; by default the one in the app's settings
        (the Settings screen passes its draft's, which the connection test used)."""
        super().__init__(classes="modal")
        localize_bindings(self)
        self.hint_id = hint_id
        self.extra = extra
        self.host = host

    @property
    def hint(self) -> HintText | None:
        """The hint as shown: read from the app's settings, so only once the dialog belongs to the app."""
        if not self.hint_id:
            return None
        host = self.host or api_host_of(self.app.state.settings.maileon.base_url)  # type: ignore[attr-defined]
        return get_hint(self.hint_id, host)

    def markdown(self) -> str:
        if self.hint is None:
            return f"# {t('hint.missing-title')}\n\n{t('hint.missing', id=self.hint_id or '–')}\n\n{self.extra}"
        h = self.hint
        return (f"# {h.title}\n\n**{t('hint.cause')}:** {h.cause}\n\n**{t('hint.fix')}:** {h.fix}\n\n"
                f"{self.extra}\n\n`{h.id}`")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Markdown(self.markdown(), id="hint-text")
        yield Footer(show_command_palette=False)

    def action_copy_hint(self) -> None:
        self.app.copy_text(self.markdown())  # type: ignore[attr-defined]
