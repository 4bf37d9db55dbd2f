"""Settings problems are reported all at once, the environment's too, in the user's words (issue 26.16, 26.20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kufertui import i18n
from kufertui.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("KUFERTUI_"):
            monkeypatch.delenv(name)


def _problems(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    return info.value


def test_two_typos_in_the_file_and_one_in_the_environment_are_reported_together(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\nbatchsize = 400\n\n[proxy]\nhostt = "proxy.vhs.local"\n', encoding="utf-8")
    monkeypatch.setenv("KUFERTUI_PROXY__PORTT", "3128")
    err = _problems(path)
    found = [(p.message_id, p.params.get("key") or p.params.get("var"), p.params.get("nearest")) for p in err.problems]
    assert found == [("config.unknown-key", "maileon.batchsize", "maileon.batch_size"),
                     ("config.unknown-key", "proxy.hostt", "proxy.host"),
                     ("config.unknown-env", "KUFERTUI_PROXY__PORTT", "KUFERTUI_PROXY__PORT")]
    i18n.set_language("de")
    lines = err.text().splitlines()
    assert len(lines) == 3 and "Zeile 2" in lines[0] and "Zeile 5" in lines[1]
    assert lines[2] == "Unbekannte Umgebungsvariable KUFERTUI_PROXY__PORTT. Meinten Sie KUFERTUI_PROXY__PORT?"
    assert [p["error"] for p in err.to_json()] == ["config.unknown-key", "config.unknown-key", "config.unknown-env"]


def test_an_unknown_environment_variable_alone_is_refused_with_the_nearest_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUFERTUI_PROXY__HOSTT", "proxy.vhs.local")
    err = _problems(tmp_path / "missing.toml")
    assert (err.message_id, err.params) == ("config.unknown-env",
                                            {"var": "KUFERTUI_PROXY__HOSTT", "nearest": "KUFERTUI_PROXY__HOST"})
    monkeypatch.delenv("KUFERTUI_PROXY__HOSTT")
    monkeypatch.setenv("KUFERTUI_PROXY_HOST", "proxy.vhs.local")  # one underscore: a typo as well
    assert _problems(tmp_path / "missing.toml").params["nearest"] == "KUFERTUI_PROXY__HOST"
    monkeypatch.delenv("KUFERTUI_PROXY_HOST")
    monkeypatch.setenv("KUFERTUI_NEWSLETTER__MODE", "x")  # names no section at all
    assert _problems(tmp_path / "missing.toml").message_id == "config.unknown-env-no-nearest"


def test_switches_outside_the_settings_are_not_typos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KUFERTUI_HOME", "KUFERTUI_CONFIG", "KUFERTUI_TEST_HOLD", "KUFERTUI_TEST_HOLD_FILE",
                 "KUFERTUI_BIG_FILE_MB", "KUFERTUI_BENCH_CONTACTS", "KUFERTUI_BENCH_LIMITED_OBJECTIONS"):
        monkeypatch.setenv(name, str(tmp_path))
    monkeypatch.setenv("KUFERTUI_PROXY__HOST", "proxy.vhs.local")
    assert load_settings(tmp_path / "missing.toml").proxy.host == "proxy.vhs.local"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_toml_errors_and_wrong_types_speak_the_users_language(tmp_path: Path, lang: str) -> None:
    i18n.set_language(lang)
    path = tmp_path / "config.toml"
    path.write_text('[maileon]\napi_key = "abc\n', encoding="utf-8")
    text = _problems(path).text()
    head, _, detail = text.partition("Details: ")
    assert "Illegal character" in detail and "Illegal" not in head  # the parser's English only as the detail
    assert ("Zeile 2, Spalte 15" if lang == "de" else "line 2, column 15") in head
    path.write_text('[maileon]\nbatch_size = "viele"\n', encoding="utf-8")
    text = _problems(path).text()
    assert text.endswith("erwartet wird eine ganze Zahl (ohne Anführungszeichen)." if lang == "de"
                         else "expected a whole number (without quotation marks).")
    i18n.set_language("de")
