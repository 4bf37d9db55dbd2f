"""Every use of Textual's private API, in one module: what Textual offers no public way to do.

- the bindings of a node (``DOMNode._bindings``): their descriptions are message keys, translated per instance
  once ``--lang`` is known, and some are hidden in the read-only view (tui/keys.py);
- the keymap the user set (``App._keymap``): the key a binding id is on now (tui/keys.py);
- the command palette's "No matches found" line, built inside ``CommandPalette._start_no_matches_countdown``:
  our copy of that method with our text (tui/palette.py);
- a DataTable column's width changed after the fact (``DataTable._clear_caches``,
  ``_require_update_dimensions``): tui/widgets/columns.py;
- a new screen marked as styled with the app's current CSS (``Screen._css_update_count``): the first visit of
  a mode would otherwise re-parse every stylesheet twice (tui/screens/base.py).

tests/tui/test_textual_internals.py checks each against the installed Textual (the attributes and their shapes,
and the copied method's source against the one it was copied from), so that a Textual release that changes one
fails there, by name, instead of somewhere in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import App
from textual.binding import BindingsMap
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets.option_list import Option

# the source of CommandPalette._start_no_matches_countdown that our copy follows (sha256 of its dedented
# source, Textual 8.2.8); the test compares the installed one with it
NO_MATCHES_SOURCE_SHA256 = "caa0724dc67501e96dd461c6ecc60bd59920e0c033318177dd04ce0f6894553e"


def bindings_of(node: DOMNode) -> BindingsMap:
    """The node's own bindings (class BINDINGS as this instance holds them)."""
    return node._bindings


def keymap_of(app: App[Any]) -> Mapping[str, str]:
    """The keymap set with ``App.set_keymap``: binding id → keys."""
    return getattr(app, "_keymap", {})


def adopt_current_css(screen: Screen[Any]) -> None:
    """Mark a screen built now as styled with the app's CSS as it is now. A new screen starts at -1 ("never
    refreshed"), and the first switch to its mode then re-parses all CSS and re-applies it to the old and the new
    screen, twice (``App._init_mode``, ``App.switch_mode``): a fifth of the first visit of Settings.

    Only where that re-parse would change nothing: the stylesheet holds the theme's variables as they are now (a
    theme change sets them anew at once; until then the screen keeps -1 and is refreshed as before), and the app
    shows a screen already (its first screen takes Textual's way: its start-up refresh is left as it was)."""
    app = screen.app
    try:
        shown = app.get_screen_stack()
    except KeyError:
        shown = []
    if shown and app.stylesheet._variables == app.get_css_variables():
        screen._css_update_count = app._css_update_count


def remeasure_columns(table: DataTable[Any]) -> None:
    """Make the table measure itself again after a column's width was set."""
    table._clear_caches()
    table._require_update_dimensions = True
    table.refresh()


class PaletteWithOurNoMatches(CommandPalette):
    """The command palette, its "no matches" line in our words (``no_matches_text``)."""

    def no_matches_text(self) -> str:
        return "No matches found"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # CommandPalette._start_no_matches_countdown (see NO_MATCHES_SOURCE_SHA256), with our text
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(self.no_matches_text(), style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
