"""Binding helpers: translated key descriptions and the key a binding id is currently on."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from kufertui.i18n import t


def localize_bindings(node: DOMNode) -> None:
    """Replace message keys in binding descriptions by texts in the current language.

    Bindings are class attributes built at import time, before `--lang` is known, so their
    descriptions hold message keys ("key.help") that are translated per instance here.
    """
    bindings_map = node._bindings
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        bindings_map.key_to_bindings[key] = [
            replace(b, description=t(b.description), tooltip=t(b.tooltip) if b.tooltip else "")
            if b.description.startswith("key.") else b
            for b in bindings
        ]


def key_for(app: App[object], binding_id: str) -> str:
    """The key the user's keymap puts this binding on, shown the way the footer shows keys."""
    default = next((b.key for bindings in app._bindings.key_to_bindings.values() for b in bindings
                    if b.id == binding_id), "")
    keys = app._keymap.get(binding_id, default) if hasattr(app, "_keymap") else default
    first = keys.split(",")[0].strip()
    return app.get_key_display(Binding(first, ""))
