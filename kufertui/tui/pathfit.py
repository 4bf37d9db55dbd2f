"""Long file paths in narrow places (notifications at 80 columns): break them after path separators,
and shorten a single part that is still too long in the middle, so that the file name stays whole."""

from __future__ import annotations

import re

ELLIPSIS = "…"
_PARTS = re.compile(r"[^/\\]*[/\\]|[^/\\]+$")


def shorten_middle(text: str, width: int) -> str:
    """`text` in at most `width` characters: its start and its end with … between them."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail = width // 2  # the end (the file name) matters more than the start
    head = width - 1 - tail
    return text[:head] + ELLIPSIS + text[len(text) - tail:]


def fit_path(path: str, width: int) -> str:
    """The path as lines of at most `width` characters, broken only after / or \\."""
    if width < 1 or len(path) <= width:
        return path
    lines: list[str] = []
    line = ""
    for part in _PARTS.findall(path):
        part = shorten_middle(part, width)
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    if line:
        lines.append(line)
    return "\n".join(lines)


_PATHLIKE = re.compile(r"\S*[/\\]\S*")


def fit_paths_in(text: str, width: int) -> str:
    """Every path-like word of `text` (one with / or \\) longer than `width`, fitted by `fit_path`."""
    return _PATHLIKE.sub(lambda m: fit_path(m.group(0), width) if len(m.group(0)) > width else m.group(0), text)


def toast_width(screen_width: int) -> int:
    """The text width of a Textual toast: 60 columns, at most half of the toast rack (the screen less its
    scrollbar of 2), less the padding (2) and the coloured edge (1). One more and a path line folded."""
    return max(min(60, (screen_width - 2) // 2) - 3, 12)
