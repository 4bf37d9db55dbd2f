"""Textual's private API is used in one module only (kufertui/tui/textual_internals.py), and each piece it uses is
checked against the installed Textual here: a release that renames, reshapes or rewrites one fails these tests by
name (then compare tui/textual_internals.py with the new Textual and update it) instead of breaking a screen."""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import textwrap
from pathlib import Path

import textual
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import CommandPalette
from textual.widgets import DataTable

from kufertui.tui import textual_internals
from kufertui.tui.textual_internals import NO_MATCHES_SOURCE_SHA256, bindings_of, keymap_of

PACKAGE = Path(textual_internals.__file__).parents[1]
INTERNALS = Path(textual_internals.__file__)


def textual_private_names() -> set[str]:
    """Every _name (not __dunder__) that Textual's source defines: methods, class attributes, instance attributes."""
    pattern = re.compile(r"(?:\bdef\s+|\bself\.|^\s+)(_[A-Za-z][A-Za-z0-9_]*)\s*[:=(]", re.M)
    return {name for path in Path(textual.__file__).parent.rglob("*.py")
            for name in pattern.findall(path.read_text(encoding="utf-8"))}


def test_only_textual_internals_reaches_into_textual() -> None:
    private = textual_private_names()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == INTERNALS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.Import | ast.ImportFrom) and "textual" in ast.unparse(n) for n in tree.body):
            continue  # a module that knows no Textual cannot reach into it
        ours = {t.attr for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.AnnAssign)
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Attribute)}
        ours |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in private and node.attr not in ours:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual") \
                    and any(part.startswith("_") for part in (node.module or "").split(".")):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} from {node.module}")
    assert not found, f"Textual's private API outside tui/textual_internals.py: {found}"


def test_bindings_and_keymap_are_where_the_module_reads_them() -> None:
    class Probe(App[None]):
        BINDINGS = [Binding("f2", "nav", "key.contacts", id="nav.contacts")]

    app = Probe()
    bindings = bindings_of(app)
    assert isinstance(bindings, BindingsMap) and isinstance(bindings.key_to_bindings, dict)
    assert [b.id for b in bindings.key_to_bindings["f2"]] == ["nav.contacts"]
    assert keymap_of(app) == {}
    app.set_keymap({"nav.contacts": "ctrl+u"})
    assert keymap_of(app) == {"nav.contacts": "ctrl+u"}


def test_a_column_can_still_be_remeasured() -> None:
    assert callable(DataTable._clear_caches)
    assert "_require_update_dimensions" in inspect.getsource(DataTable.__init__)


def test_the_no_matches_line_is_built_as_our_copy_expects() -> None:
    source = textwrap.dedent(inspect.getsource(CommandPalette._start_no_matches_countdown))
    assert hashlib.sha256(source.encode()).hexdigest() == NO_MATCHES_SOURCE_SHA256, (
        "Textual changed CommandPalette._start_no_matches_countdown: compare it with the copy in "
        "kufertui/tui/textual_internals.py (PaletteWithOurNoMatches) and update NO_MATCHES_SOURCE_SHA256")
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES", "_NO_MATCHES_COUNTDOWN"):
        assert hasattr(CommandPalette, name), name
    palette_source = inspect.getsource(CommandPalette)
    assert "self._list_visible" in palette_source and "self._no_matches_timer" in palette_source


def test_a_screen_can_still_be_marked_as_styled_with_the_current_css() -> None:
    """adopt_current_css: a new screen's counter, the one the mode switch compares with the app's, and where the
    stylesheet keeps the variables it was parsed with."""
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen

    assert "self._css_update_count = -1" in inspect.getsource(Screen.__init__)
    for method in (App._init_mode, App.switch_mode):
        assert "_css_update_count != self._css_update_count" in inspect.getsource(method), method
        assert "self.refresh_css()" in inspect.getsource(method), method
    sheet = Stylesheet(variables={"x": "1"})
    assert sheet._variables == {"x": "1"}
