"""tui/plain.py: the helpers every screen shows text through (issue 24.1). A value comes out as itself:
never markup, never Markdown, with control characters and bidi overrides as visible escapes."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from textual.content import Content

from kufertui.core.terminal import printable
from kufertui.i18n import set_language
from kufertui.tui.plain import markdown_escape, markup_escape, plain, plain_t

# texts made of what markup and Markdown are built from, control characters and bidi marks among them
HOSTILE_ALPHABET = string.printable + "[]()<>@=$/\\*_`#!|~&\x1b\x07\x9b\x9d\u202e\u2066\u2069äß"
hostile_text = st.text(alphabet=HOSTILE_ALPHABET, max_size=60)


@given(hostile_text)
@settings(max_examples=300, deadline=None)
def test_markup_escape_makes_any_value_read_as_itself(value: str) -> None:
    content = Content.from_markup(f"[b]x[/b] {markup_escape(value)}")  # as the command palette parses a title
    assert content.plain == "x " + printable(value)
    assert all(span.end <= 1 for span in content.spans)  # only our [b], nothing from the value


@given(hostile_text)
@settings(max_examples=300, deadline=None)
def test_markdown_escape_makes_no_link_emphasis_html_or_code(value: str) -> None:
    parser = MarkdownIt("gfm-like")  # as Textual's Markdown widget parses (linkify on)
    tokens = parser.parse(f"**Cause:** {markdown_escape(value)}")
    inline = [t for t in tokens if t.type == "inline"]
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = inline[0].children or []
    kinds = {child.type for child in children}
    assert kinds <= {"strong_open", "strong_close", "text", "softbreak"}, kinds
    shown = "".join(child.content for child in children if child.type == "text")
    assert shown == ("Cause: " + printable(value)).rstrip(" ")  # a paragraph drops trailing blanks


def test_the_known_attacks_come_out_as_text() -> None:
    link = "[text](https://evil.example)"
    parser = MarkdownIt("gfm-like")
    for value in (link, "https://evil.example/x", "www.evil.example", "<script>x</script>", "![i](http://x/i.png)"):
        kinds = {child.type for t in parser.parse(markdown_escape(value)) for child in t.children or []}
        assert kinds == {"text"}, (value, kinds)
    click = "[@click=app.screenshot('x.svg','/tmp/d')]click-me[/]"
    assert Content.from_markup(markup_escape(click)).plain == click
    assert Content.from_markup(markup_escape("[/]")).plain == "[/]"


def test_plain_keeps_our_line_breaks_and_shows_every_control_character() -> None:
    text = plain("a\nb\x1b]0;title\x07\r\x9b\u202ex")
    assert text.plain == "a\nb\\x1b]0;title\\x07\\x0d\\x9b\\u202ex"
    assert not text.spans and str(plain("[b]x[/b]")) == "[b]x[/b]"
    assert plain("x", style="bold").style == "bold"


def test_plain_t_escapes_a_line_feed_inside_a_value() -> None:
    set_language("en")
    try:
        shown = plain_t("results.reject-detail", origin="c", examples="a@b.de\n[/]\x1b[2J")
    finally:
        set_language("de")
    assert "a@b.de\\x0a[/]\\x1b[2J" in shown.plain and "\n" not in shown.plain


def test_printable_keep_lines() -> None:
    assert printable("a\nb\tc\x1b", keep_lines=True) == "a\nb\\x09c\\x1b"
    assert printable("a\nb") == "a\\x0ab"
    assert printable("\u061c\u2028\u2029") == "\\u061c\\u2028\\u2029"
