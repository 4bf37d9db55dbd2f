"""The troubleshooting catalogue: complete, bilingual, searchable, and free of secrets."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from kufertui.core import hints as h
from kufertui.core.hints import Hint, maileon_code_hint_id
from kufertui.messages import hints as texts
from kufertui.messages.hints import HINTS, HINTS_BY_ID, hint

REQUIRED_IDS = {
    "proxy-socket", "proxy-auth", "key-invalid", "key-rights", "tls", "network", "timeout", "rate-limited",
    "server-error", "malformed-response", "bad-request", "not-found", "conflict", "importapi-fewer",
    "retention-window", "preflight-invalid-email", "preflight-duplicate", "suppressed",
    "unsubscribed-in-maileon", "status-not-uploadable", "k-notice-missing", "lock-held", "resume-available",
    "reconciliation-gap", "objection-push", "objection-push-off", "workspace-corrupt", "workspace-read-only",
    "unsub-anonymised-unmatched", "email-move-conflict", "email-move-target-exists",
    "email-move-target-unsubscribed", "opted-out-person",
    "config-invalid", "import-failed", "xml-exists", "target-group-exists", "filter-limit", "unknown",
    *(f"maileon-code-{n}" for n in range(1, 28)),
}

TEXT_FIELDS = ("title_de", "title_en", "cause_de", "cause_en", "fix_de", "fix_en")


def test_ids_unique_and_indexed() -> None:
    ids = [x.id for x in HINTS]
    assert len(ids) == len(set(ids))
    assert set(HINTS_BY_ID) == set(ids)
    assert all(HINTS_BY_ID[x.id] is x for x in HINTS)


def test_required_ids_present() -> None:
    assert sorted(REQUIRED_IDS - set(HINTS_BY_ID)) == []


def test_ids_are_slugs() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", x.id) for x in HINTS)


@pytest.mark.parametrize("entry", HINTS, ids=lambda x: x.id)
def test_every_text_non_empty_both_languages(entry: Hint) -> None:
    for name in TEXT_FIELDS:
        value = getattr(entry, name)
        assert isinstance(value, str) and value.strip(), (entry.id, name)
        assert value == value.strip() and "  " not in value, (entry.id, name)


def test_languages_differ() -> None:
    # A German text left untranslated (or vice versa) shows up as identical causes or fixes.
    for x in HINTS:
        assert x.cause_de != x.cause_en and x.fix_de != x.fix_en, x.id


def test_all_maileon_codes_present() -> None:
    for code in range(1, 28):
        hid = maileon_code_hint_id(code)
        assert hid == f"maileon-code-{code}"
        entry = hint(hid)
        assert entry.id == hid
        assert str(code) in entry.title_de and str(code) in entry.title_en


def test_unknown_hint_never_raises() -> None:
    assert hint("nope").id == "unknown"
    assert hint("").id == "unknown"
    assert hint(maileon_code_hint_id(99)).id == "unknown"
    assert hint("nope") is HINTS_BY_ID["unknown"]


def test_client_error_hint_ids_resolve() -> None:
    from kufertui.maileon import errors

    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.MaileonError)]
    assert classes
    for cls in classes:
        assert cls.hint_id in HINTS_BY_ID, cls.__name__


def test_hint_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        hint("tls").title_de = "x"  # type: ignore[misc]


def test_language_accessors() -> None:
    x = hint("timeout")
    assert x.title("de") == x.title_de and x.title("en") == x.title_en
    assert x.cause("en") == x.cause_en and x.fix("de") == x.fix_de


KEYLIKE = [
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8,}", re.I),  # UUID-shaped keys
    re.compile(r"\b[0-9a-f]{20,}\b", re.I),  # long hex runs
    re.compile(r"\b(?=[A-Za-z0-9_+/=-]*\d)(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{24,}\b"),  # tokens
]


@pytest.mark.parametrize("entry", HINTS, ids=lambda x: x.id)
def test_no_key_looking_strings(entry: Hint) -> None:
    for name in TEXT_FIELDS:
        value = getattr(entry, name)
        for pattern in KEYLIKE:
            assert not pattern.search(value), (entry.id, name, pattern.pattern)


def test_manual_cases_say_what_to_do() -> None:
    assert "Einstellungen > Kontaktmanagement" in hint("retention-window").fix_de
    assert "kufertui unsubscribers pull" in hint("retention-window").fix_de
    assert "14" in hint("retention-window").title_de
    assert "Einstellungen > API-Keys" in hint("key-invalid").fix_de
    assert "ca_bundle" in hint("tls").fix_en
    assert "kufertui sync --resume" in hint("server-error").fix_de
    assert "Firma" in hint("maileon-code-19").cause_de
    assert "§ 7" in hint("k-notice-missing").cause_de


def test_no_textual_import() -> None:
    for module in (h, texts):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+textual", source, re.M)
