"""The frame every main screen shares: screen bar, retention banner, body, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from kufertui.i18n import t
from kufertui.tui.keys import READ_ONLY_REFUSED, hide_bindings, localize_bindings, localize_textual_bindings
from kufertui.tui.textual_internals import adopt_current_css
from kufertui.tui.widgets.banner import RetentionBanner
from kufertui.tui.widgets.navbar import NavBar

if TYPE_CHECKING:
    from kufertui.tui.state import AppState


class BaseScreen(Screen[None]):
    HELP_KEYS: tuple[tuple[str, str], ...] = ()  # (key, message key) shown in F1 help besides bindings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adopt_current_css(self)  # built now: styled with the CSS as it is (no re-parse on the first visit)
        self._resume_pending: events.ScreenResume | None = None
        localize_bindings(self)
        if self.state.read_only:  # the helpdesk's view: the footer offers only what works
            hide_bindings(self, READ_ONLY_REFUSED)

    @property
    def state(self) -> AppState:
        return self.app.state  # type: ignore[attr-defined, no-any-return]

    @on(events.Mount)
    def _localize_textual_widgets(self) -> None:
        """Every screen's dropdowns: an open one's footer in the reader's language ("Dismiss menu" otherwise)."""
        for overlay in self.query("SelectOverlay"):
            localize_textual_bindings(overlay)

    def post_message(self, message: Message) -> bool:
        """A resume while another waits to be handled is dropped: the first switch to a mode posts two
        (``App._init_mode`` and ``App.switch_mode``), and each restyles the whole screen and runs its
        ``on_screen_resume``; the one handled sees the screen as it is then."""
        if isinstance(message, events.ScreenResume):
            pending = self._resume_pending
            if pending is not None and (pending.refresh_styles or not message.refresh_styles):
                return True
            if not super().post_message(message):
                return False
            self._resume_pending = message
            return True
        return super().post_message(message)

    @on(events.ScreenResume)
    def _resume_handled(self) -> None:
        self._resume_pending = None

    def compose(self) -> ComposeResult:
        yield NavBar()
        yield RetentionBanner()
        yield from self.compose_body()
        yield Footer(show_command_palette=False)

    def on_screen_resume(self) -> None:
        for banner in self.query(RetentionBanner):
            banner.check()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def refused_read_only(self, what: str) -> bool:
        """True (and says so) when the app is read-only; ``what`` names the refused action."""
        if not self.state.read_only:
            return False
        self.notify(t("app.read-only", what=t(f"app.read-only.{what}")), severity="warning", timeout=6)
        return True

    def copy_text(self) -> str | None:
        """What the copy key copies on this screen (None: nothing)."""
        return None
