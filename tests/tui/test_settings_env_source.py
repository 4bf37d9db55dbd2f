"""Settings name a value that comes from the environment: it overrides the file and is not saved."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from textual.widgets import Static

from kufertui.config import load_settings, save_settings
from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import make_app


async def test_settings_show_the_environment_source(demo: DemoSetup, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    save_settings(demo.settings, demo.settings_path)
    monkeypatch.setenv("KUFERTUI_API_KEY", "env-key-0123456789abcdef")
    monkeypatch.setenv("KUFERTUI_PROXY__HOST", "proxy.vhs.local")
    settings = load_settings(demo.settings_path)
    app = make_app(settings, demo.settings_path, demo.workspace_root, lang="de", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        notes = [str(n.render()) for n in app.screen.query(".form-note").results(Static)]
    assert any("KUFERTUI_API_KEY" in n for n in notes), notes
    assert any("KUFERTUI_PROXY__HOST" in n for n in notes), notes
    assert len(notes) == 2  # only the overridden ones
