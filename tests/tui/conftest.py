"""TUI fixtures: a deterministic demo workspace and the Maileon simulator in-process."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import FakeClock

from kufertui import i18n
from kufertui.core.report import RunReport, report_line
from kufertui.simulator import create_app
from kufertui.store import ContactOutcome, Workspace
from kufertui.sync.demo_setup import DemoSetup, prepare_demo
from kufertui.tui.app import KuferApp, make_app

DEMO_CONTACTS = 300
DEMO_SEED = 7
FIXED_NOW = "2026-11-02T09:30:00+00:00"


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """pytest-textual-snapshot's snap_compare with steady text cursors: a focused input's cursor blinks, and a
    picture caught it in either state (the settings screen's API-key field failed now and then)."""
    def compare(app: object, *, run_before: Callable[[Pilot[object]], Awaitable[object] | None] | None = None,
                **kwargs: object) -> bool:
        async def steady(pilot: Pilot[object]) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False  # Textual shows the cursor, without the timer
            await pilot.pause()

        return snap_compare(app, run_before=steady, **kwargs)

    return compare


@pytest.fixture
def demo(tmp_path: Path) -> DemoSetup:
    (tmp_path / "demo").mkdir()
    setup = prepare_demo(tmp_path / "demo", DEMO_CONTACTS, DEMO_SEED)
    setup.settings.maileon.base_url = "http://127.0.0.1:9/1.0"  # only the in-process transport is used
    setup.settings.legal.k_notice_confirmed_on = "2026-10-01"  # deterministic pictures
    setup.settings.maileon.requests_per_second = 1000.0  # no throttling against the in-process simulator
    return setup


@pytest.fixture
def clock() -> FakeClock:
    # 20 days after the recorded run's pull (FIXED_NOW): the retention banner shows, the same every day
    return FakeClock(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))


@pytest.fixture
def build_app(demo: DemoSetup, clock: FakeClock) -> Iterator[Callable[..., KuferApp]]:
    def build(lang: str = "de") -> KuferApp:
        transport = httpx.ASGITransport(app=create_app(demo.sim))
        return make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                        transport=transport, now=clock)

    yield build
    i18n.set_language("de")


@pytest.fixture
def recorded_run(demo: DemoSetup, monkeypatch: pytest.MonkeyPatch) -> int:
    """A finished run in the journal with fixed times, counts and rejects (for results/history pictures)."""
    monkeypatch.setattr("kufertui.store.journal._now", lambda: FIXED_NOW)
    report = RunReport(selected=228, new=120, updated=97, rejected_preflight=10, unsubscribed_now=1,
                       unsubscribes_pulled=1, written_back=1,
                       rejects_by_code={"preflight:3": 5, "preflight:5": 5})
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})
        report.run_id = run_id
        ws.journal.record_outcomes(run_id, [
            ContactOutcome(f"email:bad{i}", f"bad{i}@@example", "J", "rejected", None, "preflight:3", "")
            for i in range(5)] + [
            ContactOutcome(f"email:dup{i}", f"dup{i}@example.org", "K", "rejected", None, "preflight:5", "")
            for i in range(5)])
        ws.journal.plan_batch(run_id, 1, 4, [])  # it uploaded: its import marks are the ones in Maileon (g)
        ws.journal.finish_run(run_id, "done", counts=report.to_json(), report_line=report_line(report))
        ws.set_meta("last_pull_at", FIXED_NOW)
    return run_id
