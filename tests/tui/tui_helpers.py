"""Helpers shared by the Pilot tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from textual.widgets import Static

from kufertui.tui.app import KuferApp

NAVBAR_HIDDEN = "NavBar { visibility: hidden; }"


def without_navbar(app: KuferApp) -> KuferApp:
    """The app with its navbar left blank: the screens' snapshots leave it out, so that a new screen (a new tab)
    changes its own pictures and the navbar's (tests/tui/test_snapshots.py::test_navbar), not every picture."""
    app.CSS = NAVBAR_HIDDEN
    return app


async def wait_for(pilot: object, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition not reached")


def text(app: KuferApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


class FakeClock:
    """The screens' clock in tests: fixed, moved on by hand (banner, log stamps, rate and ETA repeat)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def workers_done(app: KuferApp) -> None:
    """Wait until no worker of the app runs. Unlike ``app.workers.wait_for_complete()`` this does not raise
    when an exclusive worker was cancelled by its successor (Results loads its rejects twice on the way in)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    while pending := [w for w in list(app.workers) if not w.is_finished]:
        for worker in pending:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
