"""Paged reads that trust no single header (docs/maileon-assumptions.md, R1 and R10).

Maileon documents ``X-Pages`` (DOC pagination) but nothing says it is always sent or right. A read pages on
until a page comes back shorter than its size; ``X-Pages``, when sent, must agree with the pages, and no read
goes past a bound: a contradiction is a ProtocolError naming the page, and the header is echoed escaped and
cut short (it is the server's text). A missing header is noted in ``observed`` (said once a run).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx

from .errors import ProtocolError
from .transport import shown_header

# Paged reads stop with a protocol error beyond this many pages (a million report entries or contacts at
# 1000 a page): an ``X-Pages`` of 100000000, or a server that never sends a short page, ends there.
MAX_PAGES = 1000

Fetch = Callable[[int], Awaitable[tuple[httpx.Response, list[Any]]]]


def declared_pages(resp: httpx.Response, path: str) -> int | None:
    """``X-Pages`` as a number, None when absent; a value that is no count is a protocol error."""
    raw = resp.headers.get("X-Pages")
    if raw is None:
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise ProtocolError("bad X-Pages header", method="GET", path=path, status=resp.status_code,
                            detail=f"X-Pages: {shown_header(raw)}")
    return int(text)


async def paged(fetch: Fetch, path: str, page_size: int, *, max_pages: int = MAX_PAGES, prefetch: int = 1,
                observed: dict[str, str],
                asked: dict[int, asyncio.Future[tuple[httpx.Response, list[Any]]]] | None = None,
                ) -> AsyncIterator[list[Any]]:
    """Every page ``fetch(index)`` returns, in order: until a page shorter than ``page_size``. ``X-Pages``, when
    sent, must agree (a short page while it promises more, a full page past its end, or more pages than
    ``max_pages``: ProtocolError). ``prefetch``: pages requested ahead (a read of a whole account), those past
    the end dropped. ``asked``: pages the caller has asked for already (index → the request), taken over."""
    ahead: dict[int, asyncio.Future[tuple[httpx.Response, list[Any]]]] = dict(asked or {})
    page = 1
    try:
        while True:
            for index in range(page, min(page + max(1, prefetch), max_pages + 1)):
                if index not in ahead:
                    ahead[index] = asyncio.ensure_future(fetch(index))
            resp, items = await ahead.pop(page)
            declared = declared_pages(resp, path)
            if declared is None:
                observed.setdefault("x-pages-missing", path)
            elif declared > max_pages:
                raise ProtocolError("more pages than any account holds", method="GET", path=path,
                                    status=resp.status_code, detail=f"X-Pages {declared} > {max_pages}")
            if len(items) < page_size:
                if declared is not None and declared > page:
                    raise ProtocolError("short page before the last", method="GET", path=path,
                                        status=resp.status_code,
                                        detail=f"page {page} of {declared} has {len(items)} of {page_size}")
                yield items
                return
            if declared is not None and declared < page:
                raise ProtocolError("full page past the last", method="GET", path=path, status=resp.status_code,
                                    detail=f"page {page} of {declared} has {len(items)} entries")
            if page >= max_pages:
                raise ProtocolError("more pages than any account holds", method="GET", path=path,
                                    status=resp.status_code, detail=f"still full at page {page}")
            yield items
            page += 1
    finally:
        for future in ahead.values():
            future.cancel()
        await asyncio.gather(*ahead.values(), return_exceptions=True)


def pages_so_far(resp: httpx.Response, path: str, page: int, page_size: int, items: int,
                 observed: dict[str, str]) -> int:
    """The page count a caller paging by index goes on with (the same rules): without ``X-Pages`` one page
    more after a full page; beyond any account or contradicting a short page, a ProtocolError."""
    declared = declared_pages(resp, path)
    if declared is None:
        observed.setdefault("x-pages-missing", path)
        return page + 1 if items >= page_size else page
    if declared > MAX_PAGES * 10 or (items < page_size and declared > page):
        raise ProtocolError("X-Pages contradicts the pages", method="GET", path=path, status=resp.status_code,
                            detail=f"page {page}: {items} of {page_size}, X-Pages {declared}")
    return declared
