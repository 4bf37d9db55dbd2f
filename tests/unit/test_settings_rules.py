"""The rules every face shares: the UWG confirmation date (core.legal), the API address, and the
settings checks that load_settings makes binding (doctor and the settings screen show the same)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kufertui import i18n
from kufertui.config import ConfigError, Settings, load_settings
from kufertui.core.api_url import base_url_problem
from kufertui.core.legal import KNotice, k_notice_confirmed, k_notice_state

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("value", "state"), [
    ("", KNotice.UNSET), ("2026-12-01", KNotice.CONFIRMED), ("2026-10-01", KNotice.CONFIRMED),
    ("2026-12-02", KNotice.FUTURE), ("2099-01-01", KNotice.FUTURE),
    ("nein", KNotice.MALFORMED), ("false", KNotice.MALFORMED), ("gestern", KNotice.MALFORMED),
    ("true", KNotice.MALFORMED), ("20261001", KNotice.MALFORMED), ("2026-W40-1", KNotice.MALFORMED),
    ("2026-02-30", KNotice.MALFORMED), ("01.10.2026", KNotice.MALFORMED), (" 2026-10-01", KNotice.MALFORMED),
    ("2026-10-01T00:00", KNotice.MALFORMED),
])
def test_k_notice_holds_only_for_a_date_not_in_the_future(value: str, state: KNotice) -> None:
    assert k_notice_state(value, TODAY) is state
    assert k_notice_confirmed(value, TODAY) is (state is KNotice.CONFIRMED)


@pytest.mark.parametrize(("url", "problem"), [
    ("https://api.maileon.com/1.0", None), ("http://127.0.0.1:18765/1.0", None),
    ("http://localhost:8080", None), ("HTTPS://api.maileon.com/1.0", None),
    ("127.0.0.1:18765", "config.bad-url"), ("127.0.0.1:18765/1.0", "config.bad-url"),
    ("api.maileon.com/1.0", "config.bad-url"), ("https://", "config.bad-url"), ("https:///1.0", "config.bad-url"),
    ("ftp://api.maileon.com", "config.bad-url"), ("", "config.bad-url"), ("https://host:port/1.0", "config.bad-url"),
    ("http://api.maileon.com/1.0", "config.insecure-url"), ("http://localhost.evil.example/1.0", "config.insecure-url"),
    ("http://127.evil.example/1.0", "config.insecure-url"), ("http://[::1]:8080/1.0", None),
])
def test_api_address_needs_http_s_and_a_host(url: str, problem: str | None) -> None:
    assert base_url_problem(url) == problem


def test_problems_name_a_malformed_confirmation_but_not_a_future_one() -> None:
    settings = Settings()
    settings.legal.k_notice_confirmed_on = "nein"
    assert settings.problems() == [("legal.k_notice_confirmed_on", "config.bad-k-notice")]
    settings.legal.k_notice_confirmed_on = "2099-01-01"
    assert settings.problems() == []


@pytest.mark.parametrize(("body", "key", "line"), [
    ('[maileon]\nbatch_size = 0\n', "maileon.batch_size", 2),
    ('[maileon]\nread_timeout = 5.0\nbatch_size = 100000\n', "maileon.batch_size", 3),
    ('[maileon]\nbatches_in_flight = 0\n', "maileon.batches_in_flight", 2),
    ('[permissions]\nK = "other"\nJ = "foo"\n', "permissions.J", 3),
    ('[maileon]\nbase_url = "127.0.0.1:18765"\n', "maileon.base_url", 2),
    ('[legal]\nk_notice_confirmed_on = "gestern"\n', "legal.k_notice_confirmed_on", 2),
])
def test_load_refuses_unusable_values_naming_file_line_and_key(tmp_path: Path, body: str, key: str,
                                                               line: int) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path, apply_env=False)
    err = info.value
    assert err.message_id == "config.bad-value"
    assert (err.params["key"], err.params["line"], err.params["file"]) == (key, line, str(path))


def test_load_error_speaks_the_files_language_and_both_texts_exist(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nlanguage = "en"\n\n[maileon]\nbatch_size = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path, apply_env=False)
    assert info.value.lang == "en"
    try:
        i18n.set_language("en")
        assert "line 5: The batch size must be between 1 and 1000." in info.value.text()
        i18n.set_language("de")
        assert "Zeile 5: Die Stapelgröße muss zwischen 1 und 1000 liegen." in info.value.text()
    finally:
        i18n.set_language("de")


def test_environment_values_are_checked_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_LEGAL__K_NOTICE_CONFIRMED_ON", "false")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "missing.toml")
    assert info.value.message_id == "config.bad-env-value"
    assert info.value.params["var"] == "KUFERTUI_LEGAL__K_NOTICE_CONFIRMED_ON"
    monkeypatch.delenv("KUFERTUI_LEGAL__K_NOTICE_CONFIRMED_ON")
    monkeypatch.setenv("KUFERTUI_BASE_URL", "127.0.0.1:18765")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "missing.toml")
    assert info.value.params["var"] == "KUFERTUI_BASE_URL" and info.value.params["rule"] == "config.bad-url"
    monkeypatch.delenv("KUFERTUI_BASE_URL")
    monkeypatch.setenv("KUFERTUI_MAILEON__BATCHES_IN_FLIGHT", "vier")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path / "missing.toml")
    assert info.value.message_id == "config.env-wrong-type"


def test_a_future_date_loads_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[legal]\nk_notice_confirmed_on = "2099-01-01"\n', encoding="utf-8")
    assert load_settings(path, apply_env=False).legal.k_notice_confirmed_on == "2099-01-01"


def test_an_unquoted_toml_date_is_read_as_the_date(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[legal]\nk_notice_confirmed_on = 2026-10-01\n', encoding="utf-8")
    assert load_settings(path, apply_env=False).legal.k_notice_confirmed_on == "2026-10-01"
    path.write_text('[legal]\nk_notice_confirmed_on = 2026-10-01T08:00:00\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:  # a time of day is not the form asked for
        load_settings(path, apply_env=False)
    assert info.value.message_id == "config.wrong-type"
