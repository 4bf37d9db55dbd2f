"""Issue 13, item 2: no fixed pacing. Against the simulator's rate-limit mode (N requests per second per
key, 429 + Retry-After beyond) the client learns the rate, loses nothing and is rarely refused; the
learned rate is kept in the workspace for the next run; ``requests_per_second`` stays a hard ceiling."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from client_helpers import API_KEY, fast_options
from sync_helpers import make_settings, person, run_engine, seed_workspace, set_status, sim_state

from kufertui.maileon import MaileonClient
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import LEARNED_AT_KEY, LEARNED_RATE_KEY, learned_rate, remembered_rate


async def _pings(client: MaileonClient, n: int, concurrency: int = 8) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await client.ping()

    await asyncio.gather(*(one() for _ in range(n)))


def test_client_learns_the_servers_rate_and_is_rarely_refused() -> None:
    state = SimState.with_key(API_KEY, strict_media=True, rate_limit=40)
    with running_simulator(state) as base_url:
        async def go() -> float | None:
            async with MaileonClient(fast_options(base_url, max_retries=8, retry_budget_s=60)) as client:
                await _pings(client, 250)
                return client.rate.learned
        learned = asyncio.run(go())
    assert learned is not None and 5 < learned < 80
    # every request completed (no exception); refusals stay a small share of all requests
    assert state.rate_limited <= 0.05 * state.requests_seen, state.summary()


def test_requests_per_second_is_a_hard_ceiling() -> None:
    state = SimState.with_key(API_KEY, strict_media=True)
    with running_simulator(state) as base_url:
        async def go() -> float:
            async with MaileonClient(fast_options(base_url, requests_per_second=20)) as client:
                start = time.monotonic()
                await _pings(client, 41)
                return time.monotonic() - start
        elapsed = asyncio.run(go())
    assert elapsed >= 2.0  # 41 starts, 1/20 s apart


def test_objection_push_under_a_rate_limit_completes_and_the_rate_is_remembered(tmp_path: Path) -> None:
    state = sim_state()
    state.rate_limit = 30
    contacts = [person(i) for i in range(1, 121)]
    root = tmp_path / "ws"
    seed_workspace(root, contacts)
    for c in contacts:  # known to Maileon from an earlier upload
        state.seed_contact(c.email, external_id=c.person_no)
    set_status(root, [c.email for c in contacts[:100]], "N")  # 100 objections recorded in KUFER
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=50)
        run = run_engine(settings, root)
        r = run.report
        assert r.objections_pushed == 100 and r.objections_pending == 0
        assert state.summary()["anonymised"] == 100
        assert state.rate_limited <= 0.1 * state.requests_seen, state.summary()
        said = [e for e in run.events if isinstance(e, ev.Message) and e.key == "engine.rate-learned"]
        assert said and said[0].hint_id == "rate-limited"
        with Workspace.open(root) as ws:
            stored = float(ws.get_meta(LEARNED_RATE_KEY) or 0)
            assert 0 < stored < 60

            async def next_run_start() -> float | None:
                async with MaileonClient(fast_options(base_url)) as client, learned_rate(client, ws):
                    return client.rate.current()
            assert asyncio.run(next_run_start()) == stored  # the next run starts where this one ended


# --- issue 23.5: a day of faults must not make the next month slow -------------------------------------------

async def _timed_pings(client: MaileonClient, n: int, concurrency: int = 4) -> float:
    start = time.monotonic()
    await _pings(client, n, concurrency)
    return time.monotonic() - start


def test_an_outage_teaches_no_rate_and_costs_no_pace() -> None:
    """503 without Retry-After, 502, 504 on a third of the requests: retried, but nothing is learned, no refusal
    is counted and no pace is set (the old client halved its pace at each one, to the floor). Told by the rate
    itself, not by a stopwatch: a loaded machine made 60 requests take longer than a fixed bound."""
    state = SimState.with_key(API_KEY, strict_media=True)
    faults = "503@*#every 3; 502@*#every 7; 504@*#every 11"
    with running_simulator(state, faults) as base_url:
        async def go() -> tuple[float | None, float | None, int]:
            async with MaileonClient(fast_options(base_url, max_retries=8)) as client:
                await _pings(client, 60, 4)
                return client.rate.learned, client.rate.current(), client.rate.refusals
        learned, pace, refusals = asyncio.run(go())
    assert learned is None  # never paced: an outage says nothing about how fast Maileon lets us go
    assert pace is None and refusals == 0


def test_overload_still_teaches_the_rate() -> None:
    """429, and 503 that says when to come back (Retry-After), are overload: the rate is cut."""
    for faults in ("429@*#every 4:retry-after=0", "503@*#every 4:retry-after=0"):
        state = SimState.with_key(API_KEY, strict_media=True)
        with running_simulator(state, faults) as base_url:
            async def go() -> float | None:
                async with MaileonClient(fast_options(base_url, max_retries=8)) as client:
                    await _pings(client, 8, 2)
                    return client.rate.learned
            assert asyncio.run(go()) is not None, faults


def test_a_day_of_random_refusals_leaves_the_next_run_at_the_rate_held_before(tmp_path: Path) -> None:
    """A run held 40 requests per second; the next day every other request is refused (429, no pause asked):
    the rate sinks to the floor within that run, but the run after starts at the rate last held without
    refusals, not at the floor the storm left (0.2 requests per second made 10,000 objections take 14 h)."""
    root = tmp_path / "ws"
    state = SimState.with_key(API_KEY, strict_media=True)
    with Workspace.open(root) as ws:
        with running_simulator(state, "rate=40") as base_url:
            async def good_day() -> float | None:
                async with MaileonClient(fast_options(base_url, max_retries=8)) as client, learned_rate(client, ws):
                    await _pings(client, 120, 8)
                    return client.rate.held
            held = asyncio.run(good_day())
        assert held is not None and 5 < held <= 60
        assert float(ws.get_meta(LEARNED_RATE_KEY) or 0) == round(held, 3)

        with running_simulator(SimState.with_key(API_KEY), "429@*#every 2:retry-after=0") as base_url:
            async def bad_day() -> float | None:
                async with MaileonClient(fast_options(base_url, max_retries=8)) as client, learned_rate(client, ws):
                    await _pings(client, 6, 1)
                    return client.rate.learned
            sunk = asyncio.run(bad_day())
        assert sunk is not None and sunk < 2  # the storm did teach this run to slow down

        with running_simulator(SimState.with_key(API_KEY)) as base_url:
            async def next_run() -> tuple[float | None, float]:
                async with MaileonClient(fast_options(base_url)) as client, learned_rate(client, ws):
                    start = client.rate.current()
                    return start, await _timed_pings(client, 40, 4)
            start, elapsed = asyncio.run(next_run())
    assert start is not None and start >= 0.9 * held  # where the good day held, not the storm's floor
    assert elapsed < 3.0


def test_a_remembered_rate_recovers_with_the_hours_since_it_was_held(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.set_meta(LEARNED_RATE_KEY, "2.000")
        ws.set_meta(LEARNED_AT_KEY, "2026-03-02T08:00:00+00:00")
        at = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
        assert remembered_rate(ws, at) == 2.0  # a resume half an hour later: where the run was
        assert remembered_rate(ws, at + timedelta(hours=3)) == 16.0  # doubled for each full hour
        assert remembered_rate(ws, at + timedelta(days=1)) is None  # a day later: unpaced, relearned if needed
        ws.set_meta(LEARNED_AT_KEY, "")
        assert remembered_rate(ws, at) is None  # kept by an older version (the last cut, maybe a floor): unused
