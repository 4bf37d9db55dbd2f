"""TUI fixtures: a demo workspace (deterministic contacts) and the simulator in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from kufertui import i18n
from kufertui.commands.demo import DemoSetup, prepare_demo
from kufertui.simulator import create_app
from kufertui.tui.app import KuferApp, make_app

DEMO_CONTACTS = 300
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One prepared demo folder per session; each test copies it (importing costs more than copying)."""
    root = tmp_path_factory.mktemp("demo-template")
    prepare_demo(root, DEMO_CONTACTS, DEMO_SEED)
    return root


@pytest.fixture
def demo(tmp_path: Path) -> DemoSetup:
    return prepare_demo(tmp_path / "demo", DEMO_CONTACTS, DEMO_SEED)


@pytest.fixture
def build_app(demo: DemoSetup) -> Callable[..., KuferApp]:
    def build(lang: str = "de") -> KuferApp:
        transport = httpx.ASGITransport(app=create_app(demo.sim))
        demo.settings.maileon.base_url = "http://127.0.0.1:9/1.0"
        return make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                        transport=transport)

    yield build
    i18n.set_language("de")
