"""The calls only `kufertui doctor --probe` needs: answers read whatever their status, a call without a media type,
the unsubscription marker set and removed, a contact read with its custom fields, and report entries in the shape
Maileon sent them (which attribute, which e-mail element), not as the sync layer reads them.

Kept apart from ``client.py``: the sync never sends any of these (an update whose body carries an external id, a
bodiless write without ``Content-Type``), and the probe must see statuses the client turns into errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from .client import LIST_PAGE_SIZE, MaileonClient, seg
from .paging import MAX_PAGES
from .transport import XML_TYPE, QueryValue
from .xml import (
    ContactFilterInfo,
    MaileonContact,
    RemoteContact,
    TargetGroupInfo,
    XmlError,
    build_contact_body,
    build_target_group,
    parse_contact,
    parse_contact_filters,
    parse_contacts,
    parse_count,
    parse_id,
    parse_target_groups,
    parse_xml,
)

# every answer below 500 comes back to the probe as it is, except those that say the key, the proxy or the pace
# is the problem (raised as usual: nothing can be learned about Maileon then)
ANSWERED = tuple(s for s in range(200, 500) if s not in (401, 403, 407, 429))


@dataclass(frozen=True, slots=True)
class EntryShape:
    """One unsubscription report entry as sent: whether it is flagged anonymous and what its e-mail looks like
    (``missing`` no element, ``nil``, ``empty``, ``not-an-address`` no ``@``, ``address``)."""

    contact_id: str | None
    external_id: str | None
    flagged: bool
    email_shape: str
    email: str | None


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "1")


def _nil(el: Any) -> bool:
    return any(_flag(v) for k, v in el.attrib.items() if str(k).endswith("nil"))


def parse_entry_shapes(data: bytes) -> list[EntryShape]:
    """The entries of a ``GET /reports/unsubscriptions`` answer, each in the shape Maileon sent."""
    root = parse_xml(data)
    if root.tag != "unsubscriptions":
        raise XmlError(f"expected <unsubscriptions>, got <{root.tag}>")
    out: list[EntryShape] = []
    for entry in root.iterfind("unsubscription"):
        contact = entry.find("contact")
        if contact is None:
            out.append(EntryShape(None, None, False, "missing", None))
            continue
        flagged = _flag(contact.get("anonymous")) or _flag(contact.findtext("anonymous"))
        email_el = contact.find("email")
        email = (email_el.text or "").strip() if email_el is not None else None
        if email_el is None:
            shape = "missing"
        elif _nil(email_el):
            shape, email = "nil", None
        elif not email:
            shape = "empty"
        elif "@" not in email:
            shape = "not-an-address"
        else:
            shape = "address"
        eid_el = contact.find("external_id")
        external_id = None if eid_el is None or _nil(eid_el) else (eid_el.text or "").strip() or None
        out.append(EntryShape((contact.findtext("id") or "").strip() or None, external_id, flagged, shape, email))
    return out


class ProbeClient(MaileonClient):
    """A MaileonClient with the probe's calls; ``largest_answer``: the biggest body it received (bytes)."""

    largest_answer: int = 0

    async def _req(self, method: str, path: str, **kw: Any) -> httpx.Response:
        resp = await super()._req(method, path, **kw)
        self.largest_answer = max(self.largest_answer, len(resp.content))
        return resp

    async def answer(self, method: str, path: str, *, params: Mapping[str, QueryValue | None] | None = None,
                     content: bytes | None = None, json_body: Any = None, json_api: bool = False
                     ) -> httpx.Response:
        """The answer to one call whatever its status below 500 (with the media type, paced and retried as
        every call of the client); a refused key, proxy or pace and a 5xx raise as usual."""
        return await self._req(method, path, params=params, content=content, json_body=json_body,
                               json_api=json_api, ok=ANSWERED)

    async def status_without_media_type(self, method: str, path: str) -> int:
        """One bodiless call sent without ``Content-Type`` (only ``Accept``): what a strict server refuses. Sent
        once, not retried; the status is all the probe wants."""
        http = self._http
        try:
            resp = await http._send(method, path, [], None, None, {"Accept": XML_TYPE})
        except httpx.HTTPError as exc:
            raise http.map_exception(exc, method, path) from exc
        return resp.status_code

    async def set_marker(self, email: str) -> int:
        """``PUT /contacts/email/{e}/unsubscription``: an unsubscription marker on an address (201 new, 200 there)."""
        return (await self.answer("PUT", f"/contacts/email/{seg(email)}/unsubscription")).status_code

    async def delete_marker(self, email: str) -> int:
        """``DELETE /contacts/email/{e}/unsubscription`` (200 removed, 404 none)."""
        return (await self.answer("DELETE", f"/contacts/email/{seg(email)}/unsubscription")).status_code

    async def marker_status(self, email: str) -> int:
        return (await self.answer("GET", f"/contacts/email/{seg(email)}/unsubscription")).status_code

    async def contact_with_fields(self, email: str, custom_fields: Sequence[str] = ()) -> RemoteContact | None:
        """``GET /contacts/email/{e}`` with the named custom fields; None on 404."""
        path = f"/contacts/email/{seg(email)}"
        resp = await self.answer("GET", path, params={"custom_field": list(custom_fields)})
        if resp.status_code == 404:
            return None
        if resp.status_code != 200:
            raise self._http.map_status(resp, "GET", "/contacts/email")
        return self._parse(parse_contact, resp, "GET", "/contacts/email")  # type: ignore[no-any-return]

    async def update_by_email_as_given(self, email: str, contact: MaileonContact) -> httpx.Response:
        """``PUT /contacts/email/{e}`` with the body as given (its external id too) and no permission."""
        return await self.answer("PUT", f"/contacts/email/{seg(email)}", content=build_contact_body(contact))

    async def report_count(self, params: Mapping[str, QueryValue | None]) -> int:
        """``GET /reports/unsubscriptions/count`` with exactly these parameters."""
        path = "/reports/unsubscriptions/count"
        resp = await self._req("GET", path, params=params)
        return self._parse(parse_count, resp, "GET", path)  # type: ignore[no-any-return]

    async def contacts_page_as_sent(self, page_index: int, page_size: int, custom_fields: Sequence[str]
                                    ) -> list[RemoteContact]:
        """One page of ``GET /contacts`` with these custom fields, its headers not judged (the probe pages by
        hand: ``X-Pages`` is what R1 looks at, not what this read may trust)."""
        resp = await self._req("GET", "/contacts", params={"page_index": page_index, "page_size": page_size,
                                                           "custom_field": list(custom_fields)})
        return self._parse(parse_contacts, resp, "GET", "/contacts")  # type: ignore[no-any-return]

    async def _every_page_as_sent(self, path: str, parse: Callable[[bytes], list[Any]]) -> list[Any]:
        """Every page of a list, until a short one, whatever ``X-Pages`` says (R1 judges that header, and the
        probe must find its own filters and groups to delete them even where the header is wrong)."""
        out: list[Any] = []
        for index in range(1, MAX_PAGES + 1):
            resp = await self._req("GET", path, params={"page_index": index, "page_size": LIST_PAGE_SIZE})
            page = self._parse(parse, resp, "GET", path)
            out.extend(page)
            if len(page) < LIST_PAGE_SIZE:
                break
        return out

    async def filters_as_sent(self) -> list[ContactFilterInfo]:
        return await self._every_page_as_sent("/contactfilters", parse_contact_filters)

    async def groups_as_sent(self) -> list[TargetGroupInfo]:
        return await self._every_page_as_sent("/targetgroups", parse_target_groups)

    async def create_group_answer(self, name: str, filter_id: int) -> tuple[int, int | None]:
        """``POST /targetgroups``: (status, the new group's id when it was made)."""
        resp = await self.answer("POST", "/targetgroups", content=build_target_group(name, filter_id))
        made = self._parse(parse_id, resp, "POST", "/targetgroups") if 200 <= resp.status_code < 300 else None
        return resp.status_code, made

    async def create_filter_answer(self, name: str, field_name: str, *, create_target_group: bool
                                   ) -> httpx.Response:
        """``POST /contactfilters/v2`` with the rule "``field_name`` equals true", as the client sends it."""
        body = {"name": name, "rules": [{"startset": "empty", "operation": "add", "selection": {
            "selection_base": "contactfield",
            "criterion": {"field_name": field_name, "operation": "equals", "value": "true"}}}]}
        return await self.answer("POST", "/contactfilters/v2", params={"createTargetGroup": create_target_group},
                                 json_body=body, json_api=True)

    async def report_shapes(self, params: Mapping[str, QueryValue | None]) -> tuple[httpx.Response, list[EntryShape]]:
        """One page of ``GET /reports/unsubscriptions`` with exactly these parameters, entries as sent."""
        path = "/reports/unsubscriptions"
        resp = await self._req("GET", path, params=params)
        return resp, self._parse(parse_entry_shapes, resp, "GET", path)


__all__ = ["ANSWERED", "EntryShape", "ProbeClient", "parse_entry_shapes"]
