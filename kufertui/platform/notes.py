"""Platform notes: a platform problem the user must hear about, and what every platform module asks first
(whether this is Windows, the flag that keeps os.open binary there)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

IS_WINDOWS = os.name == "nt"

# os.open opens in text mode on Windows unless told otherwise: LF would become CRLF
O_BINARY: int = getattr(os, "O_BINARY", 0)

# ---------------------------------------------------------------------------------------------- notes
# A platform problem the user must hear about (no ACL, a fallback file name, a network share).
# Lower layers call note(); the default sink prints the translated text to stderr once.
NoteSink = Callable[[str, dict[str, str]], None]
_seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()


def _print_note(message_id: str, params: dict[str, str]) -> None:
    from kufertui import i18n

    key = (message_id, tuple(sorted(params.items())))
    if key in _seen:
        return
    _seen.add(key)
    print(i18n.t(message_id, **params), file=sys.stderr, flush=True)


_sink: NoteSink = _print_note


def note(message_id: str, **params: str) -> None:
    _sink(message_id, params)


def set_note_sink(sink: NoteSink | None) -> NoteSink:
    """Route notes elsewhere (tests, the TUI); None restores stderr. Returns the previous sink."""
    global _sink
    previous, _sink = _sink, sink or _print_note
    return previous
