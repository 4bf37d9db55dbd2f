"""A cancel (Ctrl+C, Esc) that takes effect within seconds, also while requests wait.

A request may sit in its retry backoff or in the rate limiter for minutes when Maileon keeps
refusing. Calls in flight get a short grace to finish (and be journaled) on their own; after it they
are cancelled, which ends every such wait at once. What they did not finish stays pending for the
resumed run (batches are sent again, objections pushed again: both are safe to repeat).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")
CANCEL_POLL_S = 0.1  # how often a long request looks at the cancel flag
CANCEL_GRACE_S = 2.0  # calls in flight when cancel is asked may finish within this, then they are cut off


class CancelRequested(Exception):
    """The awaited work was cut off by a cancel; the caller journals the stop."""


async def unless_cancelled(aw: Awaitable[T], cancel: threading.Event, *, grace_s: float = 0.0) -> T:
    """Await ``aw``; once ``cancel`` is set, give it ``grace_s`` to finish, then cancel it and raise
    CancelRequested. Work that finishes within the grace returns as usual (the caller sees the flag)."""
    task = asyncio.ensure_future(aw)
    asked: float | None = None
    try:
        while not task.done():
            await asyncio.wait({task}, timeout=CANCEL_POLL_S)
            if task.done() or not cancel.is_set():
                continue
            now = time.monotonic()
            asked = now if asked is None else asked
            if now - asked >= grace_s:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise CancelRequested
    finally:
        if not task.done():  # we were cancelled ourselves: leave nothing running behind
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    return task.result()
