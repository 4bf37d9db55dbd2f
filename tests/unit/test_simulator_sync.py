"""The simulator's bulk-sync body parser and field checks (kufertui.simulator.sync / .validation)."""

from __future__ import annotations

import pytest

from kufertui.simulator.state import SimContact, SimState
from kufertui.simulator.sync import IncomingContact, SyncParams, SyncRequestError, parse_body, validate_contact
from kufertui.simulator.validation import (
    LENGTH_ONLY_CODES,
    SPECIAL_STANDARD,
    STANDARD_CODES,
    custom_error,
    standard_error,
    valid_email,
)


def _one(body: bytes) -> IncomingContact:
    contacts = parse_body(body)
    assert len(contacts) == 1
    return contacts[0]


def test_order_nil_strip_and_unknown_tags() -> None:
    c = _one(b"<contacts><contact><custom_fields><field><value> 1 </value><name> Flag </name></field>"
             b"</custom_fields><x>ignored</x><standard_fields><field><name>TITLE</name><value nil=\"true\">Dr"
             b"</value></field></standard_fields><external_id> 7 </external_id><email> a@example.org </email>"
             b"<id>12</id></contact><other/></contacts>")
    assert (c.email, c.external_id, c.maileon_id) == ("a@example.org", "7", 12)
    assert c.standard == {"TITLE": None} and c.custom == {"Flag": "1"}


def test_contact_as_root_and_empty_values() -> None:
    c = _one(b"<contact><email>  </email><external_id nil=\"true\">9</external_id><id nil=\"true\">x</id>"
             b"</contact>")
    assert (c.email, c.external_id, c.maileon_id) == (None, None, None)
    assert _one(b"<contact><id> </id></contact>").maileon_id is None


@pytest.mark.parametrize("body", [b"<x/>", b"<ns:contacts xmlns:ns='urn:x'/>", b"", b"<contacts>"])
def test_rejected_bodies(body: bytes) -> None:
    with pytest.raises(SyncRequestError):
        parse_body(body)


def test_doctype_rejected_and_entities_not_resolved() -> None:
    with pytest.raises(SyncRequestError, match="DOCTYPE"):
        parse_body(b'<!DOCTYPE c [<!ENTITY e "x">]><contacts><contact><email>&e;</email></contact></contacts>')


def test_id_must_be_a_number() -> None:
    with pytest.raises(SyncRequestError, match="contact id is not a number: 'abc'"):
        parse_body(b"<contacts><contact><id>1</id></contact><contact><id>abc</id></contact></contacts>")


def test_fields_without_name_and_repeated_parts() -> None:
    c = _one(b"<contacts><contact><standard_fields>"
             b"<field><value>no name</value></field>"
             b"<field><name> </name><value>blank name</value></field>"
             b"<field><name>A</name><value>1</value></field>"
             b"<field><name>B</name><value>2</value><name>C</name><value>3</value></field>"
             b"<field><name>A</name><value>4</value></field>"
             b"<field><name>D</name></field>"
             b"</standard_fields></contact></contacts>")
    # the last name/value of a field counts; a repeated name keeps its first position with the last value
    assert list(c.standard.items()) == [("A", "4"), ("C", "3"), ("D", None)]


def test_a_later_group_replaces_an_earlier_one() -> None:
    c = _one(b"<contacts><contact><email>a@example.org</email><email>b@example.org</email>"
             b"<custom_fields><field><name>X</name><value>1</value></field></custom_fields>"
             b"<custom_fields><field><name>Y</name><value>2</value></field></custom_fields></contact></contacts>")
    assert c.email == "b@example.org" and c.custom == {"Y": "2"}


def test_elements_at_other_depths_are_ignored() -> None:
    body = (b"<contacts xmlns:ns='urn:x'>"
            b"<wrap><contact><email>deep@example.org</email></contact></wrap>"
            b"<contact>"
            b"<field><name>InContact</name><value>1</value></field>"
            b"<wrap><email>wrapped@example.org</email></wrap>"
            b"<standard_fields>"
            b"<name>InGroup</name><value>1</value>"
            b"<wrap><field><name>Wrapped</name><value>1</value></field></wrap>"
            b"<field><wrap><name>Nested</name><value>1</value></wrap></field>"
            b"<field><name>Ok<name>Inner</name></name><value>v<value>inner</value></value></field>"
            b"<field><value><name>InValue</name></value></field>"
            b"<ns:field><name>Namespaced</name><value>1</value></ns:field>"
            b"</standard_fields>"
            b"<email><email>inner@example.org</email>outer@example.org</email>"
            b"<contact><email>nested@example.org</email></contact>"
            b"</contact></contacts>")
    c = _one(body)
    # <email> has a child before its text: its text (before the first child) is empty
    assert c.email is None
    assert c.standard == {"Ok": "v"} and c.custom == {}


def test_comments_and_cdata() -> None:
    c = _one(b"<contacts><!-- c --><contact><?pi x?><email><![CDATA[ a@example.org ]]></email>"
             b"<standard_fields><!-- c --><field><!-- c --><name>T</name><value><!-- c -->x</value></field>"
             b"</standard_fields></contact></contacts>")
    assert c.email == "a@example.org" and c.standard == {"T": ""}


def test_standard_and_custom_checks() -> None:
    assert standard_error("FIRSTNAME", "x" * 255) is None and standard_error("FIRSTNAME", "x" * 256) == 8
    assert standard_error("SALUTATION", "x" * 300) is None and standard_error("NOPE", "x" * 300) is None
    assert standard_error("GENDER", "d") is None and standard_error("GENDER", "w") == 19
    assert standard_error("BIRTHDAY", "1990-02-30") is None and standard_error("NAMEDAY", "1990-13-01") == 18
    assert standard_error("LOCALE", "de_DE") is None and standard_error("LOCALE", "de_de") == 20
    assert custom_error("boolean", "TRUE") is None and custom_error("boolean", "yes") == 22
    assert custom_error("integer", "2147483647") is None and custom_error("integer", "2147483648") == 25
    assert custom_error("double", "1e3") is None and custom_error("float", "x") == 23
    assert custom_error("string", "x" * 256) == 26 and custom_error("date", "2020-01-01 10:00:00") is None
    assert valid_email("a.b@example.org") and not valid_email("a..b@example.org")
    assert not valid_email("a b@example.org") and not valid_email("x" * 250 + "@example.org")


def test_length_only_fields_match_standard_error() -> None:
    # validate_contact decides LENGTH_ONLY_CODES inline: they must have no rule but the length
    assert set(LENGTH_ONLY_CODES) | SPECIAL_STANDARD == set(STANDARD_CODES)
    for name, code in LENGTH_ONLY_CODES.items():
        assert standard_error(name, "x") is None and standard_error(name, "x" * 255) is None
        assert standard_error(name, "x" * 256) == code
    for name in SPECIAL_STANDARD:
        assert standard_error(name, "x") == STANDARD_CODES[name]


def test_validate_contact_reports_the_first_problem() -> None:
    state = SimState()
    state.custom_fields["Flag"] = "boolean"
    p = SyncParams()
    c = IncomingContact("a@example.org", None, None, {"salutation": "x" * 300, "gender": "w", "CITY": "x" * 256},
                        {"Flag": "yes"})
    assert validate_contact(state, c, p) == (19, "GENDER")
    c.standard = {"firstname": None, "city": "x" * 256}
    assert validate_contact(state, c, p) == (7, "CITY")
    c.standard = {}
    assert validate_contact(state, c, p) == (22, "Flag")
    c.custom = {"Flag": "", "Other": None}
    assert validate_contact(state, c, p) == (21, "Other")
    c.custom = {"Flag": None}
    assert validate_contact(state, c, p) is None


def test_external_id_map_follows_a_contact_replaced_under_the_same_email() -> None:
    state = SimState.with_key("k")
    state.seed_contact("a@x.de", external_id="1")
    assert [c.email for c in state.by_external_id("1")] == ["a@x.de"]
    state.add_contact(SimContact(99, "a@x.de", "2"))
    assert state.by_external_id("1") == []
    assert [c.id for c in state.by_external_id("2")] == [99]
