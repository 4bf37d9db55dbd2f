"""German and English UI texts. German is the default; `--lang en` switches.

Each area keeps its texts in `kufertui/messages/<area>.py` as two dicts, DE and EN, with the
same keys (a test checks it). `t("key", n=3)` formats with str.format.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import kufertui.messages as _messages_pkg

LANGUAGES = ("de", "en")
_current = "de"
_catalogues: dict[str, dict[str, str]] | None = None


def _load() -> dict[str, dict[str, str]]:
    global _catalogues
    if _catalogues is None:
        merged: dict[str, dict[str, str]] = {"de": {}, "en": {}}
        for info in pkgutil.iter_modules(_messages_pkg.__path__):
            module = importlib.import_module(f"kufertui.messages.{info.name}")
            merged["de"].update(getattr(module, "DE", {}))
            merged["en"].update(getattr(module, "EN", {}))
        _catalogues = merged
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


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The text for key in the current language; the key itself if unknown (visible, not a crash)."""
    table = _load()[lang or _current]
    text = table.get(key) or _load()["en"].get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def number(value: int) -> str:
    """Thousands grouping as the reader expects it: 1.297 in German, 1,297 in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if _current == "de" else text


def cause_label(code: str) -> str:
    """A reject cause in words: "preflight:3" and "maileon:3" → "ungültige E-Mail"."""
    number_part = code.rsplit(":", 1)[-1]
    key = f"code.{number_part}" if number_part.isdigit() else f"cause.{code}"
    text = t(key)
    return text if text != key else code


def cause_detail(code: str) -> str:
    """Where a reject code came from, in words: "Vorabprüfung, Regel 3", "Maileon-Code 19"."""
    source, _, number_part = code.partition(":")
    if number_part.isdigit() and source in ("preflight", "maileon"):
        return t(f"results.code.{source}", n=number_part)
    return code
