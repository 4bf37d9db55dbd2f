"""The request rate Maileon allows, learned while running.

Maileon documents no limit. The client starts unpaced (or at the rate a previous run held); an overload
answer (429, or 503 with ``Retry-After``: the transport tells them from an outage) cuts the rate to half of
what was actually sent (multiplicative decrease) and pauses every new request for the server's
``Retry-After``; from there the rate creeps up again (additive increase) until the next refusal.
``ceiling`` (the admin's ``requests_per_second``) is a hard upper bound; 0 means none.

What a later run starts from is ``held``: the rate at the start of the last stretch of HOLD_ANSWERS answers
in a row without a refusal, not the rate the last cut left. A day of random refusals drives the rate to the
floor; remembering the floor made every later run crawl (sync/connect.py remembers).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

MIN_RATE = 0.2  # requests per second: never slower (a refusal storm must not stall a run for good)
DECREASE = 0.5
# additive increase per second, as a share of the rate before the cut: back to it in ~10 s whatever its
# size, which keeps refusals to a few percent of the requests at a steady server limit
INCREASE_SHARE = 0.05
WINDOW_S = 1.0  # the actual sending rate: starts within the last second (fewer at the very beginning)
HOLD_ANSWERS = 10  # answers in a row without a refusal, each booked at a known rate: that rate was held


class RateController:
    """Spaces request starts for all concurrent callers of one client."""

    def __init__(self, ceiling: float = 0.0, start: float | None = None,
                 on_change: Callable[[float], None] | None = None) -> None:
        self.ceiling = ceiling if ceiling > 0 else 0.0
        self._rate: float | None = start if start and start > 0 else None
        self._step = (self._rate or 0.0) * INCREASE_SHARE
        self._next = 0.0
        self._paused_until = 0.0
        self._last_cut = -math.inf
        self._last_grow = time.monotonic()
        self._starts: deque[float] = deque()
        self.on_change = on_change
        self.refusals = 0  # overload answers seen
        self._held: float | None = None
        self._stretch_rate = self._rate  # the rate in force when the current refusal-free stretch began
        self._stretch_answers = 0

    def start_at(self, rate: float) -> None:
        """Begin at a rate held earlier, probing upward from it as after a cut."""
        self._rate = max(MIN_RATE, rate)
        self._step = self._rate * INCREASE_SHARE
        self._last_grow = time.monotonic()
        self._stretch_rate, self._stretch_answers = self._rate, 0

    @property
    def learned(self) -> float | None:
        """The rate learned so far (None: never refused, so no limit known)."""
        return self._rate

    @property
    def held(self) -> float | None:
        """The last rate held for HOLD_ANSWERS answers without a refusal (None: none yet): what a later run
        may start from."""
        return self._held

    def answered(self, booked: float) -> None:
        """A request booked at ``booked`` was answered, and not with a refusal (an error about the request
        itself counts: the server kept up). Requests booked before the last cut, at the old pace, say nothing."""
        if self._rate is None or booked < self._last_cut:
            return
        self._stretch_answers += 1
        if self._stretch_answers >= HOLD_ANSWERS:
            self._held = self._stretch_rate
            self._stretch_rate, self._stretch_answers = self._rate, 0

    def current(self) -> float | None:
        """Requests per second allowed now (None: unpaced)."""
        if self._rate is None:
            return self.ceiling or None
        return min(self._rate, self.ceiling) if self.ceiling else self._rate

    async def wait(self) -> float:
        """Wait for the next start slot. Returns when the slot was booked (``time.monotonic``), for
        ``refused``: a request booked before a cut was paced the old way."""
        while True:
            now = time.monotonic()
            self._grow(now)
            start = max(now, self._paused_until)
            rate = self.current()
            if rate:
                start = max(start, self._next)
                self._next = start + 1.0 / rate  # reserve the slot before sleeping (no await in between)
            if start > now:
                await asyncio.sleep(start - now)
            if self._paused_until <= start or self._paused_until <= time.monotonic():
                break
            # a refusal paused everyone while this one slept on a slot booked at the old pace: book anew
        self._starts.append(start)
        while self._starts and self._starts[0] < start - WINDOW_S:
            self._starts.popleft()
        return now

    def _grow(self, now: float) -> None:
        elapsed, self._last_grow = now - self._last_grow, now
        if self._rate is None or now < self._paused_until:
            return
        # probe upward only while the allowance is used: a rate far above what is sent would make the
        # next cut meaningless (a run bound by its concurrency never reaches it)
        if self._rate <= 2 * self._sent_rate(now) + 1:
            self._rate += self._step * elapsed

    def _sent_rate(self, now: float) -> float:
        return sum(1 for s in self._starts if now - WINDOW_S <= s <= now) / WINDOW_S

    def refused(self, booked: float, retry_after: float | None) -> None:
        """A request whose slot was booked at ``booked`` was refused for overload (429, or 503 with
        Retry-After)."""
        now = time.monotonic()
        self.refusals += 1
        if retry_after:
            self._paused_until = max(self._paused_until, now + retry_after)
        if booked < self._last_cut:
            return  # booked before the last cut, at the old pace: that cut has answered it already
        # from the rate in force; before any limit was known, from what was actually sent
        base = self._rate if self._rate is not None else self._sent_rate(now)
        new = max(MIN_RATE, base * DECREASE)
        self._rate = new
        self._step = max(base, MIN_RATE) * INCREASE_SHARE
        self._last_cut = now
        self._last_grow = now
        self._stretch_rate, self._stretch_answers = new, 0
        if self.on_change is not None:
            self.on_change(new)
