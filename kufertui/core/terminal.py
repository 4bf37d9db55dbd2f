"""Text from input (file headers, cells, tags, server answers) made safe to show in a terminal.

ESC, BEL and the other control characters would be interpreted by the terminal (a CSV header
`ESC]0;…BEL` renames the window, `ESC[2J` clears the screen), and bidi overrides reorder what is
shown. They are replaced by visible escapes (``\\x1b``, ``\\u202e``) so the reader sees what is there.
"""

from __future__ import annotations

import re

# C0, DEL, C1, the Unicode direction marks/overrides/isolates, and the line/paragraph separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# the same without the line feed: for a text of several lines that we composed ourselves
_UNSAFE_BUT_LF = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, keep_lines: bool = False) -> str:
    """The value as text with every control character shown as an escape; nothing else changes.
    ``keep_lines``: line feeds stay line breaks (a text of several lines); CR and the rest are escaped."""
    text = "" if value is None else str(value)
    unsafe = _UNSAFE_BUT_LF if keep_lines else _UNSAFE
    return unsafe.sub(_visible, text) if unsafe.search(text) else text


# what json.dumps(ensure_ascii=False) leaves raw but a terminal acts on: DEL, C1 (U+009B is CSI, U+009D OSC),
# the direction marks/overrides/isolates and the line/paragraph separators
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: still the same JSON value (they only
    occur inside strings), but nothing a terminal showing it would interpret or reorder."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_params(params: dict[str, object]) -> dict[str, object]:
    """Message parameters with every text escaped; numbers stay numbers (for their format specs)."""
    return {k: printable(v) if isinstance(v, str) else v for k, v in params.items()}
