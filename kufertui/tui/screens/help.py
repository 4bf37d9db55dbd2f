"""F1 help: the keys of the screen it was opened from and the searchable troubleshooting handbook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from kufertui.core.hints import api_host_of
from kufertui.i18n import t
from kufertui.tui.hints import all_hints
from kufertui.tui.keys import localize_bindings


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_KEY_NAMES = {"/": "slash", "⏎": "enter", "return": "enter", "␣": "space"}


def _key_name(key: str) -> str:
    key = key.strip().lower()
    return _KEY_NAMES.get(key, key)


def key_rows(origin: Screen[Any], display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """(key, what it does) for the help: each key once. A screen's HELP_KEYS text says more than a
    binding's footer label, so it replaces the label of the binding on the same key."""
    rows: list[tuple[str, str]] = []
    names: list[set[str]] = []
    for _key, active in origin.active_bindings.items():
        b = active.binding
        shown = display(b)
        if (not b.description or not b.id or any(d == b.description for _, d in rows)
                or any(_key_name(shown) in n for n in names)):
            continue
        rows.append((shown, b.description))
        names.append({_key_name(k) for k in b.key.split(",")} | {_key_name(shown)})
    for key, message in getattr(origin, "HELP_KEYS", ()):
        index = next((i for i, n in enumerate(names) if _key_name(key) in n), None)
        if index is None:
            rows.append((key, t(message)))
            names.append({_key_name(key)})
        else:
            rows[index] = (rows[index][0], t(message))
    rows.append(("ctrl+p", t("help.palette")))
    return rows


SEARCH_PAUSE_S = 0.15


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "key.close", id="help.close"),
        Binding("slash,ctrl+f", "focus_search", "key.search", id="help.search"),
    ]

    def __init__(self, origin: Screen[Any]) -> None:
        super().__init__(classes="modal")
        localize_bindings(self)
        self.keys_markdown = self._keys(origin)
        self._search_timer: Timer | None = None

    def _keys(self, origin: Screen[Any]) -> str:
        self.key_rows = key_rows(origin, self.app.get_key_display)
        lines = [f"[b]{t('help.keys')}[/b]", ""]
        lines += [f"  [b $accent]{escape(k):<10}[/] {escape(d)}" for k, d in self.key_rows]
        return "\n".join(lines)

    def handbook(self, query: str = "") -> str:
        hints = all_hints(query, api_host_of(self.app.state.settings.maileon.base_url))  # type: ignore[attr-defined]
        lines = ["", f"[b]{t('help.handbook')}[/b]", ""]
        if not hints:
            lines.append(t("help.no-hints"))
        for h in hints:
            lines += [f"[b]{escape(h.title)}[/b] [dim]{escape(h.id)}[/dim]",
                      f"[i]{t('hint.cause')}:[/i] {escape(h.cause)}",
                      f"[i]{t('hint.fix')}:[/i] {escape(h.fix)}", ""]
        return "\n".join(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Input(placeholder=t("help.search"), id="help-search", compact=True)
            with VerticalScroll(id="help-scroll"):
                yield Static(self.keys_markdown + self.handbook(), id="help-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @on(Input.Changed, "#help-search")
    def _search(self, event: Input.Changed) -> None:
        # the whole handbook is rendered again per search: once typing pauses, not per key (fast typing
        # over a slow link queued a render behind every key)
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE_S, lambda: self._show_matches(event.value))

    def _show_matches(self, query: str) -> None:
        self._search_timer = None
        text = self.handbook(query) if query.strip() else self.keys_markdown + self.handbook()
        self.query_one("#help-text", Static).update(text)

    def action_focus_search(self) -> None:
        self.query_one("#help-search", Input).focus()
