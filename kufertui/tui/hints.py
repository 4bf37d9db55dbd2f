"""Access to the troubleshooting handbook (kufertui.core.hints), tolerant while it is being written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kufertui.i18n import language, t


@dataclass(frozen=True, slots=True)
class HintText:
    id: str
    title: str
    cause: str
    fix: str


def _module() -> Any:
    try:
        from kufertui.core import hints
    except ImportError:
        return None
    return hints


def _text(obj: Any, name: str) -> str:
    lang = language()
    return str(getattr(obj, f"{name}_{lang}", None) or getattr(obj, f"{name}_en", "") or "")


def get_hint(hint_id: str) -> HintText | None:
    module = _module()
    if module is None:
        return None
    try:
        hint = module.hint(hint_id)
    except (KeyError, LookupError):
        return None
    if hint is None:
        return None
    return HintText(hint_id, _text(hint, "title"), _text(hint, "cause"), _text(hint, "fix"))


def all_hints(query: str = "") -> list[HintText]:
    module = _module()
    if module is None:
        return []
    if query.strip() and hasattr(module, "search_hints"):
        found = module.search_hints(query, language())
    else:
        catalogue = getattr(module, "HINTS", {})
        found = list(catalogue.values()) if isinstance(catalogue, dict) else list(catalogue)
    out: list[HintText] = []
    for hint in found:
        hint_id = str(getattr(hint, "id", ""))
        out.append(HintText(hint_id, _text(hint, "title"), _text(hint, "cause"), _text(hint, "fix")))
    return out


def hint_for_code(code: str) -> str | None:
    """The hint id for a reject cause such as "maileon:19", "preflight:3" or "suppressed"."""
    module = _module()
    if module is None:
        return None
    number = code.rsplit(":", 1)[-1]
    if number.isdigit():
        return str(module.maileon_code_hint_id(int(number)))
    return code if code in getattr(module, "HINTS_BY_ID", {}) else None


def code_label(code: str) -> str:
    """A short label for a reject code, e.g. "Maileon 19" with its meaning when known."""
    number = code.rsplit(":", 1)[-1]
    key = f"code.{number}" if number.isdigit() else f"cause.{code}"
    text = t(key)
    return text if text != key else code
