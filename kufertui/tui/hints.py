"""The troubleshooting handbook (kufertui.messages.hints) in the UI language, read through the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from kufertui.core.hints import DEFAULT_API_HOST
from kufertui.i18n import hint_cause, hint_fix, hint_title
from kufertui.messages import hints


@dataclass(frozen=True, slots=True)
class HintText:
    id: str
    title: str
    cause: str
    fix: str


# ``host``: the Maileon host in use (core.hints.api_host_of(settings.maileon.base_url)), named by the connection hints
def _text(hint_id: str, host: str) -> HintText:
    return HintText(hint_id, hint_title(hint_id, host), hint_cause(hint_id, host), hint_fix(hint_id, host))


def get_hint(hint_id: str, host: str = DEFAULT_API_HOST) -> HintText | None:
    return _text(hints.hint(hint_id).id, host)


def all_hints(query: str = "", host: str = DEFAULT_API_HOST) -> list[HintText]:
    """Hints whose id, title, cause or fix (as shown) contain the query, case-insensitive, handbook order."""
    needle = query.strip().casefold()
    texts = [_text(h.id, host) for h in hints.HINTS]
    return [h for h in texts if needle in f"{h.id}\n{h.title}\n{h.cause}\n{h.fix}".casefold()]


def hint_for_code(code: str) -> str | None:
    """The hint id for a reject cause such as "maileon:19", "preflight:3" or "suppressed"."""
    hint_id = hints.hint_id_for_code(code)
    return None if hint_id == "unknown" else hint_id

