"""Maileon XML: parse responses; the bodies we send are built in xml_body.py (served here as well).

Parsing is hardened: no entity resolution, no network, no DTD loading, no huge trees, and any
document that carries a DOCTYPE is rejected outright. Parse functions raise :class:`XmlError`;
the client turns it into ``MalformedResponse`` with method and path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from kufertui.maileon.xml_body import MaileonContact as MaileonContact
from kufertui.maileon.xml_body import build_contact_body as build_contact_body
from kufertui.maileon.xml_body import build_sync_body as build_sync_body
from kufertui.maileon.xml_body import build_target_group as build_target_group


class XmlError(ValueError):
    """Body is not well-formed, has a DOCTYPE, or lacks required elements."""


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=True
)


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse untrusted XML safely; reject DOCTYPEs."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        raise XmlError("empty body")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"not well-formed XML: {exc.msg}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlError("documents with a DOCTYPE are not accepted")
    return root


# ---------------------------------------------------------------------------------------- parse


@dataclass(slots=True)
class InvalidContact:
    email: str | None
    external_id: str | None
    code: int
    field: str | None


@dataclass(slots=True)
class SyncReport:
    success: bool
    count_contacts: int
    count_new_contacts: int
    count_existing_contacts: int
    count_unsubscribed_contacts: int
    count_invalid_contacts: int
    invalid_contacts: list[InvalidContact] = field(default_factory=list)


@dataclass(slots=True)
class Unsubscription:
    timestamp: datetime | None  # report timestamps carry no zone [U]; kept naive as sent
    timestamp_raw: str
    email: str | None
    contact_id: int | None
    external_id: str | None
    mailing_id: int | None
    source: str | None
    # Maileon anonymised the contact (attribute or element ``anonymous``, or no usable address): ``email`` is
    # None then, whatever the entry carried (no element, nil, empty or a placeholder address)
    anonymous: bool = False


@dataclass(slots=True)
class RemoteContact:
    id: int | None
    email: str | None
    external_id: str | None
    permission: int | None
    created: str | None
    updated: str | None
    standard_fields: dict[str, str | None] = field(default_factory=dict)
    custom_fields: dict[str, str | None] = field(default_factory=dict)


def _value(el: etree._Element | None) -> str | None:
    """Text of an element; None when absent or ``nil="true"``."""
    if el is None or el.get("nil") == "true":
        return None
    return el.text or ""


def _child(el: etree._Element, tag: str) -> str | None:
    return _value(el.find(tag))


def _int(text: str | None, what: str, *, required: bool = True) -> int | None:
    if text is None or not text.strip():
        if required:
            raise XmlError(f"missing {what}")
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise XmlError(f"{what} is not an integer: {text[:40]!r}") from None


def _bool(text: str | None, what: str) -> bool:
    if text is None:
        raise XmlError(f"missing {what}")
    t = text.strip().lower()
    if t in ("true", "1"):
        return True
    if t in ("false", "0"):
        return False
    raise XmlError(f"{what} is not a boolean: {text[:40]!r}")


def _expect_root(root: etree._Element, tag: str) -> None:
    if root.tag != tag:
        raise XmlError(f"expected <{tag}>, got <{root.tag}>")


def parse_sync_report(data: bytes) -> SyncReport:
    root = parse_xml(data)
    _expect_root(root, "report")
    invalid: list[InvalidContact] = []
    group = root.find("invalid_contacts")
    if group is not None:
        for c in group.iterfind("contact"):
            err = c.find("error")
            if err is None:
                raise XmlError("invalid contact without <error>")
            code = _int(err.get("code"), "error code")
            invalid.append(InvalidContact(
                email=_child(c, "email"), external_id=_child(c, "external_id"),
                code=code or 0, field=_child(err, "error_field"),
            ))

    def count(tag: str, required: bool = True) -> int:
        return _int(_child(root, tag), tag, required=required) or 0

    return SyncReport(
        success=_bool(_child(root, "success"), "success"),
        count_contacts=count("count_contacts"),
        count_new_contacts=count("count_new_contacts"),
        count_existing_contacts=count("count_existing_contacts"),
        # absent from the 2020 .NET model: tolerate its absence [C-client]
        count_unsubscribed_contacts=count("count_unsubscribed_contacts", required=False),
        count_invalid_contacts=count("count_invalid_contacts"),
        invalid_contacts=invalid,
    )


def parse_timestamp(text: str) -> datetime | None:
    """Lenient: ``yyyy-mm-dd hh:mm:ss`` with or without a ``.0`` fraction, or a date only."""
    t = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(t, fmt)
        except ValueError:
            continue
    return None


def parse_unsubscriptions(data: bytes) -> list[Unsubscription]:
    root = parse_xml(data)
    _expect_root(root, "unsubscriptions")
    out: list[Unsubscription] = []
    for u in root.iterfind("unsubscription"):
        raw = _child(u, "timestamp") or ""
        contact = u.find("contact")
        email = external_id = None
        contact_id = None
        anonymous = True  # an entry without a contact has no address either
        if contact is not None:
            email, anonymous = _report_email(contact)
            external_id = _child(contact, "external_id")
            contact_id = _int(_child(contact, "id"), "contact id", required=False)
        out.append(Unsubscription(
            timestamp=parse_timestamp(raw) if raw else None, timestamp_raw=raw, email=email,
            contact_id=contact_id, external_id=external_id,
            mailing_id=_int(_child(u, "mailing_id"), "mailing_id", required=False),
            source=_child(u, "source"), anonymous=anonymous,
        ))
    return out


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1")


def _report_email(contact: etree._Element) -> tuple[str | None, bool]:
    """(address, anonymised) of a report entry's contact. Maileon marks an anonymised contact with the attribute
    ``anonymous`` (Java ``ContactAdaptor``; PHP ``Contact::fromXML`` also reads an element of that name); what
    its ``email`` then holds is undocumented: none, nil, empty or a placeholder. None of them is an address:
    with the flag, or without an ``@``, the entry counts as anonymised and carries no e-mail."""
    email = _child(contact, "email")
    email = email.strip() if email is not None else None
    if _flag(contact.get("anonymous")) or _flag(contact.findtext("anonymous")) or not email or "@" not in email:
        return None, True
    return email, False


def parse_custom_fields(data: bytes) -> dict[str, str]:
    root = parse_xml(data)
    _expect_root(root, "custom_fields")
    result: dict[str, str] = {}
    for f in root:  # `custom_field` per JAVA/NET; PHP reads any child [C-client]
        name = _child(f, "name")
        if not name:
            raise XmlError("custom field without name")
        result[name] = (_child(f, "type") or "string").lower()
    return result


def parse_count(data: bytes) -> int:
    root = parse_xml(data)
    _expect_root(root, "count")
    return _int(root.text, "count") or 0


@dataclass(slots=True)
class TargetGroupInfo:
    id: int
    name: str
    count_contacts: int | None  # None: Maileon has not counted the group yet (empty element)
    count_active_contacts: int | None
    contact_filter_id: int | None = None


NAME_MAX_SHOWN = 200  # a name from Maileon is kept to this many characters (it is shown and compared only)


def _target_group(root: etree._Element) -> TargetGroupInfo:
    # a group just created may come back before Maileon has counted it: empty or absent counts [I]
    return TargetGroupInfo(_int(root.findtext("id"), "id") or 0, (root.findtext("name") or "")[:NAME_MAX_SHOWN],
                           _int(root.findtext("count_contacts"), "count_contacts", required=False),
                           _int(root.findtext("count_active_contacts"), "count_active_contacts", required=False),
                           _int(root.findtext("contact_filter_id"), "contact_filter_id", required=False))


def parse_target_group(data: bytes) -> TargetGroupInfo:
    root = parse_xml(data)
    _expect_root(root, "targetgroup")
    return _target_group(root)


def parse_target_groups(data: bytes) -> list[TargetGroupInfo]:
    """``GET /targetgroups``: ``targetgroups > targetgroup`` (PHP ``XMLDeserializer``, ``TargetGroup::fromXML``)."""
    root = parse_xml(data)
    _expect_root(root, "targetgroups")
    return [_target_group(g) for g in root.iterfind("targetgroup")]


@dataclass(slots=True)
class ContactFilterInfo:
    id: int
    name: str
    count_contacts: int | None = None
    state: str | None = None


def parse_contact_filters(data: bytes) -> list[ContactFilterInfo]:
    """``GET /contactfilters``: ``contactfilters > contactfilter`` (id, name, state, count_contacts; DOC
    get-contactfilters, PHP ``ContactFilter::fromXML``)."""
    root = parse_xml(data)
    _expect_root(root, "contactfilters")
    return [ContactFilterInfo(_int(f.findtext("id"), "id") or 0, (f.findtext("name") or "")[:NAME_MAX_SHOWN],
                              _int(f.findtext("count_contacts"), "count_contacts", required=False),
                              (f.findtext("state") or None))
            for f in root.iterfind("contactfilter")]


def parse_id(data: bytes) -> int:
    root = parse_xml(data)
    _expect_root(root, "id")
    return _int(root.text, "id") or 0


def _fields(group: etree._Element | None) -> dict[str, str | None]:
    if group is None:
        return {}
    out: dict[str, str | None] = {}
    for f in group.iterfind("field"):
        name = _child(f, "name")
        if name:
            out[name] = _value(f.find("value"))
    return out


def _contact(c: etree._Element) -> RemoteContact:
    return RemoteContact(
        id=_int(_child(c, "id"), "id", required=False), email=_child(c, "email"),
        external_id=_child(c, "external_id"),
        permission=_int(_child(c, "permission"), "permission", required=False),
        created=_child(c, "created"), updated=_child(c, "updated"),
        standard_fields=_fields(c.find("standard_fields")), custom_fields=_fields(c.find("custom_fields")),
    )


def parse_contacts(data: bytes) -> list[RemoteContact]:
    root = parse_xml(data)
    _expect_root(root, "contacts")
    return [_contact(c) for c in root.iterfind("contact")]


def parse_contact(data: bytes) -> RemoteContact:
    root = parse_xml(data)
    _expect_root(root, "contact")
    return _contact(root)


def parse_error_message(data: bytes) -> str:
    """``<error><message>`` (or a bare ``<message>``); empty when the body is something else."""
    try:
        root = parse_xml(data)
    except XmlError:
        return ""
    if root.tag == "message":
        return (root.text or "").strip()
    if root.tag == "error":
        return (root.findtext("message") or "").strip()
    if root.tag == "report":
        return f"sync rejected: success={root.findtext('success')}, " \
               f"count_invalid_contacts={root.findtext('count_invalid_contacts')}"
    return ""
