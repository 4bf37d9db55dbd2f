"""Maileon XML, the bodies we send: the sync body (escaped text, held to lxml's output by a test), a single
contact, a target group. Parsing the answers: kufertui/maileon/xml.py (which also serves these names)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree


@dataclass(slots=True)
class MaileonContact:
    """One contact as it goes into a sync body."""

    email: str
    external_id: str | None = None
    standard_fields: dict[str, str | None] = field(default_factory=dict)
    custom_fields: dict[str, str | bool | int | None] = field(default_factory=dict)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# characters XML 1.0 cannot carry (lxml refuses them too); surrogates fail the UTF-8 encoding
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# what a value must not carry as it is: escaped (& < > CR) or refused (the characters above)
_NEEDS_CARE = re.compile("[&<>\r\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # NUL: see build_sync_body
_HEAD = "<?xml version='1.0' encoding='UTF-8'?>\n<contacts>"


def _text(value: str | bool | int | float) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = value if isinstance(value, str) else str(value)
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


@lru_cache(maxsize=1024)
def _field_start(name: str) -> str:
    """``<field><name>NAME</name><value>``, the name checked and escaped as a value is. Field names are few (the
    mapping's), so each is checked once here instead of once per contact."""
    text = name if name.__class__ is str else _text(name)
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(f"character U+{ord(bad.group()):04X} cannot be sent in XML")
    return "<field><name>" + text.translate(_ESCAPES) + "</name><value>"


def build_sync_body(contacts: Sequence[MaileonContact]) -> bytes:
    """``contacts > contact > {email, external_id?, standard_fields, custom_fields}``; None is omitted.

    Written as text, because lxml's tree building was a third of the client's CPU per batch; a property
    test holds it to the same document lxml would write. The document is built as markup and values in turn
    (``parts[1::2]`` are the values; field names are part of the markup, checked once each by
    ``_field_start``), so that all values of a batch are checked with one search, and only those that need it
    are escaped (a call per value was half the cost of a batch).
    Raises ValueError for a character XML cannot carry, as lxml does.
    """
    parts: list[str] = []  # markup, value, markup, value, …, markup
    add = parts.append
    field_start = _field_start

    def group(markup: str, fields: Mapping[str, object], opening: str, closing: str) -> str:
        markup += opening
        for name, value in fields.items():
            if value is not None:
                add(markup + field_start(name))
                add(value if value.__class__ is str else _text(value))  # type: ignore[arg-type]
                markup = "</value></field>"
        return markup + closing

    markup = _HEAD
    for contact in contacts:
        add(markup + "<contact><email>")
        email, external_id = contact.email, contact.external_id
        add(email if email.__class__ is str else _text(email))
        if external_id is not None:
            add("</email><external_id>")
            add(external_id if external_id.__class__ is str else _text(external_id))
            markup = "</external_id>"
        else:
            markup = "</email>"
        if contact.standard_fields:
            markup = group(markup, contact.standard_fields, "<standard_fields>", "</standard_fields>")
        if contact.custom_fields:
            markup = group(markup, contact.custom_fields, "<custom_fields>", "</custom_fields>")
        markup += "</contact>"
    add(markup + "</contacts>")
    # one look at all values of the batch: NUL (no XML character) separates them, anything else XML cannot carry
    # is refused, and the few values with & < > CR (a company's "&") are escaped one by one
    values = parts[1::2]
    separated = "\0".join(values)
    if values and separated.count("\0") != len(values) - 1:
        raise ValueError("character U+0000 cannot be sent in XML")
    index = position = 0
    for found in _NEEDS_CARE.finditer(separated):
        if _NOT_XML.match(found.group()):
            raise ValueError(f"character U+{ord(found.group()):04X} cannot be sent in XML")
        index += separated.count("\0", position, found.start())  # the value it is in
        position = found.start()
        parts[2 * index + 1] = values[index].translate(_ESCAPES)
    return "".join(parts).encode("utf-8")


def build_contact_body(contact: MaileonContact) -> bytes:
    """One ``contact`` as the body of a single-contact call (same escaping as the sync body)."""
    document = build_sync_body([contact]).decode("utf-8")
    return document.replace("<contacts>", "", 1).removesuffix("</contacts>").encode("utf-8")


def build_target_group(name: str, filter_id: int, type_: str = "regular") -> bytes:
    root = etree.Element("targetgroup")
    etree.SubElement(root, "name").text = name
    etree.SubElement(root, "type").text = type_
    etree.SubElement(root, "contact_filter_id").text = str(filter_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
