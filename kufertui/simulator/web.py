"""Response and request helpers shared by the simulator's route modules."""

from __future__ import annotations

import math
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .state import SimContact, SimState, fmt_ts

XML_MEDIA = "application/vnd.maileon.api+xml"
MAX_PAGE_SIZE = 1000


class ApiError(Exception):
    """Raised by handlers; turned into an XML (or JSON) error response."""

    def __init__(self, status: int, message: str, *, json: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.json = json


def sim(request: Request) -> SimState:
    return request.app.state.sim  # type: ignore[no-any-return]


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def xml_response(
    body: bytes | etree._Element, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    data = body if isinstance(body, bytes) else xml_bytes(body)
    return Response(data, status_code=status, media_type=XML_MEDIA, headers=headers)


def error_response(status: int, message: str) -> Response:
    root = etree.Element("error")
    etree.SubElement(root, "message").text = message
    return xml_response(root, status)


def api_error_response(exc: ApiError) -> Response:
    if exc.json:
        return JSONResponse({"message": exc.message}, status_code=exc.status)
    return error_response(exc.status, exc.message)


def text_element(tag: str, text: str) -> etree._Element:
    el = etree.Element(tag)
    el.text = text
    return el


def qbool(request: Request, name: str, default: bool) -> bool:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    low = raw.lower()
    if low in ("true", "false"):
        return low == "true"
    raise ApiError(400, f"parameter {name} must be true or false but was {raw[:20]}")


def qint(
    request: Request, name: str, default: int | None, lo: int | None = None, hi: int | None = None
) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"parameter {name} must be a number but was {raw[:20]}") from None
    if lo is not None and value < lo:
        raise ApiError(400, f"{name} must be at least {lo} but was {value}")
    if hi is not None and value > hi:
        raise ApiError(400, f"{name} must not exceed {hi} but was {value}")
    return value


def require_media(request: Request, media: str, *, json: bool = False) -> None:
    """415 on a wrong Content-Type for a body-carrying request [I: status not documented]."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != media:
        raise ApiError(415, f"unsupported media type {ctype or '(none)'}, expected {media}", json=json)


def paging(request: Request, items: int, default_size: int = 100) -> tuple[int, int, dict[str, Any]]:
    """Validate page_index/page_size; return (offset, size, extra headers incl. Link list)."""
    index = qint(request, "page_index", 1, lo=1) or 1
    size = qint(request, "page_size", default_size, lo=1, hi=MAX_PAGE_SIZE) or default_size
    pages = math.ceil(items / size)
    links: list[str] = []

    def link(page: int, rel: str) -> None:
        url = request.url.include_query_params(page_index=page, page_size=size)
        links.append(f'<{url}>; rel="{rel}"')

    link(1, "start")
    if index > 1:
        link(index - 1, "prev")
    if index < pages:
        link(index + 1, "next")
    return (index - 1) * size, size, {"X-Pages": str(pages), "X-Items": str(items), "Link": links}


def paged_response(root: etree._Element, headers: dict[str, Any]) -> Response:
    links = headers.pop("Link", [])
    resp = xml_response(root, 200, headers)
    for value in links:
        resp.raw_headers.append((b"link", value.encode("latin-1", "replace")))
    return resp


def contact_element(
    c: SimContact, standard: list[str] | None = None, custom: list[str] | None = None
) -> etree._Element:
    """Contact XML as in GET /contacts: unset standard fields nil, unset custom fields omitted."""
    sub = etree.SubElement
    el = etree.Element("contact")
    sub(el, "id").text = str(c.id)
    email = sub(el, "email")
    if c.email is None:
        email.set("nil", "true")
    else:
        email.text = c.email
    sub(el, "permission").text = str(c.permission)
    eid = sub(el, "external_id")
    if c.external_id is None:
        eid.set("nil", "true")
    else:
        eid.text = c.external_id
    sub(el, "created").text = fmt_ts(c.created_ms, fraction=True)
    sub(el, "updated").text = fmt_ts(c.updated_ms, fraction=True)
    sf = sub(el, "standard_fields")
    for name in (standard if standard is not None else sorted(c.standard)):
        f = sub(sf, "field")
        sub(f, "name").text = name
        value = sub(f, "value")
        if name in c.standard:
            value.text = c.standard[name]
        else:
            value.set("nil", "true")
    cf = sub(el, "custom_fields")
    for name in (custom if custom is not None else sorted(c.custom)):
        if name in c.custom:
            f = sub(cf, "field")
            sub(f, "name").text = name
            sub(f, "value").text = c.custom[name]
    return el
