"""Sync body building and response parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kufertui.maileon.xml import (
    MaileonContact,
    XmlError,
    build_sync_body,
    parse_contacts,
    parse_custom_fields,
    parse_sync_report,
    parse_unsubscriptions,
    parse_xml,
)


def test_build_escapes_and_serialises_values() -> None:
    body = build_sync_body([MaileonContact(
        "a&b@example.org", external_id="P<1>",
        standard_fields={"FIRSTNAME": "Jörg & <Sohn>", "TITLE": None},
        custom_fields={"ImportAPI": True, "Off": False, "N": 3, "Skip": None},
    )])
    root = etree.fromstring(body)
    c = root.find("contact")
    assert c.findtext("email") == "a&b@example.org" and c.findtext("external_id") == "P<1>"
    std = {f.findtext("name"): f.findtext("value") for f in c.find("standard_fields")}
    assert std == {"FIRSTNAME": "Jörg & <Sohn>"}
    custom = {f.findtext("name"): f.findtext("value") for f in c.find("custom_fields")}
    assert custom == {"ImportAPI": "true", "Off": "false", "N": "3"}
    assert body.startswith(b"<?xml")


def test_parse_report_with_invalid_contacts() -> None:
    data = b"""<report><success>true</success><count_contacts>3</count_contacts>
      <count_new_contacts>1</count_new_contacts><count_existing_contacts>1</count_existing_contacts>
      <count_unsubscribed_contacts>0</count_unsubscribed_contacts><count_invalid_contacts>1</count_invalid_contacts>
      <invalid_contacts><contact><email>x</email><external_id nil="true"/>
      <error code="19"><error_field>GENDER</error_field></error></contact></invalid_contacts></report>"""
    r = parse_sync_report(data)
    assert r.success and r.count_new_contacts == 1
    [inv] = r.invalid_contacts
    assert (inv.email, inv.external_id, inv.code, inv.field) == ("x", None, 19, "GENDER")


def test_parse_report_without_unsubscribed_counter() -> None:
    data = (b"<report><success>false</success><count_contacts>0</count_contacts><count_new_contacts>0"
            b"</count_new_contacts><count_existing_contacts>0</count_existing_contacts>"
            b"<count_invalid_contacts>0</count_invalid_contacts></report>")
    assert parse_sync_report(data).count_unsubscribed_contacts == 0


@pytest.mark.parametrize("data", [
    b"", b"<report>", b"<report><success>maybe</success></report>",
    b'<!DOCTYPE report SYSTEM "http://evil/x.dtd"><report/>',
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><report>&x;</report>',
])
def test_hostile_or_broken_reports(data: bytes) -> None:
    with pytest.raises(XmlError):
        parse_sync_report(data)


def test_billion_laughs_rejected_fast() -> None:
    lol = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY a{i} "{"&a;" * 10 if i == 0 else f"&a{i - 1};" * 10}">'.encode() for i in range(9)
    ) + b"]><count>&a8;</count>"
    with pytest.raises(XmlError):
        parse_xml(lol)


def test_parse_unsubscriptions_lenient_timestamps() -> None:
    data = b"""<unsubscriptions>
      <unsubscription><timestamp>2024-03-01 10:00:00.0</timestamp><contact><id>5</id>
        <email>a@example.org</email><external_id nil="true"/></contact><mailing_id>9</mailing_id>
        <source>link</source></unsubscription>
      <unsubscription><timestamp>2024-03-02 11:00:00</timestamp><contact><id>6</id></contact>
        <source>reply</source></unsubscription></unsubscriptions>"""
    a, b = parse_unsubscriptions(data)
    assert a.timestamp is not None and a.timestamp.day == 1 and a.mailing_id == 9 and a.external_id is None
    assert b.email is None and b.contact_id == 6 and b.source == "reply"


def test_parse_custom_fields_and_contacts() -> None:
    assert parse_custom_fields(b"<custom_fields><custom_field><name>ImportAPI</name><type>BOOLEAN</type>"
                               b"</custom_field></custom_fields>") == {"ImportAPI": "boolean"}
    [c] = parse_contacts(b"<contacts><contact><id>1</id><email>a@x.de</email><permission>4</permission>"
                         b"<standard_fields><field><name>FIRSTNAME</name><value nil='true'/></field>"
                         b"</standard_fields><custom_fields/></contact></contacts>")
    assert c.id == 1 and c.permission == 4 and c.standard_fields == {"FIRSTNAME": None}


def _lxml_body(contacts: list[MaileonContact]) -> bytes:
    """The reference: the same document built as an lxml tree (how the body was built before)."""
    root = etree.Element("contacts")
    for contact in contacts:
        el = etree.SubElement(root, "contact")
        etree.SubElement(el, "email").text = contact.email
        if contact.external_id is not None:
            etree.SubElement(el, "external_id").text = contact.external_id
        for group_name, values in (("standard_fields", contact.standard_fields),
                                   ("custom_fields", contact.custom_fields)):
            if values:
                group = etree.SubElement(el, group_name)
                for name, value in values.items():
                    if value is None:
                        continue
                    f = etree.SubElement(group, "field")
                    etree.SubElement(f, "name").text = name
                    etree.SubElement(f, "value").text = (
                        "true" if value is True else "false" if value is False else str(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


_values = st.text(max_size=12) | st.sampled_from(["&amp;", "]]>", "a\r\nb", "\t", "<x/>", "\"'", "ä€😀"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_values, st.none() | _values, _values, st.none() | _values | st.booleans()),
                min_size=1, max_size=4))
def test_text_built_body_is_the_document_lxml_builds(rows: list[tuple[str, str | None, str, object]]) -> None:
    contacts = [MaileonContact(email, external_id=eid, standard_fields={"FIRSTNAME": first, "TITLE": None},
                               custom_fields={"Note": note, "ImportAPI": True})  # type: ignore[dict-item]
                for email, eid, first, note in rows]
    try:
        expected = _lxml_body(contacts)
    except ValueError:  # lxml refuses the characters: so must we, with a ValueError
        with pytest.raises(ValueError):
            build_sync_body(contacts)
        return
    body = build_sync_body(contacts)
    assert etree.tostring(etree.fromstring(body)) == etree.tostring(etree.fromstring(expected))


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\ufffe", "\uffff", "\ud800"])
def test_characters_xml_cannot_carry_are_refused_like_lxml_does(char: str) -> None:
    contacts = [MaileonContact("a@b.de", standard_fields={"FIRSTNAME": f"Jo{char}rg"})]
    with pytest.raises(ValueError):
        _lxml_body(contacts)
    with pytest.raises(ValueError):
        build_sync_body(contacts)


def test_a_full_batch_escapes_exactly_the_values_that_need_it_wherever_they_are() -> None:
    """A batch is checked as a whole and only the values with & < > CR are escaped (issue 27): the first, the
    last and every 97th value among a thousand contacts, names included, each land where they belong."""
    contacts = [MaileonContact(f"p{i}@vhs-test.de" if i else "a&b@vhs-test.de", external_id=f"T{i}",
                               standard_fields={"FIRSTNAME": "Ann & Bob" if i % 97 == 0 else f"V{i}", "TITLE": None,
                                                "LASTNAME": "<Müller>\r" if i == 999 else "N"},
                               custom_fields={"ImportAPI": True, "A&B" if i == 500 else "Seg": i % 2 == 0})
                for i in range(1000)]
    body = build_sync_body(contacts)
    assert etree.tostring(etree.fromstring(body)) == etree.tostring(etree.fromstring(_lxml_body(contacts)))
    assert body.count(b"&amp;") == 1 + 11 + 1 and b"&lt;M\xc3\xbcller&gt;&#13;" in body
