"""Textual's own parts in our language: the command palette, its built-in commands, the Ctrl+C prompt.

Textual 8 writes these in English (SystemCommand titles, "Search for commands…", "No matches found",
"Do you want to quit?", the screenshot notification). We replace them with our own commands and texts
from the catalogue (`messages/tui.py`, keys `palette.*`). The palette's "no matches" line is built in a
private method of CommandPalette: overridden in tui/textual_internals.py, with the rest of Textual's private API.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import ThemeProvider

from kufertui import i18n
from kufertui.i18n import t
from kufertui.paths import WorkspacePaths
from kufertui.tui.keys import READ_ONLY_REFUSED
from kufertui.tui.plain import markup_escape
from kufertui.tui.textual_internals import PaletteWithOurNoMatches

SCREENSHOT_DELIVERY = "kufertui-screenshot"  # not Textual's "screenshot": its English notice stays silent

# Textual's own bindings worth offering, by action, with our text for them. Other built-in widget
# bindings (scrolling, cursor movement) are keys, not commands: they stay out of the palette.
BUILTIN_BINDINGS = {
    "app.focus_next": "palette.focus-next",
    "app.focus_previous": "palette.focus-previous",
    "screen.copy_text": "palette.copy-text",
}
HIDDEN_ACTIONS = frozenset({"command_palette", "app.command_palette"})  # the palette is already open


class KuferCommandPalette(PaletteWithOurNoMatches):
    """The command palette with our placeholder and our "no matches" line."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", t("palette.search"))
        super().__init__(**kwargs)

    def no_matches_text(self) -> str:
        return t("palette.no-matches")


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Every action the screen offers by key, in our words; Textual's untranslated bindings left out."""
    ours = set(i18n.catalogues()[i18n.language()].values())
    seen: set[str] = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or binding.action in seen or binding.action in HIDDEN_ACTIONS:
            continue
        if getattr(getattr(app, "state", None), "read_only", False) and binding.id in READ_ONLY_REFUSED:
            continue  # the helpdesk's read-only view offers only what works
        title = t(BUILTIN_BINDINGS[binding.action]) if binding.action in BUILTIN_BINDINGS else binding.description
        if not title or title not in ours:
            continue
        seen.add(binding.action)
        node = active.node
        # the palette parses both as markup: a key the keymap names "[" must stay a "["
        yield SystemCommand(markup_escape(title), markup_escape(app.get_key_display(binding)),
                            lambda n=node, a=binding.action: app.call_later(n.run_action, a))


def system_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Textual's system commands (theme, maximise, screenshot) with our texts; quit and help are bindings."""
    yield SystemCommand(t("palette.theme"), t("palette.theme-help"), lambda: open_theme_picker(app))
    if screen.maximized is not None:
        yield SystemCommand(t("palette.minimize"), t("palette.minimize-help"), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(t("palette.maximize"), t("palette.maximize-help"), screen.action_maximize)
    yield SystemCommand(t("palette.screenshot"), t("palette.screenshot-help"),
                        lambda: app.set_timer(0.1, lambda: deliver_screenshot(app, screenshot_folder(app))))


def open_theme_picker(app: App[Any]) -> None:
    app.push_screen(KuferCommandPalette(providers=[ThemeProvider], placeholder=t("palette.theme-search")))


def screenshot_folder(app: App[Any]) -> Path:
    """Where a screenshot goes: the workspace's exports folder, beside the CSV exports and support bundles
    (Textual's default, ~/Downloads, is missing on a server and failed without a word)."""
    return WorkspacePaths(app.state.workspace_root).exports_dir  # type: ignore[attr-defined, no-any-return]


def deliver_screenshot(app: App[Any], folder: Path) -> None:
    """Textual's screenshot, delivered under our own name so that our notice (not its English one) shows:
    saved in ``folder`` in a terminal, offered as a download in the browser (`kufertui serve`)."""
    name = f"kufertui-{datetime.now():%Y%m%d-%H%M%S}.svg"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # said, with the reason, never a silent nothing
        text, severity = screenshot_notice(None, failed=f"{folder}: {exc.strerror or exc}")
        app.notify(text, severity=severity, timeout=12)  # type: ignore[arg-type]
        return
    app.deliver_text(io.StringIO(app.export_screenshot()), save_directory=folder, save_filename=name,
                     open_method="browser", mime_type="image/svg+xml", name=SCREENSHOT_DELIVERY)


def screenshot_notice(path: str | None, *, failed: str = "") -> tuple[str, str]:
    """(message, severity) for a finished screenshot delivery; ``failed``: why it was not saved."""
    if failed:
        return t("palette.screenshot-failed", detail=failed), "error"
    return (t("palette.screenshot-saved", path=path) if path else t("palette.screenshot-done")), "information"


def quit_prompt(app: App[Any]) -> None:
    """Ctrl+C does not quit a Textual app: say which key does, in our words (Textual's help_quit)."""
    for key, active in app.active_bindings.items():
        if active.binding.action in ("quit", "app.quit"):
            app.notify(t("palette.quit-how", key=app.get_key_display(active.binding) or key),
                       title=t("palette.quit-title"))
            return
