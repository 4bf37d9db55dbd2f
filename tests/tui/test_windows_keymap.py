"""Issue 18.9: the README's keymap for terminals that swallow F-keys (old Windows console, some SSH
clients) really moves every screen to its Ctrl key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keymap() -> dict[str, str]:
    blocks = re.findall(r"```toml\n(\[ui\.keymap\]\n.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the Windows section shows one [ui.keymap] example"
    return tomllib.loads(blocks[0])["ui"]["keymap"]


async def test_readme_keymap_reaches_every_screen(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    keymap = readme_keymap()
    assert set(keymap) == {f"nav.{m}" for m in ("contacts", "fields", "upload", "results", "history", "settings")}
    demo.settings.ui.keymap = keymap
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        for binding_id in ("nav.settings", "nav.upload", "nav.history", "nav.results", "nav.fields",
                           "nav.contacts"):
            await pilot.press(keymap[binding_id])
            await pilot.pause()
            assert app.current_mode == binding_id.removeprefix("nav."), binding_id
