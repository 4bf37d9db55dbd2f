"""Pipelined upload against the simulator: concurrency bound, results per batch, stop, cancellation."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import httpx

from kufertui.maileon import AuthError, BatchResult, MaileonClient, MaileonContact, upload_batches
from kufertui.maileon.xml import build_sync_body
from kufertui.simulator import SimState, create_app


def _batches(n: int, size: int) -> list[tuple[int, list[MaileonContact]]]:
    return [(b, [MaileonContact(f"b{b}-{i}@example.org", custom_fields={"ImportAPI": True})
                 for i in range(size)]) for b in range(n)]


async def test_upload_all_batches(make_client: Any, sim_state: SimState) -> None:
    sim_state.custom_fields["ImportAPI"] = "boolean"
    results: list[BatchResult] = []

    async def on_result(r: BatchResult) -> None:
        results.append(r)

    async with make_client("delay=0.02") as client:
        summary = await upload_batches(client, _batches(10, 20), permission_for=lambda b: 4 if b % 2 else 6,
                                       on_result=on_result, max_in_flight=3)
    assert summary.batches_done == 10 and summary.contacts_sent == 200 and not summary.stopped
    assert sorted(r.batch_no for r in results) == list(range(10))
    assert all(r.ok and r.report and r.report.count_new_contacts == 20 for r in results)
    assert sim_state.contacts["b1-0@example.org"].permission == 4
    assert sim_state.contacts["b2-0@example.org"].permission == 6


class _CountingClient:
    def __init__(self, inner: MaileonClient) -> None:
        self.inner = inner
        self.active = 0
        self.peak = 0

    async def sync_contacts(self, body: bytes, **kw: Any) -> Any:
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            await asyncio.sleep(0.01)
            return await self.inner.sync_contacts(body, **kw)
        finally:
            self.active -= 1


async def test_in_flight_bound(inproc_client: MaileonClient) -> None:
    counting = _CountingClient(inproc_client)
    seen: list[int] = []
    summary = await upload_batches(counting, _batches(12, 5), permission_for=lambda b: 4,
                                   on_result=lambda r: seen.append(r.batch_no), max_in_flight=2)
    assert summary.batches_done == 12 and counting.peak == 2


async def test_stop_on_fatal_error(make_client: Any, sim_state: SimState) -> None:
    results: list[BatchResult] = []
    async with make_client("revoke@POST /contacts#3") as client:
        summary = await upload_batches(client, _batches(20, 3), permission_for=lambda b: 4,
                                       on_result=results.append, max_in_flight=1)
    assert summary.stopped and summary.batches_done == 2 and summary.batches_failed == 1
    assert isinstance(results[-1].error, AuthError)
    assert len(results) == 3


async def test_cancellation_leaves_no_tasks(sim_state: SimState, make_client: Any) -> None:
    async with make_client("delay=0.5") as client:
        task = asyncio.create_task(upload_batches(client, _batches(50, 2), permission_for=lambda b: 4,
                                                  on_result=lambda r: None, max_in_flight=4))
        await asyncio.sleep(0.1)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        await asyncio.sleep(0)
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert others == []


async def test_a_stop_leaves_no_build_error_unretrieved(inproc_client: MaileonClient, sim_state: SimState) -> None:
    """Batch 0 is refused (key revoked): the upload stops while bodies of later batches are already built.
    Their failures must be awaited, not logged as "Task exception was never retrieved" (issue 16, bug 3)."""
    reported: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))

    def build(contacts: list[MaileonContact]) -> bytes:
        if contacts[0].email.startswith("b0-"):
            return build_sync_body(contacts)
        raise ValueError("body cannot be built")

    transport = httpx.ASGITransport(app=create_app(sim_state, "revoke@POST /contacts#1"))
    async with MaileonClient(inproc_client.options, transport=transport) as client:
        summary = await upload_batches(client, _batches(4, 3), permission_for=lambda b: 4,
                                       on_result=lambda r: None, max_in_flight=1, build=build)
    assert summary.stopped and isinstance(summary.errors[0], AuthError)
    gc.collect()
    await asyncio.sleep(0)
    loop.set_exception_handler(None)
    assert not [c for c in reported if "never retrieved" in str(c.get("message"))], reported
