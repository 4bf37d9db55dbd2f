"""Issue 24.2 and 24.6 in the Settings screen: a DSN password with `#` is masked (also to a read-only
helpdesk session), and a DSN from the environment is shown read-only and never reaches the file, also
when someone edits the rest of it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input
from tui_helpers import wait_for

from kufertui.config import ConfigError, load_settings, save_settings
from kufertui.simulator import create_app
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import make_app
from kufertui.tui.screens.settings import SettingsScreen

PASSWORD = "Sommer2024!#x"
DSN = f"mssql://kuferuser:{PASSWORD}@db.vhs.local/KUFER"


@pytest.mark.parametrize("read_only", [False, True])
async def test_a_hash_in_the_password_is_masked(demo: DemoSetup, read_only: bool) -> None:
    demo.settings.source.kind = "sql"
    demo.settings.source.sql_dsn = DSN
    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang="en", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)), read_only=read_only)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        dsn = app.screen.query_one("#set-source-sql-dsn", Input)
        assert dsn.value == "mssql://kuferuser:********@db.vhs.local/KUFER"
        assert "Sommer2024" not in app.export_screenshot()


async def test_an_environment_dsn_is_read_only_and_never_saved(demo: DemoSetup, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config = save_settings(demo.settings, tmp_path / "config.toml")
    monkeypatch.setenv("KUFERTUI_SOURCE__SQL_DSN", DSN)
    settings = load_settings(config)
    app = make_app(settings, config, demo.workspace_root, lang="en", demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        dsn = app.screen.query_one("#set-source-sql-dsn", Input)
        assert dsn.disabled and dsn.value == "mssql://kuferuser:********@db.vhs.local/KUFER"
        # the note under the field says where it comes from; the Source section is further down: scroll to it
        note = next(w for w in app.screen.query(".form-note") if "KUFERTUI_SOURCE__SQL_DSN" in str(w.render()))
        note.scroll_visible(animate=False)
        await pilot.pause()
        assert "KUFERTUI_SOURCE__SQL_DSN" in app.export_screenshot()
        app.screen.query_one("#set-maileon-batch-size", Input).value = "250"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
    raw = config.read_text(encoding="utf-8")
    assert PASSWORD not in raw
    assert tomllib.loads(raw)["maileon"]["batch_size"] == 250


def test_an_environment_dsn_edited_around_its_password_is_refused(demo: DemoSetup, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The TUI unmasked an edited DSN with the environment's password and saved it into the file."""
    config = save_settings(demo.settings, tmp_path / "config.toml")
    monkeypatch.setenv("KUFERTUI_SOURCE__SQL_DSN", DSN)
    settings = load_settings(config)
    settings.source.sql_dsn = DSN.replace("/KUFER", "/KUFER_TEST")  # another database, same login
    with pytest.raises(ConfigError) as info:
        save_settings(settings, config)
    assert info.value.message_id == "config.env-dsn-edited" and "KUFERTUI_SOURCE__SQL_DSN" in info.value.text()
    assert PASSWORD not in config.read_text(encoding="utf-8")
    settings.source.sql_dsn = "mssql://kuferuser:typed-by-the-admin@db.vhs.local/KUFER_TEST"
    save_settings(settings, config)  # a password of the user's own is theirs to save
    assert "typed-by-the-admin" in config.read_text(encoding="utf-8")
