"""Normalisation of raw KUFER cells into Contacts."""

from __future__ import annotations

import pytest

from kufertui.core.contact import Contact, Status
from kufertui.kufer.errors import RowError
from kufertui.kufer.normalise import (
    build_contact,
    normalise_email,
    parse_bool,
    parse_date,
    split_emails,
    split_zip_city,
)


def make(**values: str) -> Contact:
    result = build_contact(values, 7)
    assert isinstance(result, Contact), result
    return result


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Max.Muster@Example.DE ", "Max.Muster@example.de"), ("a@B.de", "a@b.de"), ("no-at-sign", "no-at-sign"),
    ("weird@x@Y.DE", "weird@x@y.de"),
])
def test_email(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


def test_split_emails() -> None:
    assert split_emails("a@b.de") == ["a@b.de"]
    assert split_emails("a@b.de, c@d.de;e@f.de") == ["a@b.de", "c@d.de", "e@f.de"]


@pytest.mark.parametrize(("raw", "iso"), [
    ("03.04.1965", "1965-04-03"), ("3.4.1965", "1965-04-03"), ("1965-04-03", "1965-04-03"),
    ("31.02.1980", None), ("00.00.0000", None), ("1985", None), ("12.13.1970", None), ("01.01.85", None),
    ("ab.cd.efgh", None),
])
def test_dates(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso
    contact = make(email="a@b.de", birthday=raw)
    assert contact.birthday == iso
    assert ("bad-date" in contact.flags) == (iso is None)


@pytest.mark.parametrize(("raw", "expected"), [
    ("12345 Musterstadt", ("12345", "Musterstadt")), ("D-80331 München", ("80331", "München")),
    ("1010 Wien", ("1010", "Wien")), ("Musterstadt", (None, "Musterstadt")), ("123 Ort", (None, "123 Ort")),
])
def test_zip_city(raw: str, expected: tuple[str | None, str]) -> None:
    assert split_zip_city(raw) == expected


def test_zip_column_kept_when_both_given() -> None:
    contact = make(email="a@b.de", zip="97070", city="Würzburg")
    assert (contact.zip, contact.city) == ("97070", "Würzburg")
    contact = make(email="a@b.de", city="50667 Köln")
    assert (contact.zip, contact.city) == ("50667", "Köln")


@pytest.mark.parametrize(("raw", "gender", "flag"), [
    ("M", "m", None), ("W", "f", None), ("w", "f", None), ("D", "d", None), ("Frau", "f", None),
    ("F", None, "organisation"), ("x", None, "unknown-gender"),
])
def test_gender(raw: str, gender: str | None, flag: str | None) -> None:
    contact = make(email="a@b.de", gender_raw=raw)
    assert contact.gender_raw == raw and contact.gender == gender
    if flag:
        assert flag in contact.flags


@pytest.mark.parametrize(("raw", "expected"), [("Herr", "Herr"), ("HERRN", "Herr"), ("frau", "Frau"),
                                               ("Familie", "Familie")])
def test_salutation(raw: str, expected: str) -> None:
    assert make(email="a@b.de", salutation=raw).salutation == expected


@pytest.mark.parametrize("raw", ["J", "Ja", "1", "X", "true", "x", "WAHR"])
def test_dozent_true(raw: str) -> None:
    assert parse_bool(raw) and make(email="a@b.de", is_dozent=raw).is_dozent


@pytest.mark.parametrize("raw", ["N", "nein", "0", "", "false"])
def test_dozent_false(raw: str) -> None:
    assert not make(email="a@b.de", is_dozent=raw).is_dozent


@pytest.mark.parametrize(("raw", "status"), [("J", Status.J), ("k", Status.K), ("", Status.EMPTY),
                                             (" N ", Status.N), ("Nein", Status.N), ("-", Status.EMPTY)])
def test_status(raw: str, status: Status) -> None:
    assert make(email="a@b.de", status=raw).status is status


def test_invalid_status_rejects_the_row() -> None:
    assert build_contact({"email": "a@b.de", "status": "vielleicht"}, 3) == RowError(3, "invalid-status",
                                                                                       "vielleicht")


def test_missing_email_names_the_person() -> None:
    assert build_contact({"person_no": "4711"}, 2) == RowError(2, "missing-email", "TNR 4711")
    assert build_contact({"first_name": "Jörg", "last_name": "Weiß", "email": "  "}, 2) == RowError(
        2, "missing-email", "Jörg Weiß")


def test_several_emails_in_one_cell_and_extras() -> None:
    contact = make(email="a@b.de, c@D.DE")
    assert contact.email == "a@b.de" and contact.extra_emails == "c@d.de" and "several-emails" in contact.flags
    result = build_contact({}, 4, extra_emails=["x@Y.de", "z@y.de"])
    assert isinstance(result, Contact) and result.email == "x@y.de" and result.extra_emails == "z@y.de"


def test_everything_is_trimmed_and_empty_is_none() -> None:
    contact = make(email=" a@b.de ", first_name="  Jörg ", last_name=" ", title=" Dr. ", departments=" Sprachen ")
    assert (contact.first_name, contact.last_name, contact.title, contact.departments) == (
        "Jörg", None, "Dr.", "Sprachen")
    assert contact.source_line == 7 and contact.key == "email:a@b.de"


def test_control_characters_are_replaced_and_flagged() -> None:
    """A vertical tab from an Excel cell would make the Maileon upload unwritable (XML cannot carry it)."""
    contact = make(email="jw@vhs.de", first_name="Jo\x0brg", last_name="We\x01iß")
    assert contact.first_name == "Jo rg" and contact.last_name == "We iß"
    assert "control-characters" in contact.flags
    clean = make(email="jw@vhs.de", first_name="Jörg\tJr.")
    assert clean.first_name == "Jörg\tJr." and "control-characters" not in clean.flags


def test_long_cells_are_converted_but_never_remembered() -> None:
    """The row-wise caches hold cells from the file: a gender or date cell longer than MEMO_CELL_CHARS is converted
    as any other and not kept (a file of long distinct cells could otherwise fill memory with them)."""
    from kufertui.kufer import normalise

    long_date = "2020-01-01" + "x" * normalise.MEMO_CELL_CHARS  # read as 2020-01-01 (the ISO branch's first 10)
    long_gender = "m" * (normalise.MEMO_CELL_CHARS + 1)
    assert normalise.iso_date(long_date) == "2020-01-01"
    assert normalise.gender_of(long_gender) == (None, "unknown-gender")
    assert long_date not in normalise._DATE_CACHE and long_gender not in normalise._GENDER_OF
    assert normalise.iso_date("2020-01-02") == "2020-01-02" and "2020-01-02" in normalise._DATE_CACHE
