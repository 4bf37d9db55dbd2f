"""One troubleshooting hint: title, cause, fix; F8 copies it (OSC 52, works over SSH).

The hint itself is our Markdown (catalogue texts; the one value in it, the Maileon host, escaped). What
the caller adds – examples of rejected addresses, an error text from Maileon – is data: it is shown below
in a plain Static, never as Markdown (an address ``[x](https://…)`` would be a link there)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown, Static

from kufertui.core.hints import api_host_of
from kufertui.i18n import t
from kufertui.tui.hints import HintText, get_hint
from kufertui.tui.keys import localize_bindings
from kufertui.tui.plain import markdown_escape, plain


class HintModal(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "key.close", id="hint.close"),
        Binding("f8", "copy_hint", "key.copy", id="hint.copy"),
    ]

    def __init__(self, hint_id: str | None, extra: str = "", *, host: str | None = None,
                 title: str | None = None) -> None:
        """``host``: the Maileon host the connection hints name; by default the one in the app's settings
        (the Settings screen passes its draft's, which the connection test used). ``extra``: what this
        case adds (examples, an error text), shown as plain text. ``title``: instead of the hint's own
        (a cause the local check found, whose hint is titled with Maileon's code)."""
        super().__init__(classes="modal")
        localize_bindings(self)
        self.hint_id = hint_id
        self.extra = extra
        self.host = host
        self.title_text = title

    def _host(self) -> str:
        return self.host or api_host_of(self.app.state.settings.maileon.base_url)  # type: ignore[attr-defined]

    @property
    def hint(self) -> HintText | None:
        """The hint as shown: read from the app's settings, so only once the dialog belongs to the app."""
        return get_hint(self.hint_id, self._host()) if self.hint_id else None

    def markdown(self) -> str:
        """Our Markdown: catalogue texts only; the host and the hint id in them escaped for Markdown."""
        h = get_hint(self.hint_id, markdown_escape(self._host())) if self.hint_id else None
        if h is None:
            return f"# {t('hint.missing-title')}\n\n{t('hint.missing', id=markdown_escape(self.hint_id or '–'))}"
        title = markdown_escape(self.title_text) if self.title_text else h.title
        return f"# {title}\n\n**{t('hint.cause')}:** {h.cause}\n\n**{t('hint.fix')}:** {h.fix}"

    def text(self) -> str:
        """The hint and what this case adds as plain text (what F8 copies)."""
        h = self.hint
        if h is None:
            head = f"{t('hint.missing-title')}\n\n{t('hint.missing', id=self.hint_id or '–')}"
        else:
            head = f"{self.title_text or h.title}\n\n{t('hint.cause')}: {h.cause}\n\n{t('hint.fix')}: {h.fix}"
        extra = f"\n\n{self.extra}" if self.extra else ""
        return f"{head}{extra}\n\n{h.id}" if h is not None else f"{head}{extra}"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Markdown(self.markdown(), id="hint-text")
            if self.extra:  # between the fix and the hint's id, as a paragraph of the hint would be
                yield Static(plain(self.extra), id="hint-extra")
        yield Footer(show_command_palette=False)

    def action_copy_hint(self) -> None:
        self.app.copy_text(self.text())  # type: ignore[attr-defined]
