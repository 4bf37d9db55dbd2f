"""Reading every contact (``MaileonClient.contact_pages``): the first page is asked for beside the account's
count (issue 27: one round trip less for each read of the marks), and the read stays exact and leaves nothing
behind when the count fails."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from client_helpers import API_KEY, fast_options

from kufertui.maileon import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.simulator import SimState, create_app


class Recording(httpx.AsyncBaseTransport):
    """The simulator in-process, each request noted with when it went out and when its answer came."""

    def __init__(self, state: SimState, faults: str) -> None:
        self.inner = httpx.ASGITransport(app=create_app(state, faults))
        self.log: list[tuple[str, float, float]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = time.monotonic()
        resp = await self.inner.handle_async_request(request)
        self.log.append((f"{request.url.path.removeprefix('/1.0')}?{request.url.query.decode()}", sent,
                         time.monotonic()))
        return resp


def _account(n: int) -> SimState:
    state = SimState.with_key(API_KEY)
    for i in range(n):
        state.seed_contact(f"c{i:05d}@example.org")
    return state


async def test_the_first_page_goes_out_beside_the_count_and_every_contact_comes_once() -> None:
    state = _account(2500)
    transport = Recording(state, "delay=0.05")
    async with MaileonClient(fast_options(), transport=transport) as client:
        emails = [c.email for page in [p async for p in client.contact_pages(page_size=1000)] for c in page]
    assert sorted(emails) == sorted(state.contacts) and len(emails) == 2500
    count = next(entry for entry in transport.log if entry[0].startswith("/contacts/count"))
    first = next(entry for entry in transport.log if "page_index=1&" in entry[0] + "&")
    assert first[1] < count[2]  # asked for before the count had its answer


async def test_a_count_that_fails_fails_the_read_and_leaves_no_request_behind() -> None:
    state = _account(10)
    transport = Recording(state, "500@GET /contacts/count; delay=0.05")
    async with MaileonClient(fast_options(max_retries=0), transport=transport) as client:
        with pytest.raises(MaileonError):
            async for _page in client.contact_pages():
                pass
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert not pending
