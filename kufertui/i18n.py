"""German and English UI texts. German is the default; `--lang en` switches.

Each area keeps its texts in `kufertui/messages/<area>.py` as two dicts, DE and EN, with the
same keys (a test checks it). `t("key", n=3)` formats with str.format. A key belongs to one
module only: the loader refuses a key defined twice, so no module's wording silently wins.
Hint texts (`hints.<id>.title|cause|fix`) and field labels (`field.<id>`) come through the same
lookup; `hint_title`, `hint_cause`, `hint_fix` and `field_label` wrap it for the faces.

Numbers: `t` groups every int parameter the way the reader expects ("1.558" in German, "1,558"
in English) – except bools and identifiers: a parameter whose name is in RAW_PARAMS or ends in
"_id" (run numbers, ports, years, line numbers) stays as it is. Pass such a number under one of
those names, or format it yourself (a str is never touched).

A missing key is a bug: under ``KUFERTUI_STRICT_MESSAGES=1`` (the test suite sets it, tests/conftest.py) `t`
raises MissingMessage; in use it shows the English text, else the key's last part in words ("nav.about" →
"about"), never a crash. `has(key)` asks without falling back.

Plurals: a key may have a variant "key#one", used when the count parameter (the first of
COUNT_PARAMS the call passes: `n`, `count`, `gap`, `age`, `seen`) is 1, e.g.
"upload.unsub-taken#one" = "1 Abmelder …". Keys without that variant read the same for every
count. Both languages define the same variants (the catalogue test checks the key sets).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any

from kufertui.core.hints import DEFAULT_API_HOST, with_host

LANGUAGES = ("de", "en")
MESSAGES_PACKAGE = "kufertui.messages"
STRICT_ENV = "KUFERTUI_STRICT_MESSAGES"  # "1": a missing key raises (tests); otherwise a readable fallback
_current = "de"
_catalogues: dict[str, dict[str, str]] | None = None
_strict = os.environ.get(STRICT_ENV) == "1"


class MissingMessage(KeyError):
    """A text key that the catalogue of this language lacks (raised only in strict mode)."""


def set_strict(on: bool) -> None:
    """Make a missing key raise MissingMessage (True) or show a readable fallback (False)."""
    global _strict
    _strict = on


class DuplicateMessageKey(ValueError):
    """Two message modules define the same key."""

    def __init__(self, key: str, first: str, second: str) -> None:
        super().__init__(f"message key {key!r} is defined in both {first} and {second}")
        self.key, self.first, self.second = key, first, second


def load_catalogues(package: str = MESSAGES_PACKAGE) -> dict[str, dict[str, str]]:
    """DE and EN of every module in `package`, merged; raises DuplicateMessageKey on a shared key."""
    merged: dict[str, dict[str, str]] = {"de": {}, "en": {}}
    owner: dict[str, str] = {}
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        name = f"{package}.{info.name}"
        module = importlib.import_module(name)
        de: dict[str, str] = getattr(module, "DE", {})
        en: dict[str, str] = getattr(module, "EN", {})
        for key in (*de, *en):
            if owner.setdefault(key, name) != name:
                raise DuplicateMessageKey(key, owner[key], name)
        merged["de"].update(de)
        merged["en"].update(en)
    return merged


def _load() -> dict[str, dict[str, str]]:
    global _catalogues
    if _catalogues is None:
        _catalogues = load_catalogues()
    return _catalogues


def catalogues() -> dict[str, dict[str, str]]:
    return _load()


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _current = lang


def language() -> str:
    return _current


# Parameters that name something rather than count it: never grouped ("Lauf #1234", "Port 8765").
RAW_PARAMS = frozenset({"id", "run", "no", "port", "year", "month", "line", "col", "code", "pid", "filter"})
# The parameter that picks the "#one" variant: the first of these the call passes.
COUNT_PARAMS = ("n", "count", "gap", "age", "seen")


def _is_count(name: str, value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)
            and name not in RAW_PARAMS and not name.endswith("_id"))


def has(key: str, lang: str | None = None) -> bool:
    """Whether the catalogue of ``lang`` (default: the current language) holds ``key``."""
    return key in _load()[lang or _current]


def _missing(key: str, language_: str) -> str:
    if _strict:
        raise MissingMessage(f"message key {key!r} is missing in {language_!r} (kufertui/messages/)")
    return _load()["en"].get(key) or key.rsplit(".", 1)[-1].replace("-", " ")


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The text for key in the current language (a missing key: see the module's docstring)."""
    language_ = lang or _current
    table = _load()[language_]
    count = next((params[name] for name in COUNT_PARAMS if name in params), None)
    if isinstance(count, int) and not isinstance(count, bool) and count == 1 and f"{key}#one" in table:
        key = f"{key}#one"
    text = table.get(key)
    if text is None:
        text = _missing(key, language_)
    if params:
        shown = {name: number(value, language_) if _is_count(name, value)
                 else decimal(value, language_) if isinstance(value, float) else value
                 for name, value in params.items()}
        try:
            return text.format(**shown)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def field_label(field_id: str) -> str:
    """The label of a KUFER field (kufertui.core.fields); the id itself for a field we do not know."""
    key = f"field.{field_id}"
    return t(key) if has(key) else field_id


def _hint_part(hint_id: str, part: str, host: str) -> str:
    # an id the handbook lacks gets the "unknown" entry, as kufertui.messages.hints.hint() does
    known = hint_id if has(f"hints.{hint_id}.{part}") else "unknown"
    return with_host(t(f"hints.{known}.{part}"), host)


# ``host``: the Maileon host in use (core.hints.api_host_of(settings.maileon.base_url)), which the
# connection hints name; Maileon's own by default.
def hint_title(hint_id: str, host: str = DEFAULT_API_HOST) -> str:
    return _hint_part(hint_id, "title", host)


def hint_cause(hint_id: str, host: str = DEFAULT_API_HOST) -> str:
    return _hint_part(hint_id, "cause", host)


def hint_fix(hint_id: str, host: str = DEFAULT_API_HOST) -> str:
    return _hint_part(hint_id, "fix", host)


def number(value: int, lang: str | None = None) -> str:
    """Thousands grouping as the reader expects it: 1.297 in German, 1,297 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if (lang or _current) == "de" else text


def decimal(value: float, lang: str | None = None) -> str:
    """A fraction as the reader writes it: 0,3 in German, 0.3 in English (round it before, as shown)."""
    text = f"{value:,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if (lang or _current) == "de" else text


def timestamp(iso: str) -> str:
    """A stored UTC time (ISO 8601) as people read it: 2026-12-01 09:39 UTC."""
    return iso.replace("T", " ")[:16] + " UTC"


def flag_label(flag: str) -> str:
    """An import remark in words ("bad-date" → "Geburtsdatum ungültig …"); an unknown one as it is."""
    key = f"import.flag.{flag}"
    return t(key) if has(key) else flag


def cause_label(code: str) -> str:
    """A reject cause in words: "preflight:3" and "maileon:3" → "ungültige E-Mail"."""
    number_part = code.rsplit(":", 1)[-1]
    key = f"code.{number_part}" if number_part.isdigit() else f"cause.{code}"
    return t(key) if has(key) else code


def outcome_label(outcome: str) -> str:
    """A contact's outcome in words ("would-update" → "würde aktualisiert"); an unknown one as it is."""
    key = f"outcome.{outcome}"
    return t(key) if has(key) else outcome


def cause_detail(code: str) -> str:
    """Where a reject code came from, in words: "Vorabprüfung, Regel 3", "Maileon-Code 19"."""
    source, _, number_part = code.partition(":")
    if number_part.isdigit() and source in ("preflight", "maileon"):
        return t(f"results.code.{source}", n=number_part)
    return code
