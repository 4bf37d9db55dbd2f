"""Fixtures for the Maileon client/simulator tests: one simulator state, and a client that
talks to it either in-process (httpx.ASGITransport) or over a real loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from client_helpers import API_KEY, fast_options

from kufertui.maileon import MaileonClient
from kufertui.simulator import SimState, create_app, running_simulator


@pytest.fixture
def api_key() -> str:
    return API_KEY


@pytest.fixture
def sim_state() -> SimState:
    return SimState.with_key(API_KEY, strict_media=True)  # a write without Content-Type is answered 415


ClientFactory = Callable[..., AbstractContextManager[MaileonClient]]


def _inproc_factory(state: SimState) -> Callable[..., MaileonClient]:
    def make(faults: str | None = None, **kw: Any) -> MaileonClient:
        transport = httpx.ASGITransport(app=create_app(state, faults))
        return MaileonClient(fast_options(**kw), transport=transport)
    return make


@pytest.fixture
async def inproc_client(sim_state: SimState) -> AsyncIterator[MaileonClient]:
    async with _inproc_factory(sim_state)() as client:
        yield client


@pytest.fixture
async def socket_client(sim_state: SimState) -> AsyncIterator[MaileonClient]:
    with running_simulator(sim_state) as base_url:
        async with MaileonClient(fast_options(base_url)) as client:
            yield client


@pytest.fixture(params=["inproc", "socket"])
def make_client(request: pytest.FixtureRequest, sim_state: SimState) -> Iterator[Callable[..., Any]]:
    """``async with make_client(faults=None, **options) as client`` — runs the test both ways."""
    mode = request.param
    servers: list[AbstractContextManager[str]] = []

    def make(faults: str | None = None, **kw: Any) -> MaileonClient:
        if mode == "inproc":
            return _inproc_factory(sim_state)(faults, **kw)
        cm = running_simulator(sim_state, faults)
        servers.append(cm)
        return MaileonClient(fast_options(cm.__enter__(), **kw))

    yield make
    for cm in servers:
        cm.__exit__(None, None, None)


@pytest.fixture(params=["inproc", "socket"])
async def client(request: pytest.FixtureRequest, sim_state: SimState) -> AsyncIterator[MaileonClient]:
    """The contract-suite client: the same tests run in-process and over a socket."""
    if request.param == "inproc":
        async with _inproc_factory(sim_state)() as c:
            yield c
        return
    with running_simulator(sim_state) as base_url:
        async with MaileonClient(fast_options(base_url)) as c:
            yield c

