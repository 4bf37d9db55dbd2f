"""Issue 14.2: `serve --read-only` lets the helpdesk look (contacts, results, history, log, help)
and refuses, with a message, what changes something: upload, dry run, settings save, target
group, support bundle."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from tui_helpers import wait_for

from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.screens.upload import UploadScreen


def _read_only_app(demo: DemoSetup, lang: str) -> KuferApp:
    return make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                    transport=httpx.ASGITransport(app=create_app(demo.sim)), read_only=True)


def _messages(app: KuferApp) -> list[str]:
    """Every notification the app showed so far, also those that timed out meanwhile (a slow run of the suite
    let the first refusals expire before they were counted)."""
    shown: list[str] | None = getattr(app, "_shown_for_test", None)
    if shown is None:
        shown = [str(n.message) for n in app._notifications]
        app._shown_for_test = shown  # type: ignore[attr-defined]
        notify = app.notify

        def recording(message: object, *args: object, **kwargs: object) -> None:
            shown.append(str(message))
            notify(message, *args, **kwargs)  # type: ignore[arg-type]

        app.notify = recording  # type: ignore[method-assign]
    return list(shown)


async def _one_upload(build_app: Callable[..., KuferApp]) -> None:
    app = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=30)
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_read_only_refuses_changes_and_shows_everything_else(
        build_app: Callable[..., KuferApp], demo: DemoSetup, lang: str) -> None:
    await _one_upload(build_app)  # a run for the results and history screens
    config_before = demo.settings_path.read_bytes()
    requests_before = len(demo.sim.contacts)
    app = _read_only_app(demo, lang)
    blocked = "gesperrt" if lang == "de" else "blocked"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert ("NUR LESEN" if lang == "de" else "READ-ONLY") in str(app.screen.query_one("#navbar").render())
        assert _messages(app) == []  # from here on every notification is kept
        runs_before = len(app.state.workspace.journal.runs(limit=100))

        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        assert not app.screen.running  # type: ignore[attr-defined]
        await pilot.press("ctrl+d")
        await pilot.pause(0.3)
        assert not app.screen.running  # type: ignore[attr-defined]
        assert sum(blocked in m for m in _messages(app)) == 2, _messages(app)

        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert demo.settings_path.read_bytes() == config_before

        await pilot.press("f7")  # support bundle
        await pilot.pause()

        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await pilot.press("g")
        await pilot.pause()
        assert not isinstance(app.screen, TargetGroupModal)
        assert sum(blocked in m for m in _messages(app)) == 5, _messages(app)

        await pilot.press("f6")  # history and help open as usual
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert app.screen.query_one("#runs").row_count >= 1  # type: ignore[attr-defined]
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await app.workers.wait_for_complete()
        assert len(app.state.workspace.journal.runs(limit=100)) == runs_before
    assert len(demo.sim.contacts) == requests_before
    assert not list((demo.workspace_root / "exports").glob("kufertui-support-*.zip"))


class _RecordingTransport(httpx.AsyncBaseTransport):
    """The in-process simulator, noting the address of every request (whose Basic header carries the key)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_read_only_connection_test_sends_the_key_only_to_the_saved_address(
        demo: DemoSetup, lang: str) -> None:
    """A helpdesk session may look at the settings; typing another address and testing must not send the
    API key there (it went to any address typed into the field)."""
    from textual.widgets import Input

    transport = _RecordingTransport(httpx.ASGITransport(app=create_app(demo.sim)))
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                   transport=transport, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#set-maileon-base-url", Input).value = "https://collector.example.net/1.0"
        await pilot.pause()
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: bool(transport.urls))
        await app.workers.wait_for_complete()
        assert any(("saved" in m or "gespeicherten" in m) for m in _messages(app))
    assert transport.urls and not [u for u in transport.urls if "collector.example.net" in u]
    assert all(u.startswith(demo.settings.maileon.base_url.removesuffix("/1.0")) for u in transport.urls)
