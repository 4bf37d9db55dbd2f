"""One language in Textual's own parts: the command palette's commands and the Ctrl+C quit prompt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp

# Textual 8's own English words in the palette and its quit prompt
TEXTUAL_ENGLISH = ("Theme", "Quit", "Keys", "Screenshot", "Maximize", "Minimize", "Focus Next", "palette",
                   "Search for", "No matches", "Copy selected", "Page Left", "Scroll", "Do you want", "to quit")
OUR_GERMAN = ("Farbschema", "Beenden", "Bildschirmfoto", "Befehl suchen", "Hilfe", "Übertragen")


async def _palette_texts(app: KuferApp, pilot: Pilot[int], query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    if query:
        await pilot.press(*query)
    for _ in range(15):  # the "no matches" line appears after half a second
        await pilot.pause(0.05)
    options = palette.query_one(CommandList)
    texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return [palette.query_one("CommandInput").placeholder, *texts]  # type: ignore[attr-defined]


async def test_german_palette_has_no_english_builtin(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        texts = await _palette_texts(app, pilot)
        joined = "\n".join(texts)
        assert texts[0] == "Befehl suchen …"
        for english in TEXTUAL_ENGLISH:
            assert english not in joined, english
        for german in ("Farbschema", "Bildschirmfoto", "Beenden", "Hilfe", "Nächstes Element"):
            assert german in joined, german
        await pilot.press("escape")
        await pilot.pause()
        missing = "\n".join(await _palette_texts(app, pilot, "qqqzzz"))
        assert "Kein passender Befehl" in missing and "No matches" not in missing


async def test_english_palette_has_no_german(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        joined = "\n".join(await _palette_texts(app, pilot))
        assert "Colour theme" in joined and "Search commands" in joined
        for german in OUR_GERMAN:
            assert german not in joined, german


async def test_theme_picker_speaks_german(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_change_theme()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one("CommandInput").placeholder == "Farbschema suchen …"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "title", "words"), [
    ("de", "Beenden?", "Strg+C beendet nicht"),
    ("en", "Quit?", "Ctrl+C does not quit"),
])
async def test_ctrl_c_quit_prompt_in_our_language(build_app: Callable[..., KuferApp], lang: str, title: str,
                                                  words: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = list(app._notifications)
        assert notes, "Ctrl+C showed no prompt"
        assert all("quit the app" not in n.message and n.title != "Do you want to quit?" for n in notes)
        quit_key = "Strg+Q" if lang == "de" else "Ctrl+Q"  # one notation per language (issue 26.16), not "^q"
        assert any(n.title == title and words in n.message and quit_key in n.message for n in notes)
        assert app.is_running


async def test_screenshot_from_the_palette_lands_in_the_workspace_and_says_where(
        build_app: Callable[..., KuferApp], demo: DemoSetup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 26.14: on a server without ~/Downloads the screenshot failed with no path or reason. It goes to
    the workspace's exports folder (beside the bundles) and the German notice names the file."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no Downloads folder, as on a server
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = build_app("de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Bildschirmfoto")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(60):
            await pilot.pause(0.05)
            if list(app._notifications):
                break
        notes = [n.message for n in app._notifications]
    shots = list((demo.workspace_root / "exports").glob("kufertui-*.svg"))
    assert len(shots) == 1, notes
    notice = next(n for n in notes if n.startswith("Bildschirmfoto im Exportordner des Arbeitsbereichs gespeichert"))
    assert shots[0].name in notice.replace("\n", "")
    assert not any("Saved screenshot" in n for n in notes)
    assert not (tmp_path / "home" / "Downloads").exists()
