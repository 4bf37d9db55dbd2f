"""Issue 13, item 2: no fixed pacing. Against the simulator's rate-limit mode (N requests per second per
key, 429 + Retry-After beyond) the client learns the rate, loses nothing and is rarely refused; the
learned rate is kept in the workspace for the next run; ``requests_per_second`` stays a hard ceiling."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from conftest import API_KEY, fast_options
from sync_helpers import make_settings, person, run_engine, seed_workspace, set_status, sim_state

from kufertui.maileon import MaileonClient
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import LEARNED_RATE_KEY, learned_rate


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
