"""The handbook's search as the help screen (F1) runs it: tui/hints.all_hints finds a hint by its id and by the
words the reader sees (title, cause, fix in the UI language, the Maileon host filled in), in handbook order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kufertui import i18n
from kufertui.messages.hints import HINTS
from kufertui.tui.hints import all_hints


@pytest.fixture(autouse=True)
def _german_after() -> Iterator[None]:
    yield
    i18n.set_language("de")


def ids(query: str, lang: str, host: str | None = None) -> list[str]:
    i18n.set_language(lang)
    found = all_hints(query) if host is None else all_hints(query, host)
    return [h.id for h in found]


def test_search_finds_in_the_reader_s_language_whatever_the_case() -> None:
    assert "proxy-socket" in ids("Proxy", "de") and "proxy-auth" in ids("proxy", "en")
    assert ids("PROXY", "de") == ids("proxy", "de")
    assert ids("Geschlecht", "de") and "maileon-code-19" in ids("gender", "en")
    assert ids("Zeitüberschreitung", "de") and not ids("Zeitüberschreitung", "en")  # German words, English UI


def test_search_keeps_handbook_order_and_an_empty_query_lists_every_hint() -> None:
    found = ids("Maileon", "de")
    order = [h.id for h in HINTS]
    assert found == sorted(found, key=order.index)
    assert ids("", "en") == order and ids("  ", "de") == order
    assert ids("zzz-no-such-text-zzz", "de") == []


def test_search_finds_the_host_in_use_not_the_placeholder() -> None:
    assert "network" in ids("maileon.vhs.example", "de", "maileon.vhs.example")
    assert not ids("{host}", "de", "maileon.vhs.example")
