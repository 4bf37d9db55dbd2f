"""Async Maileon REST client (httpx). See ``reference/maileon-api.md`` for the facts behind each call."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from .errors import (
    BadRequest,
    Conflict,
    MaileonError,
    MalformedResponse,
    NotFound,
    PermissionDeniedError,
)
from .options import ClientOptions
from .paging import MAX_PAGES, paged, pages_so_far
from .rate import RateController
from .transport import Http
from .xml import (
    ContactFilterInfo,
    MaileonContact,
    RemoteContact,
    SyncReport,
    TargetGroupInfo,
    Unsubscription,
    XmlError,
    build_contact_body,
    build_target_group,
    parse_contact,
    parse_contact_filters,
    parse_contacts,
    parse_count,
    parse_custom_fields,
    parse_id,
    parse_sync_report,
    parse_target_group,
    parse_target_groups,
    parse_unsubscriptions,
)

REPORT_PAGE_SIZE = 1000
LIST_PAGE_SIZE = 100  # contact filters and target groups (PHP's default page size)


class Rights(dict[str, bool]):
    """HTTP method → granted; ``refused``: probes answered with an error that is not about rights."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: dict[str, MaileonError] = {}


def seg(value: str) -> str:
    """One percent-encoded path segment (RFC 3986; ``+``, ``&``, ``/`` and non-ASCII encoded)."""
    return quote(value, safe="")


class MaileonClient:
    """``async with MaileonClient(options) as client: await client.ping()``."""

    def __init__(self, options: ClientOptions, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.options = options
        self._http = Http(options, transport)
        # undocumented behaviour met on the way (key → the path where): the sync layer reports each once a run
        self.observed: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"MaileonClient({self.options!r})"

    async def __aenter__(self) -> MaileonClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def rate(self) -> RateController:
        """The learned request rate, shared by every call of this client."""
        return self._http.rate

    # ------------------------------------------------------------------ helpers

    async def _req(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return await self._http.request(method, path, **kw)

    def _parse(self, fn: Any, resp: httpx.Response, method: str, path: str) -> Any:
        try:
            return fn(resp.content)
        except XmlError as exc:
            raise MalformedResponse(
                "unexpected response body", method=method, path=path, status=resp.status_code,
                detail=self._http.scrub(str(exc))[:300],
            ) from None

    async def _page(self, path: str, params: Mapping[str, Any], parse: Callable[[bytes], list[Any]],
                    page_size: int, index: int) -> tuple[httpx.Response, list[Any]]:
        resp = await self._req("GET", path, params={**params, "page_index": index, "page_size": page_size})
        return resp, self._parse(parse, resp, "GET", path)

    def _paged(self, path: str, params: Mapping[str, Any], parse: Callable[[bytes], list[Any]],
               page_size: int, *, max_pages: int = MAX_PAGES, prefetch: int = 1) -> AsyncIterator[list[Any]]:
        """Every page of ``GET path`` without trusting one header (``paging.paged``)."""
        async def fetch(index: int) -> tuple[httpx.Response, list[Any]]:
            return await self._page(path, params, parse, page_size, index)

        return paged(fetch, path, page_size, max_pages=max_pages, prefetch=prefetch, observed=self.observed)

    # ------------------------------------------------------------------ key and rights

    async def ping(self) -> None:
        await self._req("GET", "/ping")

    async def check_rights(self) -> Rights:
        """Per-method privileges of the key, probed on ``/ping`` (403 → False) [I].

        A probe refused for another reason (400, 404, 415, ...) says nothing about the key's rights: it
        counts as granted and is reported in ``Rights.refused`` instead of stopping the check. Key, network
        and proxy errors still raise: nothing else can be learned then.
        """
        rights = Rights()
        for method in ("GET", "POST", "PUT", "DELETE"):
            try:
                await self._req(method, "/ping")
                rights[method] = True
            except PermissionDeniedError:
                rights[method] = False
            except (BadRequest, NotFound, Conflict) as exc:
                rights[method] = True
                rights.refused[method] = exc
        return rights

    # ------------------------------------------------------------------ custom fields

    async def list_custom_fields(self) -> dict[str, str]:
        resp = await self._req("GET", "/contacts/fields/custom")
        return self._parse(parse_custom_fields, resp, "GET", "/contacts/fields/custom")  # type: ignore[no-any-return]

    async def create_custom_field(self, name: str, type_: str = "boolean") -> None:
        await self._req("POST", f"/contacts/fields/custom/{seg(name)}", params={"type": type_})

    async def ensure_custom_field(self, name: str, type_: str = "boolean", *,
                                  known: Mapping[str, str] | None = None) -> bool:
        """Create the field unless it exists; True when this call created it. ``known``: the field list
        just read by the caller, which saves asking again."""
        if name in (known if known is not None else await self.list_custom_fields()):
            return False
        try:
            await self.create_custom_field(name, type_)
        except Conflict:  # created concurrently; duplicate → 409 is our reading [I]
            return False
        return True

    async def clear_custom_field_values(self, name: str, *, resend: bool = True) -> None:
        """``DELETE …/values``. ``resend=False``: not sent again after a read timeout or a lost connection
        (``outcome_unknown`` on the error): a retried clear that lands late would wipe marks set meanwhile."""
        await self._req("DELETE", f"/contacts/fields/custom/{seg(name)}/values", resend=resend)

    async def delete_custom_field(self, name: str) -> None:
        """``DELETE /contacts/fields/custom/{name}``: the field and its values (a removed segment's)."""
        await self._req("DELETE", f"/contacts/fields/custom/{seg(name)}")

    # ------------------------------------------------------------------ sync

    async def sync_contacts(
        self,
        body: bytes,
        *,
        permission: int | None,
        sync_mode: int = 1,
        ignore_invalid_contacts: bool = True,
        reimport_unsubscribed_contacts: bool = False,
        override_permission: bool = False,
        update_only: bool = False,
        use_external_id: bool = False,
        prefer_maileon_id: bool = False,
    ) -> SyncReport:
        """``POST /contacts``. Every parameter is sent explicitly: server defaults differ between sources.
        ``permission=None`` (not sent): only for updates of existing contacts, which keep theirs."""
        params: dict[str, Any] = {
            "permission": permission,
            "sync_mode": sync_mode,
            "ignore_invalid_contacts": ignore_invalid_contacts,
            "reimport_unsubscribed_contacts": reimport_unsubscribed_contacts,
            "override_permission": override_permission,
            "update_only": update_only,
            "use_external_id": use_external_id,
            "prefer_maileon_id": prefer_maileon_id,
        }
        resp = await self._req("POST", "/contacts", params=params, content=body)
        return self._parse(parse_sync_report, resp, "POST", "/contacts")  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ unsubscribers

    async def unsubscriptions(
        self, from_ms: int, to_ms: int | None = None, page_size: int = REPORT_PAGE_SIZE, *,
        max_pages: int = MAX_PAGES,
    ) -> list[Unsubscription]:
        """All report entries with ``from_ms <= t < to_ms``: every page (see ``_paged``), or an error and none.
        ``exclude_anonymous=false`` is sent as the PHP client always does: the server's default is not documented,
        and anonymised entries are the ones only our KUFER number can still match."""
        params = {"from_date": from_ms, "to_date": to_ms, "exclude_anonymous": False}
        out: list[Unsubscription] = []
        async for page in self._paged("/reports/unsubscriptions", params, parse_unsubscriptions, page_size,
                                      max_pages=max_pages):
            out.extend(page)
            if any(e.anonymous for e in page):
                self.observed.setdefault("report-anonymised", "/reports/unsubscriptions")
        return out

    async def unsubscriptions_count(self, from_ms: int, to_ms: int | None = None) -> int:
        path = "/reports/unsubscriptions/count"
        resp = await self._req("GET", path, params={"from_date": from_ms, "to_date": to_ms})
        return self._parse(parse_count, resp, "GET", path)  # type: ignore[no-any-return]

    async def _unsubscribe(self, path: str) -> bool:
        try:
            await self._req("DELETE", path)
        except NotFound:
            return False  # no such contact: nothing to unsubscribe
        return True

    async def unsubscribe_email(self, email: str) -> bool:
        """True when Maileon had the contact (it is unsubscribed asynchronously), False on 404."""
        return await self._unsubscribe(f"/contacts/email/{seg(email)}/unsubscribe")

    async def unsubscribe_external_id(self, external_id: str) -> bool:
        return await self._unsubscribe(f"/contacts/externalid/{seg(external_id)}/unsubscribe")

    async def has_unsubscription_marker(self, email: str) -> bool:
        """``GET /contacts/email/{e}/unsubscription``: 200 the address carries Maileon's unsubscription marker
        (a sync with ``reimport_unsubscribed_contacts=false`` skips it), 404 it does not [C] DOC."""
        try:
            await self._req("GET", f"/contacts/email/{seg(email)}/unsubscription")
        except NotFound:
            return False
        return True

    # ------------------------------------------------------------------ contacts

    async def contacts_by_external_id(self, external_id: str) -> list[RemoteContact]:
        """``GET /contacts/externalid/{id}``: every contact carrying this external id."""
        path = f"/contacts/externalid/{seg(external_id)}"
        resp = await self._req("GET", path)
        return self._parse(parse_contacts, resp, "GET", "/contacts/externalid")  # type: ignore[no-any-return]

    async def update_contact_by_external_id(self, external_id: str, contact: MaileonContact,
                                            permission: int | None = None) -> None:
        """``PUT /contacts/externalid/{id}`` (PHP ``updateContactByExternalId``): the contact with this
        external id takes the body's e-mail and fields. 409 (raised as Conflict): several contacts carry
        the id, or [I] the new address is another contact's; 404: nobody has it."""
        await self._req("PUT", f"/contacts/externalid/{seg(external_id)}", params={"permission": permission},
                        content=build_contact_body(contact))

    async def delete_contacts_by_external_id(self, external_id: str) -> bool:
        """``DELETE /contacts/externalid/{id}`` (PHP ``deleteContactsByExternalId``): removes every contact
        carrying the id, completely (data and statistics). False on 404 (nobody has it); whether Maileon
        answers 404 or 200 then is undocumented, so callers look the id up before and after."""
        try:
            await self._req("DELETE", f"/contacts/externalid/{seg(external_id)}")
        except NotFound:
            return False
        return True

    async def contact_by_email(self, email: str) -> RemoteContact | None:
        """``GET /contacts/email/{email}``: the contact with this address, None on 404."""
        path = f"/contacts/email/{seg(email)}"
        try:
            resp = await self._req("GET", path)
        except NotFound:
            return None
        return self._parse(parse_contact, resp, "GET", "/contacts/email")  # type: ignore[no-any-return]

    async def update_contact_by_email(self, email: str, contact: MaileonContact) -> None:
        """``PUT /contacts/email/{email}`` (PHP ``updateContactByEmail``, "the (old) email address"): the contact
        with this address takes the body's e-mail and fields. Sent without a permission (a given one would be
        overwritten) and without an external id (the documentation warns against setting it here); 404 nobody
        has the address; 409 (raised as Conflict) [I] the new address is another contact's."""
        body = build_contact_body(MaileonContact(contact.email, None, contact.standard_fields, contact.custom_fields))
        await self._req("PUT", f"/contacts/email/{seg(email)}", content=body)

    async def contact_count(self) -> int:
        resp = await self._req("GET", "/contacts/count")
        return self._parse(parse_count, resp, "GET", "/contacts/count")  # type: ignore[no-any-return]

    async def get_contacts_page(
        self,
        page_index: int,
        page_size: int = 1000,
        standard_fields: tuple[str, ...] | list[str] = (),
        custom_fields: tuple[str, ...] | list[str] = (),
    ) -> tuple[list[RemoteContact], int]:
        params = {"page_index": page_index, "page_size": page_size,
                  "standard_field": list(standard_fields), "custom_field": list(custom_fields)}
        resp = await self._req("GET", "/contacts", params=params)
        contacts: list[RemoteContact] = self._parse(parse_contacts, resp, "GET", "/contacts")
        return contacts, pages_so_far(resp, "/contacts", page_index, page_size, len(contacts), self.observed)

    async def contact_pages(self, custom_fields: tuple[str, ...] | list[str] = (), *,
                            page_size: int = 1000) -> AsyncIterator[list[RemoteContact]]:
        """Every contact of the account, page by page, with the given custom fields (``GET /contacts``, paged
        without trusting ``X-Pages``, ``max_in_flight`` pages at a time; the bound is the account's own count,
        plus room for contacts created while it pages)."""
        params = {"custom_field": list(custom_fields)}
        # the first page is asked for beside the count (every read needs it): one round trip less per read
        first = asyncio.ensure_future(self._page("/contacts", params, parse_contacts, page_size, 1))
        try:
            total = await self.contact_count()
        except BaseException:
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
            raise
        bound = min(MAX_PAGES * 10, total // page_size + 3)
        prefetch = min(max(1, self.options.max_in_flight), total // page_size + 1)
        async for page in paged(lambda index: self._page("/contacts", params, parse_contacts, page_size, index),
                                "/contacts", page_size, max_pages=bound, prefetch=prefetch, observed=self.observed,
                                asked={1: first}):
            yield page

    # ------------------------------------------------------------------ filters and target groups

    async def create_contact_filter(
        self, name: str, field_name: str, value: str = "true", create_target_group: bool = True
    ) -> tuple[int, int | None]:
        """Filter ``field_name == value`` via ``POST /contactfilters/v2``; target group id None if not made.

        [I] startset "empty" + "add" with a contactfield/equals criterion, value as the string "true".
        """
        body = {
            "name": name,
            "rules": [{
                "startset": "empty",
                "operation": "add",
                "selection": {
                    "selection_base": "contactfield",
                    "criterion": {"field_name": field_name, "operation": "equals", "value": value},
                },
            }],
        }
        path = "/contactfilters/v2"
        resp = await self._req("POST", path, params={"createTargetGroup": create_target_group},
                               json_body=body, json_api=True)
        try:
            data = resp.json()
            filter_id = int(data["contact_filter_id"])
            tg = int(data.get("target_group_id", -1))
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedResponse("unexpected contact filter response", method="POST", path=path,
                                    status=resp.status_code, detail=type(exc).__name__) from None
        return filter_id, (tg if tg >= 0 else None)

    async def get_target_group(self, target_group_id: int) -> TargetGroupInfo:
        """``GET /targetgroups/targetgroup/{id}``: name and contact counts (all / able to receive mail)."""
        path = f"/targetgroups/targetgroup/{target_group_id}"
        resp = await self._req("GET", path)
        return self._parse(parse_target_group, resp, "GET", "/targetgroups/targetgroup")  # type: ignore[no-any-return]

    async def delete_target_group(self, target_group_id: int) -> None:
        await self._req("DELETE", f"/targetgroups/targetgroup/{target_group_id}")

    async def delete_contact_filter(self, filter_id: int) -> None:
        await self._req("DELETE", f"/contactfilters/contactfilter/{filter_id}")

    async def create_target_group(self, name: str, filter_id: int) -> int:
        resp = await self._req("POST", "/targetgroups", content=build_target_group(name, filter_id))
        return self._parse(parse_id, resp, "POST", "/targetgroups")  # type: ignore[no-any-return]

    async def contact_filters(self) -> list[ContactFilterInfo]:
        """``GET /contactfilters``, every page: to find a filter by name before creating one."""
        out: list[ContactFilterInfo] = []
        async for page in self._paged("/contactfilters", {}, parse_contact_filters, LIST_PAGE_SIZE):
            out.extend(page)
        return out

    async def contact_filter_count(self) -> int:
        """``GET /contactfilters/count`` (PHP ``getContactFiltersCount``): against the account's cap."""
        resp = await self._req("GET", "/contactfilters/count")
        return self._parse(parse_count, resp, "GET", "/contactfilters/count")  # type: ignore[no-any-return]

    async def refresh_contact_filter(self, filter_id: int) -> None:
        """``GET /contactfilters/contactfilter/{id}/refresh`` without ``time`` (PHP
        ``refreshContactFilterContacts``: then the refresh is always done): the filter's contacts are
        evaluated again, so counts read afterwards are not the state of its last evaluation."""
        await self._req("GET", f"/contactfilters/contactfilter/{filter_id}/refresh")

    async def count_contacts_by_filter(self, filter_id: int) -> int:
        """``GET /contacts/filter/{id}/count`` (PHP ``getCountContactsByFilterId``): the filter's contacts as of
        its last evaluation (refresh it first)."""
        path = f"/contacts/filter/{filter_id}/count"
        resp = await self._req("GET", path)
        return self._parse(parse_count, resp, "GET", "/contacts/filter/count")  # type: ignore[no-any-return]

    async def target_groups(self) -> list[TargetGroupInfo]:
        """``GET /targetgroups``, every page: to find a group by name before creating one."""
        out: list[TargetGroupInfo] = []
        async for page in self._paged("/targetgroups", {}, parse_target_groups, LIST_PAGE_SIZE):
            out.extend(page)
        return out


__all__ = ["MaileonClient", "MaileonError", "Rights", "seg"]
