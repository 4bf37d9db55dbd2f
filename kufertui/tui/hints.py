"""The troubleshooting handbook (kufertui.core.hints) in the UI language."""

from __future__ import annotations

from dataclasses import dataclass

from kufertui.core import hints
from kufertui.i18n import language


@dataclass(frozen=True, slots=True)
class HintText:
    id: str
    title: str
    cause: str
    fix: str


def _text(hint: hints.Hint) -> HintText:
    lang = language()
    return HintText(hint.id, hint.title(lang), hint.cause(lang), hint.fix(lang))


def get_hint(hint_id: str) -> HintText | None:
    return _text(hints.hint(hint_id))


def all_hints(query: str = "") -> list[HintText]:
    found = hints.search_hints(query, language()) if query.strip() else list(hints.HINTS)
    return [_text(h) for h in found]


def hint_for_code(code: str) -> str | None:
    """The hint id for a reject cause such as "maileon:19", "preflight:3" or "suppressed"."""
    hint_id = hints.hint_id_for_code(code)
    return None if hint_id == "unknown" else hint_id

