"""The two stops of a single-call phase: the failure streak (Maileon keeps failing) and the cancel
with a grace for the calls in flight; and the plain progress lines of the objection push."""

from __future__ import annotations

import asyncio
import threading

import pytest

from kufertui.maileon.errors import ALL_ERRORS, BadRequest, NetworkError, NotFound, RateLimited, ServerError
from kufertui.sync import events as ev
from kufertui.sync.internals.breaker import STREAK_LIMIT, FailureStreak, KeepsFailing
from kufertui.sync.internals.interrupt import CancelRequested, unless_cancelled


def test_streak_trips_on_the_third_server_failure_in_a_row() -> None:
    streak = FailureStreak()
    for _ in range(STREAK_LIMIT - 1):
        streak.failed(ServerError("x", status=503))
    with pytest.raises(KeepsFailing) as stop:
        streak.failed(RateLimited("x", status=429))
    assert stop.value.count == STREAK_LIMIT and stop.value.error.hint_id == "rate-limited"


def test_an_answer_in_between_starts_the_streak_anew() -> None:
    streak = FailureStreak(limit=3)
    for answer in ("ok", "about-the-contact"):
        streak.failed(ServerError("x", status=502))
        streak.failed(NetworkError("x"))
        if answer == "ok":
            streak.answered()
        else:  # Maileon answered about this one contact (400): it is working
            streak.failed(BadRequest("x", status=400))
    streak.failed(ServerError("x", status=504))
    streak.failed(ServerError("x", status=504))
    with pytest.raises(KeepsFailing):
        streak.failed(ServerError("x", status=500))  # not retried, but Maileon's fault all the same


def test_server_side_is_maileon_or_the_way_to_it() -> None:
    """The error's class decides (maileon/errors.py), as it decides the retry: every retried error and every 5xx."""
    assert ServerError("x", status=500).server_side and NetworkError("x").server_side
    assert not NotFound("x", status=404).server_side and not BadRequest("x", status=400).server_side
    for cls in ALL_ERRORS:
        error = cls("x", status=500 if cls is ServerError else None)
        assert error.server_side is (error.retryable or cls is ServerError), cls.__name__


def test_work_that_finishes_within_the_grace_returns() -> None:
    cancel = threading.Event()

    async def main() -> str:
        async def short() -> str:
            await asyncio.sleep(0.3)
            return "done"
        cancel.set()
        return await unless_cancelled(short(), cancel, grace_s=5.0)

    assert asyncio.run(main()) == "done"


def test_work_stuck_past_the_grace_is_cancelled() -> None:
    cancel = threading.Event()
    seen: list[str] = []

    async def main() -> None:
        async def stuck() -> None:
            try:
                await asyncio.sleep(60)  # a request waiting for its retry
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise
        asyncio.get_running_loop().call_later(0.2, cancel.set)
        await unless_cancelled(stuck(), cancel, grace_s=0.3)

    with pytest.raises(CancelRequested):
        asyncio.run(asyncio.wait_for(main(), timeout=20))
    assert seen == ["cancelled"]


def test_plain_cli_shows_push_progress_by_tenths(capsys: pytest.CaptureFixture[str]) -> None:
    from kufertui.commands.progress import EventPrinter

    printer = EventPrinter(interactive=False)
    printer(ev.PhaseStarted("push", 402))
    for done in range(1, 403):
        printer(ev.Progress("push", done, 402))
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if "/" in line]
    assert lines[0] == "1/402" and lines[-1] == "402/402"
    assert lines[1] == "41/402" and len(lines) == 11
    printer(ev.PhaseStarted("push", 2))
    printer(ev.Progress("push", 1, 2))
    printer(ev.Progress("push", 2, 2))
    assert [line.strip() for line in capsys.readouterr().out.splitlines()][1:] == ["1/2", "2/2"]
