"""The first visit of a screen does its styling once (issue 27: F9 at 100k contacts in ≤ 0.5 s).

Textual's first switch to a mode re-parsed all CSS twice and restyled the new screen three more times (a
resume posted twice, the scrolling form focused before the first field). tests/bench/bench_tui.py measures the
time; these tests keep the work from coming back, and check that a theme change still reaches a screen that
was not visited yet (the one thing the skipped re-parse was for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from tui_helpers import wait_for

from kufertui.tui.app import KuferApp
from kufertui.tui.screens.settings import SettingsScreen


class StyleWork:
    """Counts, on one app's stylesheet, the re-parses, and the nodes each restyling pass covers."""

    def __init__(self, stylesheet: Stylesheet) -> None:
        self.reparses = 0
        self.passes: list[int] = []
        reparse, update_nodes = stylesheet.reparse, stylesheet.update_nodes

        def counted_reparse() -> None:
            self.reparses += 1
            reparse()

        def counted_update(nodes: Iterable[DOMNode], animate: bool = False) -> None:
            nodes = list(nodes)
            self.passes.append(len(nodes))
            update_nodes(nodes, animate=animate)

        stylesheet.reparse = counted_reparse  # type: ignore[method-assign]
        stylesheet.update_nodes = counted_update  # type: ignore[method-assign]


async def test_the_first_visit_of_settings_parses_no_css_and_styles_the_form_once(
        build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        work = StyleWork(app.stylesheet)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        await pilot.pause()
        assert work.reparses == 0
        whole = [n for n in work.passes if n > len(list(app.screen.walk_children())) // 2]
        assert len(whole) <= 1, work.passes  # the resume's pass; no focus pass, no second resume
        assert app.focused is not None and app.focused.id == "set-maileon-api-key"  # F9 and type, as before


async def test_a_theme_change_reaches_a_screen_not_visited_yet(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        dark = app.screen.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        light = Color.parse(app.get_css_variables()["background"])
        assert app.screen.styles.background == light != dark
        section = app.screen.query(".form-section").first()
        assert section.styles.color == Color.parse(app.get_css_variables()["accent"])
