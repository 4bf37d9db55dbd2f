"""F1 help: the keys of the screen it was opened from and the searchable troubleshooting handbook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from kufertui.core.hints import api_host_of
from kufertui.core.terminal import printable
from kufertui.i18n import t
from kufertui.tui.hints import all_hints
from kufertui.tui.keys import key_label, localize_bindings


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
            rows.append((key if " " in key else key_label(key), t(message)))  # "1 2 3 4 0": several keys
            names.append({_key_name(key)})
        else:
            rows[index] = (rows[index][0], t(message))
    rows.append((key_label("ctrl+p"), t("help.palette")))
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

    # the templates are ours; every text goes in as a $variable, which Textual never parses as markup
    def _keys(self, origin: Screen[Any]) -> Content:
        self.key_rows = key_rows(origin, self.app.get_key_display)
        lines = [Content.from_markup("[b]$title[/b]", title=t("help.keys")), Content("")]
        lines += [Content.from_markup("  [b $accent]$key[/] $what", key=f"{printable(k):<10}", what=printable(d))
                  for k, d in self.key_rows]
        return Content("\n").join(lines)

    def handbook(self, query: str = "") -> Content:
        hints = all_hints(query, api_host_of(self.app.state.settings.maileon.base_url))  # type: ignore[attr-defined]
        lines = [Content(""), Content.from_markup("[b]$title[/b]", title=t("help.handbook")), Content("")]
        if not hints:
            lines.append(Content(t("help.no-hints")))
        for h in hints:
            lines += [Content.from_markup("[b]$title[/b]", title=printable(h.title)),  # no handbook id: words only
                      Content.from_markup("[i]$label:[/i] $text", label=t("hint.cause"), text=printable(h.cause)),
                      Content.from_markup("[i]$label:[/i] $text", label=t("hint.fix"), text=printable(h.fix)),
                      Content("")]
        return Content("\n").join(lines)

    def help_text(self, query: str = "") -> Content:
        """The keys and the whole handbook; only the matching hints while a search is typed."""
        return self.handbook(query) if query.strip() else self.keys_markdown + self.handbook()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Input(placeholder=t("help.search"), id="help-search", compact=True)
            with VerticalScroll(id="help-scroll"):
                yield Static(self.help_text(), id="help-text")
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
        self.query_one("#help-text", Static).update(self.help_text(query))

    def action_focus_search(self) -> None:
        self.query_one("#help-search", Input).focus()
