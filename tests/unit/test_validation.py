"""Pre-flight rules, written against Maileon's documented rules (reference §2.5, §4, §5)."""

from __future__ import annotations

import random

import pytest

from kufertui.core.validation import NOT_XML_CHARS, check_contact, has_not_xml_chars, valid_email


@pytest.mark.parametrize("email", ["anna.mueller@vhs-beispiel.de", "a+news@x.de",
                                   "o'brien@vhs.de", "joerg@münchen.de"])
def test_valid_emails(email: str) -> None:
    assert valid_email(email)


@pytest.mark.parametrize("email", ["anna.mueller", "a b@x.de", "a..b@x.de", "a@x", "@x.de", "a@@x.de",
                                   ".a@x.de", "a@x..de", "", "jörg@vhs.de"])
def test_invalid_emails(email: str) -> None:
    assert not valid_email(email)


def codes(email: str = "a@b.de", standard: dict | None = None, custom: dict | None = None,
          declared: dict | None = None) -> list[int]:
    return [p.code for p in check_contact(email, standard or {}, custom or {}, declared)]


def test_gender_only_m_f_d() -> None:
    assert codes(standard={"GENDER": "f"}) == []
    assert codes(standard={"GENDER": "w"}) == [19]
    assert codes(standard={"GENDER": "W"}) == [19]


def test_lengths_and_dates() -> None:
    assert codes(standard={"FIRSTNAME": "x" * 255}) == []
    assert codes(standard={"FIRSTNAME": "x" * 256}) == [8]
    assert codes(standard={"LASTNAME": "x" * 256, "ZIP": "1" * 300}) == [11, 16]
    assert codes(standard={"BIRTHDAY": "1981-02-29"}) == [17]
    assert codes(standard={"BIRTHDAY": "1984-02-29"}) == []
    assert codes(standard={"BIRTHDAY": "01.02.1980"}) == [17]
    assert codes(standard={"LOCALE": "de_DE"}) == [] and codes(standard={"LOCALE": "deutsch"}) == [20]


def test_custom_fields_must_be_declared_and_typed() -> None:
    declared = {"ImportAPI": "boolean", "Kurs": "string", "Alter": "integer"}
    assert codes(custom={"ImportAPI": True}, declared=declared) == []
    assert codes(custom={"Unbekannt": "x"}, declared=declared) == [21]
    assert codes(custom={"ImportAPI": "ja"}, declared=declared) == [22]
    assert codes(custom={"Kurs": "x" * 256}, declared=declared) == [26]
    assert codes(custom={"Alter": "99999999999"}, declared=declared) == [25]


def test_missing_and_invalid_email_codes() -> None:
    assert codes(email="") == [2]
    assert codes(email="kein-at") == [3]


def test_the_fast_look_for_characters_xml_cannot_carry_finds_what_the_pattern_finds() -> None:
    # a guard of has_not_xml_chars (the CSV import asks it per block): Latin-1 texts, wider ones, with the bytes
    # of U+FFFE as Latin-1 characters ("ï¿¾": not a finding), control characters, surrogates, U+FFFE/U+FFFF
    rng = random.Random(27)
    alphabet = ["a", ";", " ", "\t", "\r\n", "ä", "ß", "\xa0", "\x85", "\x7f", "\xef", "\xbf", "\xbe", "ï¿¾", "€", "Ω",
                "\x00", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff", "\udc80", "\U0001f600"]
    for _ in range(3000):
        text = "".join(rng.choices(alphabet[:16] if rng.random() < 0.6 else alphabet, k=rng.randrange(0, 12)))
        assert has_not_xml_chars(text) == (NOT_XML_CHARS.search(text) is not None), repr(text)
