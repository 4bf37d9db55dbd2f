"""Issue 24.6: `--read-only` writes nothing – the rejects export (`e` on Results: e-mail addresses) was still
written, with mode 0644 – and every export is owner-only (0600)."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.store import ContactFilter
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.screens.results import ResultsScreen

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_read_only_refuses_the_rejects_export(demo: DemoSetup, recorded_run: int) -> None:
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="en", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)), read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("e")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        messages = [str(n.message) for n in app._notifications]
    assert any("blocked" in m and "exporting the rejected addresses" in m for m in messages), messages
    assert list((demo.workspace_root / "exports").iterdir()) == []


@posix_only
async def test_the_rejects_export_is_owner_only(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                               recorded_run: int) -> None:
    os.umask(0o022)  # the usual default: a plain open() gives 0644
    app = build_app("en")
    target = demo.workspace_root / "exports" / f"rejects-run-{recorded_run}.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("e")
        await wait_for(pilot, target.exists)
        await app.workers.wait_for_complete()
    assert _mode(target) == 0o600
    assert "bad0@@example" in target.read_text(encoding="utf-8-sig")


@posix_only
def test_the_dry_run_exports_are_owner_only(demo: DemoSetup) -> None:
    os.umask(0o022)
    engine = SyncEngine(demo.settings, demo.workspace_root, transport=httpx.ASGITransport(app=create_app(demo.sim)))
    report = asyncio.run(engine.run(SyncOptions(ContactFilter(frozenset({"J", "K"})), dry_run=True,
                                                mappings=mappings_from_settings(demo.settings))))
    exports = list((demo.workspace_root / "exports").glob("dry-run-*"))
    assert report.dry_run_export and {p.suffix for p in exports} == {".csv", ".json"}
    assert all(_mode(p) == 0o600 for p in exports), {p.name: oct(_mode(p)) for p in exports}
