"""Binding helpers: translated key descriptions, keys named the way the reader's keyboard labels them
("Strg+Q", "F8", "Leertaste" in German; "Ctrl+Q", "F8", "Space" in English), and the key a binding id is
currently on."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key

from kufertui.i18n import t
from kufertui.tui.textual_internals import bindings_of, keymap_of


def localize_bindings(node: DOMNode) -> None:
    """Replace message keys in binding descriptions by texts in the current language.

    Bindings are class attributes built at import time, before `--lang` is known, so their
    descriptions hold message keys ("key.help") that are translated per instance here.
    """
    bindings_map = bindings_of(node)
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(b, description=t(b.description), tooltip=t(b.tooltip) if b.tooltip else "")
            if b.description.startswith("key.") else b
            for b in bindings
        ]


# Textual's own widgets whose keys reach a footer, their English descriptions → our texts (messages/tui.py)
TEXTUAL_DESCRIPTIONS = {"Dismiss menu": "key.dismiss-menu"}


def localize_textual_bindings(node: DOMNode) -> None:
    """The footer texts of a Textual widget (a dropdown's open menu) in the reader's language."""
    bindings_map = bindings_of(node)
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(b, description=t(TEXTUAL_DESCRIPTIONS[b.description]))
            if b.description in TEXTUAL_DESCRIPTIONS else b for b in bindings]


# What `serve --read-only` refuses (tui/screens/base.py): not offered in footers or the palette.
READ_ONLY_REFUSED = frozenset({"upload.start", "upload.resume", "upload.dry-run", "settings.save", "fields.keep",
                               "results.target-group", "contacts.save-segment", "app.support-bundle",
                               "history.remove-leavers"})


def hide_bindings(node: DOMNode, ids: frozenset[str]) -> None:
    """Take the bindings with these ids out of the footer; the keys still answer (with a refusal)."""
    bindings_map = bindings_of(node)
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [replace(b, show=False) if b.id in ids else b for b in bindings]


# Textual's key names that a keyboard labels otherwise (texts "keyname.<name>" in messages/tui.py)
_NAMED = frozenset({"ctrl", "shift", "alt", "escape", "enter", "space", "delete", "backspace", "tab", "insert",
                    "home", "end", "pageup", "pagedown"})
_SYMBOLS = {"up": "↑", "down": "↓", "left": "←", "right": "→", "slash": "/", "minus": "-", "plus": "+"}


def key_label(key: str) -> str:
    """One key as the reader's keyboard names it: "ctrl+q" → "Strg+Q" (German) or "Ctrl+Q" (English),
    "f8" → "F8", "escape" → "Esc", "space" → "Leertaste"; a plain letter stays as it is ("a", "g").
    Of several keys ("slash,ctrl+f") the first is named."""
    first = key.split(",")[0].strip()
    if not first:
        return ""
    *modifiers, name = first.split("+") if first != "+" else ["+"]
    parts = [t(f"keyname.{m}") if m in _NAMED else m.capitalize() for m in modifiers]
    if name in _NAMED:
        shown = t(f"keyname.{name}")
    elif name in _SYMBOLS:
        shown = _SYMBOLS[name]
    elif len(name) >= 2 and name[0] == "f" and name[1:].isdigit():
        shown = name.upper()
    elif len(name) == 1:
        shown = name.upper() if modifiers else name
    else:
        shown = format_key(name)
    return "+".join([*parts, shown])


def key_for(app: App[object], binding_id: str, node: DOMNode | None = None) -> str:
    """The key the user's keymap puts this binding on, shown the way the footer shows keys; ``node``: the
    screen or widget that holds the binding (default: the app)."""
    holder = node if node is not None else app
    default = next((b.key for bindings in bindings_of(holder).key_to_bindings.values() for b in bindings
                    if b.id == binding_id), "")
    keys = keymap_of(app).get(binding_id, default)
    first = keys.split(",")[0].strip()
    return app.get_key_display(Binding(first, ""))
