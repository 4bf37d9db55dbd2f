"""SVGs of every screen on demo data (the screenshots command, the support bundle)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from kufertui import i18n
from kufertui.core.contact import UPLOADABLE_STATUSES
from kufertui.simulator import create_app
from kufertui.store import ContactFilter
from kufertui.sync.demo_setup import DemoSetup, prepare_demo
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings
from kufertui.tui.screens.registry import SHOT_NAMES

SIZE = (100, 32)
AppFactory = Callable[..., Any]
"""make_app of kufertui.tui.app, passed in: the app renders its own screens for the support bundle."""


async def _shoot(make_app: AppFactory, setup: DemoSetup, transport: httpx.AsyncBaseTransport, out: Path,
                 lang: str, size: tuple[int, int] = SIZE) -> list[Path]:
    written: list[Path] = []
    for screen in SHOT_NAMES:
        app = make_app(setup.settings, setup.settings_path, setup.workspace_root, lang=lang, demo=True,
                       transport=transport)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            if screen == "help":
                app.action_help()
            else:
                await app.action_nav(screen)
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()
            name = f"{screen}-{lang}.svg"
            app.save_screenshot(filename=name, path=str(out))
            written.append(out / name)
    return written


async def render_all(make_app: AppFactory, out: Path, contacts: int = 400, seed: int = 7,
                     langs: tuple[str, ...] = i18n.LANGUAGES, size: tuple[int, int] = SIZE) -> list[Path]:
    """Demo workspace, one real sync against the in-process simulator, then every screen."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="kufertui-shots-") as tmp:
        setup = prepare_demo(Path(tmp), contacts, seed)
        setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
        transport = httpx.ASGITransport(app=create_app(setup.sim))
        engine = SyncEngine(setup.settings, setup.workspace_root, transport=transport)
        await engine.run(SyncOptions(selection=ContactFilter(UPLOADABLE_STATUSES),
                                     mappings=mappings_from_settings(setup.settings), replace_xml=True))
        for lang in langs:
            written += await _shoot(make_app, setup, transport, out, lang, size)
    i18n.set_language(langs[0])
    return written
