"""The one rule for text on screen: it is shown as it is, never read as markup.

A ``str`` handed to a Static, Label, Button, Option, Select, SelectionList, DataTable cell or toast is
parsed as Textual/Rich markup: a contact's e-mail ``[/]`` raised MarkupError (the TUI died whenever
Results opened), and ``[@click=app.screenshot(…)]x[/]`` made a span that ran an app action. Values from
KUFER, Maileon, the workspace, files and exceptions are attacker-controlled, and our catalogue texts have
no markup either (``[fields]`` in one of them vanished). So the screens hand widgets ``plain(…)`` or
``plain_t(…)``: Rich ``Text``, which no widget parses, with control characters (ESC, C1) and bidi
overrides shown as visible escapes (core/terminal.py). Toasts are plain in ``KuferApp.notify``.

Markdown renders only our own texts; a value put into one goes through ``markdown_escape``. The
command palette parses its titles as markup: ``markup_escape`` for what goes there.
tests/unit/test_tui_plain_text.py fails when a str that is not a bare catalogue text reaches a
markup-parsing call in tui/.
"""

from __future__ import annotations

import re

from rich.text import Text

from kufertui.core.terminal import printable, printable_params
from kufertui.i18n import t


def plain(text: object, style: str = "") -> Text:
    """``text`` exactly as it is, never markup; line breaks kept, every other control character escaped.
    ``style``: a Rich style for the whole text (e.g. "bold"), never taken from the text."""
    return Text(printable(text, keep_lines=True), style=style, end="")


def plain_t(key: str, /, **params: object) -> Text:
    """The catalogue text ``key`` with ``params`` put in, shown plain; each value is escaped on its own
    (a line feed inside a value is shown as ``\\x0a``, not as a new line)."""
    return plain(t(key, **printable_params(params)))


def markup_escape(text: object) -> str:
    """A value inside a Textual markup string (only where a widget insists on markup: the command
    palette). Every ``[`` is escaped (textual.markup.escape misses ``[$x]``, ``[ b]``, ``[B]``)."""
    return printable(text).replace("[", "\\[")


_MARKDOWN_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_escape(text: object) -> str:
    """A value inside one of our Markdown texts: every ASCII punctuation character backslash-escaped
    (CommonMark), so it makes no link, image, emphasis, heading, list, HTML or autolink; one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def plain_cell(text: object, style: str = "") -> Text:
    """``plain(text)`` for a table cell narrower than its value: cut with "…", never silently at the edge."""
    cell = plain(text, style)
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell
