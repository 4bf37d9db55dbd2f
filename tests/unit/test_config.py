"""Settings: TOML round trip, 0600, env overrides, typo hints, masked secrets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kufertui import config
from kufertui.config import ConfigError, Secret, Settings, load_settings, save_settings


@pytest.mark.windows_incompatible(reason="file modes; the Windows ACLs: tests/unit/test_platform.py")
def test_save_creates_private_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    settings = Settings()
    settings.maileon.api_key = Secret("abc-123-secret")
    save_settings(settings, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = load_settings(path, apply_env=False)
    assert loaded.maileon.api_key.get() == "abc-123-secret"
    assert loaded == settings


def test_secret_never_shows_in_repr_or_str() -> None:
    settings = Settings()
    settings.maileon.api_key = Secret("canary-key-12345678")
    settings.proxy.password = Secret("proxy-pw-999")
    for text in (repr(settings), str(settings), repr(settings.maileon.api_key), f"{settings.maileon.api_key}"):
        assert "canary-key" not in text
        assert "proxy-pw" not in text
    assert settings.maileon.api_key.masked(tail=True).endswith("5678")
    assert "5678" not in settings.maileon.api_key.masked()
    assert "canary" not in str(config.redacted_dict(settings))


def test_misspelt_key_names_file_line_and_nearest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\nbatch_size = 500\nbatchsize = 400\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    err = info.value
    assert err.message_id == "config.unknown-key"
    assert err.params["line"] == 3
    assert err.params["nearest"] == "maileon.batch_size"
    assert err.params["file"] == str(path)


def test_misspelt_section(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\n\n[proxi]\nhost = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.params["nearest"] == "proxy"
    assert info.value.params["line"] == 3


def test_wrong_type_and_broken_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\nbatch_size = "viele"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.message_id == "config.wrong-type"
    path.write_text('[maileon\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.message_id == "config.syntax"


def test_env_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_API_KEY", "from-env")
    monkeypatch.setenv("KUFERTUI_BASE_URL", "http://127.0.0.1:9/1.0")
    monkeypatch.setenv("KUFERTUI_PROXY__PORT", "3128")
    monkeypatch.setenv("KUFERTUI_UNSUBSCRIBERS__PUSH_OBJECTIONS", "false")
    settings = load_settings(tmp_path / "missing.toml")
    assert settings.maileon.api_key.get() == "from-env"
    assert settings.maileon.base_url == "http://127.0.0.1:9/1.0"
    assert settings.proxy.port == 3128
    assert settings.unsubscribers.push_objections is False


def test_problems_flag_unusable_values() -> None:
    settings = Settings()
    assert settings.problems() == []
    settings.permissions.K = "maybe"
    settings.maileon.batch_size = 5000
    settings.maileon.base_url = "http://api.maileon.com/1.0"
    keys = {k for k, _ in settings.problems()}
    assert keys == {"permissions.K", "maileon.batch_size", "maileon.base_url"}


def test_proxy_url_quotes_credentials() -> None:
    settings = Settings()
    assert settings.proxy.url() is None
    settings.proxy.host, settings.proxy.port = "proxy.vhs.local", 3128
    settings.proxy.user, settings.proxy.password = "vhs", Secret("p@ss:w")
    assert settings.proxy.url() == "http://vhs:p%40ss%3Aw@proxy.vhs.local:3128"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_default_location_under_kufertui_home(_isolated_home: Path) -> None:
    path = save_settings(Settings())
    assert path.is_relative_to(_isolated_home)
