"""Every fault kind, and what the client makes of it (in-process and over a socket)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from kufertui.maileon import (
    AuthError,
    MaileonContact,
    MalformedResponse,
    NetworkError,
    RateLimited,
    ServerError,
    build_sync_body,
)
from kufertui.simulator import SimState

BODY = build_sync_body([MaileonContact("a@example.org"), MaileonContact("b@example.org")])


async def test_429_then_success_honours_retry_after(make_client: Any, sim_state: SimState) -> None:
    async with make_client("429@POST /contacts#1:retry-after=0.3") as client:
        t0 = time.monotonic()
        report = await client.sync_contacts(BODY, permission=4)
        assert time.monotonic() - t0 >= 0.3
    assert report.count_new_contacts == 2


async def test_503_is_retried(make_client: Any, sim_state: SimState) -> None:
    sim_state.log_requests = True
    async with make_client("503@*#1-2") as client:
        await client.ping()
    # two 503s, then the answer: three requests reached the server
    assert [(r.method, r.path) for r in sim_state.request_log] == [("GET", "/ping")] * 3


async def test_500_is_not_retried(make_client: Any, sim_state: SimState) -> None:
    sim_state.log_requests = True
    async with make_client("500@GET /ping#1") as client:
        with pytest.raises(ServerError) as info:
            await client.ping()
        assert info.value.status == 500 and not info.value.retryable
        assert len(sim_state.request_log) == 1  # not repeated
        await client.ping()
    assert len(sim_state.request_log) == 2


async def test_dropped_connection_is_retried(make_client: Any, sim_state: SimState) -> None:
    async with make_client("drop@POST /contacts#1") as client:
        report = await client.sync_contacts(BODY, permission=4)
    # the dropped attempt was applied; the retry is an idempotent upsert
    assert report.count_existing_contacts == 2 and report.count_new_contacts == 0
    assert len(sim_state.contacts) == 2


async def test_drop_before_processing(make_client: Any, sim_state: SimState) -> None:
    async with make_client("drop@POST /contacts#1:when=before") as client:
        report = await client.sync_contacts(BODY, permission=4)
    assert report.count_new_contacts == 2


async def test_malformed_body(make_client: Any) -> None:
    async with make_client("malformed@GET /reports/unsubscriptions#1") as client:
        with pytest.raises(MalformedResponse) as info:
            await client.unsubscriptions(0)
        assert info.value.hint_id == "malformed-response"
        assert info.value.path == "/reports/unsubscriptions"
        assert await client.unsubscriptions(0) == []


async def test_revoked_key(make_client: Any) -> None:
    async with make_client("revoke@POST /contacts#2") as client:
        await client.sync_contacts(BODY, permission=4)
        with pytest.raises(AuthError) as info:
            await client.sync_contacts(BODY, permission=4)
        assert info.value.hint_id == "key-invalid" and info.value.status == 401
        with pytest.raises(AuthError):
            await client.ping()


async def test_retries_exhausted_429(make_client: Any) -> None:
    async with make_client("429@*:retry-after=0", max_retries=2) as client:
        with pytest.raises(RateLimited) as info:
            await client.ping()
    assert info.value.hint_id == "rate-limited" and info.value.retryable


async def test_retries_exhausted_drop(make_client: Any) -> None:
    async with make_client("drop@GET /ping", max_retries=1) as client:
        with pytest.raises(NetworkError) as info:
            await client.ping()
    assert info.value.hint_id == "network"


async def test_retry_budget_stops_long_retry_after(make_client: Any) -> None:
    async with make_client("429@*:retry-after=30", retry_budget_s=1.0) as client:
        t0 = time.monotonic()
        with pytest.raises(RateLimited):
            await client.ping()
        assert time.monotonic() - t0 < 1.0


async def test_delay_fault_and_global_delay(make_client: Any) -> None:
    async with make_client("delay=0.05; delay@GET /ping#2:seconds=0.2") as client:
        t0 = time.monotonic()
        await client.ping()
        first = time.monotonic() - t0
        t0 = time.monotonic()
        await client.ping()
        second = time.monotonic() - t0
    assert first >= 0.05 and second >= 0.25


async def test_global_delay_is_latency_the_work_is_done_within_it(make_client: Any, sim_state: SimState) -> None:
    """``delay=S`` models a service answering S after a request arrives: the contacts are in the account
    while the answer is still on its way (the simulator's own work is not added on top of S)."""
    async with make_client("delay=0.6") as client:
        pending = asyncio.create_task(client.sync_contacts(BODY, permission=4))
        for _ in range(50):
            await asyncio.sleep(0.01)
            if "a@example.org" in sim_state.contacts:
                break
        in_account_before_answer = "a@example.org" in sim_state.contacts and not pending.done()
        report = await pending
    assert in_account_before_answer
    assert report.count_new_contacts == 2


async def test_a_held_request_does_nothing_before_its_delay(make_client: Any, sim_state: SimState) -> None:
    """``delay@`` holds the request itself: how a request the client gave up on lands late."""
    async with make_client("delay@POST /contacts:seconds=0.6") as client:
        pending = asyncio.create_task(client.sync_contacts(BODY, permission=4))
        await asyncio.sleep(0.3)
        assert "a@example.org" not in sim_state.contacts
        await pending
    assert "a@example.org" in sim_state.contacts
