"""The settings file: read from and written to a 0600 TOML file, with environment overrides.

A misspelt key is an error that names the file, the line and the nearest valid key, so an admin
editing the file over SSH finds the typo at once.
"""

from __future__ import annotations

import difflib
import os
import re
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
from kufertui.i18n import LANGUAGES

_SECTIONS = {f.name: f for f in fields(Settings) if f.metadata.get("section", True)}
_ABSENT = object()  # the file had no such key
_FREE_SECTIONS = ("fields", "value_maps")


class ConfigError(Exception):
    """A settings file that cannot be used; the message names file, line and what to do.

    ``rule`` (a param): the message id of the broken rule, translated into the text by ``text()``;
    ``expected`` (a param): a type name (int, float, bool, str, text, table), said in words by ``text()``.
    ``lang``: the language the file asks for, when it could be read (the error speaks it).
    ``others``: further problems found in the same pass (every typo at once, the environment's too);
    the first one is this error itself."""

    def __init__(self, message_id: str, *, lang: str | None = None, **params: Any) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params
        self.lang = lang
        self.others: list[ConfigError] = []

    @classmethod
    def of(cls, found: list[ConfigError], lang: str | None = None) -> ConfigError:
        """One error that reports every problem found (the first one heads it)."""
        first = found[0]
        first.others = found[1:]
        first.lang = first.lang or lang
        return first

    @property
    def problems(self) -> list[ConfigError]:
        return [self, *self.others]

    def _line(self) -> str:
        from kufertui.i18n import t

        params = dict(self.params)
        if "rule" in params:
            params["rule"] = t(params["rule"])
        if "expected" in params:
            params["expected"] = t(f"config.type.{params['expected']}")
        return t(self.message_id, **params)

    def text(self) -> str:
        return "\n".join(problem._line() for problem in self.problems)

    def to_json(self) -> list[dict[str, Any]]:
        """Every problem with its language-neutral id and params (for --json)."""
        return [{"error": p.message_id, **{k: v for k, v in p.params.items()}} for p in self.problems]

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
    """The settings of a parsed file; every unknown key and wrong value in it is reported at once."""
    found: list[ConfigError] = []
    settings = _settings_from_dict(data, path, text, found)
    if found:
        raise ConfigError.of(found, _language_of(data))
    return settings


def _unknown_key(key: str, nearest: str, **params: Any) -> ConfigError:
    if nearest:
        return ConfigError("config.unknown-key", key=key, nearest=nearest, **params)
    return ConfigError("config.unknown-key-no-nearest", key=key, **params)


def _settings_from_dict(data: dict[str, Any], path: Path, text: str, found: list[ConfigError]) -> Settings:
    settings = Settings()
    for section, body in data.items():
        if section not in _SECTIONS:
            near = difflib.get_close_matches(section, list(_SECTIONS), n=1)
            found.append(_unknown_key(section, near[0] if near else "", file=str(path),
                                      line=_line_of(text, section)))
            continue
        if not isinstance(body, dict):
            found.append(ConfigError("config.wrong-type", file=str(path), line=_line_of(text, section), key=section,
                                     expected="table"))
            continue
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
                found.append(_unknown_key(f"{section}.{key}", f"{section}.{near[0]}" if near else "",
                                          file=str(path), line=_line_of(text, key)))
                continue
            try:
                setattr(target, key, _coerce(value, getattr(target, key), f"{section}.{key}", path, text))
            except ConfigError as exc:
                found.append(exc)
    return settings


def _language_of(data: dict[str, Any]) -> str | None:
    """The language a file asks for (its errors speak it), also when other keys in it are wrong."""
    ui = data.get("ui")
    lang = ui.get("language") if isinstance(ui, dict) else None
    if lang not in LANGUAGES:
        lang = os.environ.get("KUFERTUI_UI__LANGUAGE")
    return lang if lang in LANGUAGES else None


def _override(settings: Settings, section: str, key: str, value: Any, in_file: set[str]) -> None:
    target = getattr(settings, section)
    where = f"{section}.{key}"
    before = settings.from_env[where][1] if where in settings.from_env else (
        getattr(target, key) if where in in_file else _ABSENT)
    settings.from_env[where] = (value, before)
    setattr(target, key, value)


# KUFERTUI_ variables read outside the settings (paths.py) or only by the test suite and benchmarks
_OTHER_ENV = ("KUFERTUI_HOME", "KUFERTUI_CONFIG", "KUFERTUI_API_KEY", "KUFERTUI_BASE_URL")


def _env_names() -> list[str]:
    """Every KUFERTUI_<SECTION>__<KEY> the settings read."""
    return [f"KUFERTUI_{section.upper()}__{f.name.upper()}" for section in _SECTIONS
            if section not in _FREE_SECTIONS for f in fields(getattr(Settings(), section))]


def unknown_env_variables(env: dict[str, str] | os._Environ[str] | None = None) -> list[ConfigError]:
    """KUFERTUI_ variables that look like settings but name none: a typo would otherwise be ignored.

    Every KUFERTUI_<SECTION>__<KEY> must name a setting; a name without the double underscore counts only
    when it is close to one we read (KUFERTUI_API_KEYY, KUFERTUI_PROXY_HOST), so the test suite's and the
    benchmarks' own switches (KUFERTUI_TEST_HOLD, KUFERTUI_BENCH_…) pass."""
    env = os.environ if env is None else env
    generic = _env_names()
    found: list[ConfigError] = []
    for var in sorted(env):
        name = var.upper()
        if not name.startswith("KUFERTUI_") or name in generic or name in _OTHER_ENV:
            continue
        if "__" in name:  # compared without the common prefix, which would make every name look close
            near = _nearest(name, generic, 0.7)
        else:
            near = _nearest(name, [*_OTHER_ENV, *generic], 0.85)  # KUFERTUI_PROXY_HOST, KUFERTUI_API_KEYY
            if not near:
                continue
        if near:
            found.append(ConfigError("config.unknown-env", var=var, nearest=near))
        else:
            found.append(ConfigError("config.unknown-env-no-nearest", var=var))
    return found


def _nearest(name: str, names: list[str], cutoff: float) -> str:
    cut = len("KUFERTUI_")
    near = difflib.get_close_matches(name[cut:], [n[cut:] for n in names], n=1, cutoff=cutoff)
    return f"KUFERTUI_{near[0]}" if near else ""


def _env_overrides(settings: Settings, in_file: set[str], found: list[ConfigError]) -> None:
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
                except ValueError:
                    found.append(ConfigError("config.env-wrong-type",
                                             var=f"KUFERTUI_{section.upper()}__{f.name.upper()}",
                                             expected=type(current).__name__))
                    continue
            elif isinstance(current, str):
                value = raw
            else:
                continue
            _override(settings, section, f.name, value, in_file)
        del spec


def load_settings(path: Path | None = None, *, apply_env: bool = True) -> Settings:
    """Read the settings file (missing file → defaults) and apply environment overrides.

    Every unknown key and wrong value, in the file and in KUFERTUI_ variables, is reported at once."""
    path = path or paths.default_config_file()
    settings = Settings()
    in_file: set[str] = set()
    text = ""
    found: list[ConfigError] = []
    data: dict[str, Any] = {}
    if path.is_dir():
        raise ConfigError("config.is-directory", file=str(path))
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError as exc:
            raise ConfigError("config.not-utf8", file=str(path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise _syntax_error(path, str(exc), text) from exc
        except OSError as exc:
            raise ConfigError("config.unreadable", file=str(path), detail=exc.strerror or "") from exc
        settings = _settings_from_dict(data, path, text, found)
        in_file = {f"{section}.{key}" for section, body in data.items() if isinstance(body, dict)
                   for key in body}
    if apply_env:
        found.extend(unknown_env_variables())
        _env_overrides(settings, in_file, found)
    if found:
        raise ConfigError.of(found, _language_of(data))
    _refuse_problems(settings, path, text)
    return settings


_TOML_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def _syntax_error(path: Path, message: str, text: str) -> ConfigError:
    """A TOML parse error in the user's words, with line and column; the parser's own text as the detail."""
    where = _TOML_WHERE.search(message)
    if where is None:
        return ConfigError("config.syntax", file=str(path), line="?", column="?", detail=message)
    if where.group(1):
        line, column = int(where.group(1)), int(where.group(2))
    else:  # at the end: the last line, after its last character
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    return ConfigError("config.syntax", file=str(path), line=line, column=column, detail=message[:where.start()])


def _refuse_problems(settings: Settings, path: Path, text: str) -> None:
    """The checks doctor and the settings screen show, made binding at load: no face starts a run
    (or a request) on a batch size Maileon refuses or a K confirmation that is no date."""
    found = settings.problems()
    if not found:
        return
    where, rule = found[0]
    lang = settings.ui.language if settings.ui.language in LANGUAGES else None
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
