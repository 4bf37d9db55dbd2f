"""Pipelined batch upload: bodies are built off the event loop ahead of time, at most
``max_in_flight`` sync requests run at once, and each result is handed to ``on_result`` as soon as
its batch completes (not in submission order), one call at a time, so the caller can checkpoint.

Permission: the caller passes ``permission_for(batch_no) -> int`` (the engine groups contacts by
legal basis, so a batch has one permission). Errors: a failed batch is reported as a
``BatchResult`` with ``error`` set; with ``stop_on_error`` (default) no further batch is started,
in-flight batches finish and are reported, and the summary says ``stopped``. Cancellation (Ctrl+C)
cancels every in-flight request and pending build; no task outlives the call.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import MaileonError
from .xml import MaileonContact, SyncReport, build_sync_body


class _SyncClient(Protocol):
    async def sync_contacts(self, body: bytes, *, permission: int, **kw: Any) -> SyncReport: ...


@dataclass(slots=True)
class BatchResult:
    batch_no: int
    size: int
    permission: int
    report: SyncReport | None = None
    error: MaileonError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class UploadSummary:
    batches_done: int = 0
    batches_failed: int = 0
    contacts_sent: int = 0
    stopped: bool = False
    errors: list[MaileonError] = field(default_factory=list)


OnResult = Callable[[BatchResult], Awaitable[None] | None]


Batches = Iterable[tuple[int, list[MaileonContact]]] | AsyncIterable[tuple[int, list[MaileonContact]]]


async def _aiterate(batches: Batches) -> AsyncGenerator[tuple[int, list[MaileonContact]], None]:
    if isinstance(batches, AsyncIterable):
        async for item in batches:
            yield item
    else:
        for item in batches:
            yield item


async def upload_batches(
    client: _SyncClient,
    batches: Batches,
    *,
    permission_for: Callable[[int], int],
    on_result: OnResult,
    max_in_flight: int = 4,
    sync_kwargs: dict[str, Any] | None = None,
    stop_on_error: bool = True,
    build: Callable[[list[MaileonContact]], bytes] = build_sync_body,
    cancelled: Callable[[], bool] = lambda: False,
) -> UploadSummary:
    """Upload ``(batch_no, contacts)`` batches; see the module docstring for the contract.

    ``batches`` may be an async iterable (the engine plans batches while earlier ones are sent).
    ``cancelled`` is asked before each batch is sent: once it says yes, batches already built and waiting are
    not sent (the requests in flight finish and are reported), and the summary says ``stopped``.
    """
    if max_in_flight < 1:
        raise ValueError("max_in_flight must be >= 1")
    kwargs = dict(sync_kwargs or {})
    summary = UploadSummary()
    slots = asyncio.Semaphore(max_in_flight)
    result_lock = asyncio.Lock()
    stop = asyncio.Event()
    # bodies built (or being built) ahead of the requests in flight; None marks the end of the batches
    ready: asyncio.Queue[tuple[int, int, asyncio.Task[bytes]] | None] = asyncio.Queue(maxsize=max_in_flight)
    pending_builds: set[asyncio.Task[bytes]] = set()
    # built (or building) but not handed to a request yet: awaited at the end, so that a stop never
    # leaves a finished build's error unretrieved ("Task exception was never retrieved")
    unsent: set[asyncio.Task[bytes]] = set()

    async def produce() -> None:
        source = _aiterate(batches)
        try:
            async for batch_no, contacts in source:
                if stop.is_set():
                    break
                task = asyncio.create_task(asyncio.to_thread(build, contacts))
                pending_builds.add(task)
                task.add_done_callback(pending_builds.discard)
                unsent.add(task)
                await ready.put((batch_no, len(contacts), task))
        finally:
            await source.aclose()
        await ready.put(None)

    async def deliver(result: BatchResult) -> None:
        async with result_lock:
            if result.error is None:
                summary.batches_done += 1
                summary.contacts_sent += result.size
            else:
                summary.batches_failed += 1
                summary.errors.append(result.error)
                if stop_on_error:
                    stop.set()
            outcome = on_result(result)
            if inspect.isawaitable(outcome):
                await outcome

    async def send(batch_no: int, size: int, body_task: asyncio.Task[bytes]) -> None:
        permission = permission_for(batch_no)
        unsent.discard(body_task)
        try:
            body = await body_task
            report = await client.sync_contacts(body, permission=permission, **kwargs)
            result = BatchResult(batch_no, size, permission, report=report)
        except MaileonError as exc:
            result = BatchResult(batch_no, size, permission, error=exc)
        finally:
            slots.release()
        await deliver(result)

    try:
        async with asyncio.TaskGroup() as group:
            producer = group.create_task(produce())
            while True:
                item = await ready.get()
                if item is None or stop.is_set() or cancelled():
                    break
                await slots.acquire()
                if stop.is_set() or cancelled():
                    slots.release()
                    break
                batch_no, size, task = item
                group.create_task(send(batch_no, size, task))
            producer.cancel()  # stopped early: plan and build nothing more
    finally:
        leftovers = list(pending_builds | unsent)
        for t in leftovers:
            t.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)
    if stop.is_set() or cancelled():
        summary.stopped = True
    return summary
