"""The settings file: read from and written to a 0600 TOML file, with environment overrides.

A misspelt key is an error that names the file, the line and the nearest valid key, so an admin
editing the file over SSH finds the typo at once.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from kufertui import paths, platform
from kufertui.config.model import Secret, Settings
from kufertui.core import secrets
from kufertui.core.dsn import dsn_password, dsn_password_forms, mask_dsn

_SECTIONS = {f.name: f for f in fields(Settings) if f.metadata.get("section", True)}
_ABSENT = object()  # the file had no such key
_FREE_SECTIONS = ("fields", "value_maps")


class ConfigError(Exception):
    """A settings file that cannot be used; the message names file, line and what to do.

    ``rule`` (a param): the message id of the broken rule, translated into the text by ``text()``.
    ``lang``: the language the file asks for, when it could be read (the error speaks it)."""

    def __init__(self, message_id: str, *, lang: str | None = None, **params: Any) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params
        self.lang = lang

    def text(self) -> str:
        from kufertui.i18n import t

        params = dict(self.params)
        if "rule" in params:
            params["rule"] = t(params["rule"])
        return t(self.message_id, **params)

    def __str__(self) -> str:
        details = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.message_id} ({details})"


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((key + " ", key + "=", f"[{key}]", f'"{key}"')):
            return number
    return 0


def _coerce(value: Any, default: Any, where: str, path: Path, text: str) -> Any:
    key = where.rsplit(".", 1)[-1]
    if isinstance(default, Secret):
        if not isinstance(value, str):
            raise ConfigError("config.wrong-type", file=str(path), line=_line_of(text, key), key=where,
                              expected="text")
        return Secret(value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(default, str):
        if isinstance(value, str):
            return value
        if type(value) is date:  # an unquoted TOML date (k_notice_confirmed_on = 2026-10-01)
            return value.isoformat()
    elif isinstance(default, dict) and isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    expected = type(default).__name__
    raise ConfigError("config.wrong-type", file=str(path), line=_line_of(text, key), key=where,
                      expected=expected)


def settings_from_dict(data: dict[str, Any], path: Path, text: str = "") -> Settings:
    settings = Settings()
    for section, body in data.items():
        if section not in _SECTIONS:
            near = difflib.get_close_matches(section, list(_SECTIONS), n=1)
            raise ConfigError("config.unknown-key", file=str(path), line=_line_of(text, section),
                              key=section, nearest=near[0] if near else "")
        if not isinstance(body, dict):
            raise ConfigError("config.wrong-type", file=str(path), line=_line_of(text, section), key=section,
                              expected="table")
        if section in _FREE_SECTIONS:
            if section == "fields":
                settings.fields = {str(k): str(v) for k, v in body.items()}
            else:
                settings.value_maps = {str(k): {str(a): str(b) for a, b in v.items()}
                                       for k, v in body.items() if isinstance(v, dict)}
            continue
        target = getattr(settings, section)
        known = {f.name for f in fields(target)}
        for key, value in body.items():
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=1)
                raise ConfigError("config.unknown-key", file=str(path), line=_line_of(text, key),
                                  key=f"{section}.{key}", nearest=f"{section}.{near[0]}" if near else "")
            setattr(target, key, _coerce(value, getattr(target, key), f"{section}.{key}", path, text))
    return settings


def _override(settings: Settings, section: str, key: str, value: Any, in_file: set[str]) -> None:
    target = getattr(settings, section)
    where = f"{section}.{key}"
    before = settings.from_env[where][1] if where in settings.from_env else (
        getattr(target, key) if where in in_file else _ABSENT)
    settings.from_env[where] = (value, before)
    setattr(target, key, value)


def _env_overrides(settings: Settings, in_file: set[str]) -> None:
    env = os.environ
    if env.get("KUFERTUI_API_KEY"):
        _override(settings, "maileon", "api_key", Secret(env["KUFERTUI_API_KEY"]), in_file)
    if env.get("KUFERTUI_BASE_URL"):
        _override(settings, "maileon", "base_url", env["KUFERTUI_BASE_URL"], in_file)
    # Generic form: KUFERTUI_<SECTION>__<KEY>, e.g. KUFERTUI_PROXY__HOST=proxy.vhs.local
    for section, spec in _SECTIONS.items():
        if section in _FREE_SECTIONS:
            continue
        target = getattr(settings, section)
        for f in fields(target):
            raw = env.get(f"KUFERTUI_{section.upper()}__{f.name.upper()}")
            if raw is None:
                continue
            current = getattr(target, f.name)
            value: Any
            if isinstance(current, Secret):
                value = Secret(raw)
            elif isinstance(current, bool):
                value = raw.strip().lower() in ("1", "true", "yes", "ja", "on")
            elif isinstance(current, int | float):
                try:
                    value = type(current)(raw)
                except ValueError as exc:
                    raise ConfigError("config.env-wrong-type", var=f"KUFERTUI_{section.upper()}__{f.name.upper()}",
                                      expected=type(current).__name__) from exc
            elif isinstance(current, str):
                value = raw
            else:
                continue
            _override(settings, section, f.name, value, in_file)
        del spec


def load_settings(path: Path | None = None, *, apply_env: bool = True) -> Settings:
    """Read the settings file (missing file → defaults) and apply environment overrides."""
    path = path or paths.default_config_file()
    settings = Settings()
    in_file: set[str] = set()
    text = ""
    if path.is_dir():
        raise ConfigError("config.is-directory", file=str(path))
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            raise ConfigError("config.not-utf8", file=str(path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config.syntax", file=str(path), detail=str(exc)) from exc
        except OSError as exc:
            raise ConfigError("config.unreadable", file=str(path), detail=exc.strerror or "") from exc
        settings = settings_from_dict(data, path, text)
        in_file = {f"{section}.{key}" for section, body in data.items() if isinstance(body, dict)
                   for key in body}
    if apply_env:
        _env_overrides(settings, in_file)
    _refuse_problems(settings, path, text)
    return settings


def _refuse_problems(settings: Settings, path: Path, text: str) -> None:
    """The checks doctor and the settings screen show, made binding at load: no face starts a run
    (or a request) on a batch size Maileon refuses or a K confirmation that is no date."""
    found = settings.problems()
    if not found:
        return
    where, rule = found[0]
    lang = settings.ui.language if settings.ui.language in ("de", "en") else None
    if var := settings.env_source(where):
        raise ConfigError("config.bad-env-value", lang=lang, var=var, key=where, rule=rule)
    raise ConfigError("config.bad-value", lang=lang, file=str(path), line=_line_of(text, where.rsplit(".", 1)[-1]),
                      key=where, rule=rule)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Secret):
            return value.get()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    out: dict[str, Any] = {}
    for section in _SECTIONS:
        body = getattr(settings, section)
        if section in _FREE_SECTIONS:
            out[section] = plain(body)
        else:
            out[section] = {f.name: plain(getattr(body, f.name)) for f in fields(body)}
    return out


def secret_forms(settings: Settings) -> list[str]:
    """Every secret of the settings in every encoding it is sent in (API key, proxy and DSN passwords)."""
    return secrets.unique([
        *secrets.api_key_forms(settings.maileon.api_key.get()),
        *secrets.password_forms(settings.proxy.user, settings.proxy.password.get()),
        *secrets.url_password_forms(settings.proxy.url() or ""),
        *dsn_password_forms(settings.source.sql_dsn),
    ])


def redacted_dict(settings: Settings) -> dict[str, Any]:
    """The settings as a dict for support bundles and doctor output: secrets masked."""
    data = settings_to_dict(settings)
    data["maileon"]["api_key"] = settings.maileon.api_key.masked(tail=True)
    data["proxy"]["password"] = settings.proxy.password.masked()
    data["source"]["sql_dsn"] = mask_dsn(settings.source.sql_dsn)
    return json_scrub(data, secret_forms(settings))


def json_scrub(value: Any, forms: list[str]) -> Any:
    """Scrub every string inside a JSON-like value (a secret may sit in any free-text setting)."""
    if isinstance(value, str):
        return secrets.scrub(value, forms)
    if isinstance(value, dict):
        return {k: json_scrub(v, forms) for k, v in value.items()}
    if isinstance(value, list):
        return [json_scrub(v, forms) for v in value]
    return value


def _to_save(settings: Settings) -> dict[str, Any]:
    """What goes into the file: environment values only where the user changed them."""
    data = settings_to_dict(settings)
    for where, (env_value, file_value) in settings.from_env.items():
        section, key = where.split(".", 1)
        current = getattr(getattr(settings, section), key)
        if current != env_value:
            if where == "source.sql_dsn" and dsn_password(env_value) and \
                    dsn_password(current) == dsn_password(env_value):
                # edited around the environment's password (host, database): that password never reaches the disk
                raise ConfigError("config.env-dsn-edited", var=settings.env_source(where) or "")
            continue  # edited in the app: the user's value is saved
        if file_value is _ABSENT:
            data[section].pop(key, None)
        else:
            data[section][key] = file_value.get() if isinstance(file_value, Secret) else file_value
    return data


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the TOML file atomically with mode 0600 (a folder we create: 0700; an existing one keeps its mode)."""
    path = path or paths.default_config_file()
    paths.ensure_private_dir(path.parent)
    data = tomli_w.dumps(_to_save(settings)).encode("utf-8")
    # a new owner-only file of ours, never a planted one; settings elsewhere would not be read again: no fallback
    platform.write_atomic(path, data, fallback=False)
    return path
