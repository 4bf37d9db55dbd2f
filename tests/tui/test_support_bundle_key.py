"""Pilot test of the support bundle from the TUI (F7, command palette): a zip without the API key,
and the app still works afterwards."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from tui_helpers import text, wait_for

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.upload import UploadScreen


async def test_support_bundle_key_writes_zip_without_secrets(build_app: Callable[..., KuferApp],
                                                             demo: DemoSetup) -> None:
    api_key = demo.settings.maileon.api_key.get()
    assert api_key
    app = build_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Support bundle" in titles
        footer_keys = [b.binding.key for b in app.screen.active_bindings.values() if b.binding.show]
        assert "f7" not in footer_keys
        await pilot.press("f7")
        exports = demo.workspace_root / "exports"
        await wait_for(pilot, lambda: any(exports.glob("kufertui-support-*.zip")), timeout=60)
        await app.workers.wait_for_complete()
        await pilot.pause()
        bundle = next(exports.glob("kufertui-support-*.zip"))
        # where it went, in the same words as the CLI (issue 26.14); a demo's goes with the demo
        said = next(n.message for n in app._notifications if n.message.startswith("Support bundle saved"))
        assert "in the workspace's exports folder" in said and bundle.name in said.replace("\n", "")
        assert "deleted with the working folder" in said
        with zipfile.ZipFile(bundle) as archive:
            names = archive.namelist()
            assert {"doctor.json", "settings.json", "runs.json"} <= set(names)
            assert any(n.startswith("screens/") for n in names)
            for name in names:
                assert api_key not in archive.read(name).decode("utf-8", "replace"), name
        # the UI still works afterwards (workers see this app, not the bundle's screenshot apps)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "Maileon" in text(app, "#confirm-text")
