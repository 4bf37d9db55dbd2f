"""Issue 17.2/17.3 in the Settings screen: Ctrl+O saves what the user edited and what came from the
file, never a secret from the environment; it leaves the mode of an existing folder alone; the SQL
DSN shows no password, and editing the DSN keeps the stored one."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input
from tui_helpers import wait_for

from kufertui.config import Secret, load_settings, save_settings
from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.screens.settings import SettingsScreen

ENV_KEY = "env-api-key-0123456789abcdef"
ENV_PROXY_PW = "env-proxy-pw-4711"
DSN = "mssql://kufer:db%2Fpass%40word@sql.vhs.local:1433/kufer"


def _app(demo: DemoSetup, config: Path) -> KuferApp:
    settings = load_settings(config)  # environment applied, as the CLI does
    return make_app(settings, config, demo.workspace_root, lang="en", demo=True,
                    transport=httpx.ASGITransport(app=create_app(demo.sim)))


@pytest.fixture
def shared_config(demo: DemoSetup, tmp_path: Path) -> Path:
    folder = tmp_path / "shared-etc"
    folder.mkdir()
    os.chmod(folder, 0o755)  # an admin's folder, not ours to tighten
    demo.settings.maileon.api_key = Secret("")  # the file carries no key
    demo.settings.proxy.host, demo.settings.proxy.port, demo.settings.proxy.user = "proxy.vhs.local", 3128, "kufer"
    demo.settings.source.sql_dsn = DSN
    return save_settings(demo.settings, folder / "config.toml")


async def test_save_keeps_environment_secrets_off_the_disk(demo: DemoSetup, shared_config: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_API_KEY", ENV_KEY)
    monkeypatch.setenv("KUFERTUI_PROXY__PASSWORD", ENV_PROXY_PW)
    app = _app(demo, shared_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#set-maileon-batch-size", Input).value = "250"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
    raw = shared_config.read_text(encoding="utf-8")
    assert ENV_KEY not in raw and ENV_PROXY_PW not in raw
    data = tomllib.loads(raw)
    assert data["maileon"]["batch_size"] == 250  # the edit is saved
    assert data["proxy"]["user"] == "kufer" and data["source"]["sql_dsn"] == DSN  # the file's values stay
    assert data["proxy"].get("password", "") == "" and data["maileon"].get("api_key", "") == ""
    if os.name == "posix":
        assert stat.S_IMODE(shared_config.parent.stat().st_mode) == 0o755
        assert stat.S_IMODE(shared_config.stat().st_mode) == 0o600


async def test_an_edited_secret_is_saved_even_when_the_environment_set_one(
        demo: DemoSetup, shared_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_PROXY__PASSWORD", ENV_PROXY_PW)
    app = _app(demo, shared_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#set-proxy-password", Input).value = "typed-by-the-admin"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
    assert tomllib.loads(shared_config.read_text(encoding="utf-8"))["proxy"]["password"] == "typed-by-the-admin"


async def test_dsn_password_is_masked_and_kept_while_editing(demo: DemoSetup, shared_config: Path) -> None:
    app = _app(demo, shared_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        dsn = app.screen.query_one("#set-source-sql-dsn", Input)
        assert dsn.value == "mssql://kufer:********@sql.vhs.local:1433/kufer"
        assert "pass" not in str(app.screen.query_one("#settings-form").render())
        dsn.value = dsn.value.replace("1433/kufer", "1433/kufer2")  # another database, same login
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
    saved = tomllib.loads(shared_config.read_text(encoding="utf-8"))["source"]["sql_dsn"]
    assert saved == "mssql://kufer:db%2Fpass%40word@sql.vhs.local:1433/kufer2"


async def test_a_key_typed_after_saving_replaces_the_saved_one(demo: DemoSetup, shared_config: Path) -> None:
    """The key field held the typed key after Ctrl+O: a second key typed there was appended to the hidden
    first one (a 46-character key that Maileon refused)."""
    app = _app(demo, shared_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        field = app.screen.query_one("#set-maileon-api-key", Input)
        field.value = "first-key-0123456789abcdef"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert field.value == "" and field.placeholder.endswith("cdef")
        field.focus()
        await pilot.press(*"second-key-0123456789")
        await pilot.press("ctrl+o")
        await pilot.pause()
    assert tomllib.loads(shared_config.read_text(encoding="utf-8"))["maileon"]["api_key"] == "second-key-0123456789"
