"""The simulator's harsh readings of undocumented Maileon behaviour are switches on its state (issue 25), set by
name from a fault spec (`kufertui simulator --faults`) or over `/_sim/modes`, and visible there, so that a
probe run against the simulator can find each one."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from kufertui.simulator import SimState, create_app
from kufertui.simulator.faults import HARSH, MODES, FaultSpecError, parse_faults

KEY = "modes-key-0123456789"


def test_a_spec_sets_modes_and_harsh_sets_them_all() -> None:
    faults = parse_faults("x-pages=omit; clear-delay=2; 503@POST /contacts#1")
    assert faults.modes == {"x-pages": "omit", "clear-delay": "2"} and len(faults.rules) == 1
    assert parse_faults("harsh").modes == HARSH
    assert set(HARSH) <= set(MODES)
    state = SimState.with_key(KEY)
    create_app(state, "harsh")
    assert (state.report_x_pages, state.report_anonymous, state.clear_delay_s, state.filter_limit_status) == (
        "omit", "placeholder", 1.5, 409)


@pytest.mark.parametrize("spec", ["no-such-mode=1", "clear-delay=soon", "anonymous=maybe", "stale-counts=perhaps"])
def test_a_bad_mode_fails_at_start(spec: str) -> None:
    with pytest.raises(FaultSpecError):
        parse_faults(spec)


async def test_modes_over_the_control_api_and_x_pages_on_every_paged_answer() -> None:
    state = SimState.with_key(KEY)
    app = create_app(state)
    auth = {"Authorization": "Basic " + base64.b64encode(KEY.encode()).decode()}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.invalid") as raw:
        assert (await raw.get("/_sim/modes")).json()["x-pages"] == ""
        assert (await raw.post("/_sim/modes", params={"x-pages": "omit", "filter-limit": "5"})).status_code == 200
        assert (await raw.post("/_sim/modes", params={"nonsense": "1"})).status_code == 400
        modes = (await raw.get("/_sim/state")).json()["modes"]
        assert modes["x-pages"] == "omit" and modes["filter-limit"] == 5
        for path in ("/1.0/contacts", "/1.0/reports/unsubscriptions", "/1.0/contactfilters", "/1.0/targetgroups"):
            resp = await raw.get(path, headers=auth)
            assert resp.status_code == 200 and "X-Pages" not in resp.headers, path
        await raw.post("/_sim/modes", params={"x-pages": "42"})
        assert (await raw.get("/1.0/contacts", headers=auth)).headers["X-Pages"] == "42"
        await raw.post("/_sim/faults", params={"spec": "x-pages=; clear-delay=0.5"})
        assert "X-Pages" in (await raw.get("/1.0/contacts", headers=auth)).headers
        assert state.clear_delay_s == 0.5


async def test_latency_only_answers_a_sync_by_counting_and_keeps_nothing() -> None:
    """The benchmarks' server (issue 27): with `latency-only=on` a sync is answered by counting its contacts,
    nothing parsed, checked or stored (an invalid address is counted like any other); the delay still holds."""
    state = SimState.with_key(KEY)
    app = create_app(state, "latency-only=on; delay=0.05")
    assert state.latency_only
    auth = {"Authorization": "Basic " + base64.b64encode(KEY.encode()).decode(),
            "Content-Type": "application/vnd.maileon.api+xml"}
    body = (b"<?xml version='1.0' encoding='UTF-8'?>\n<contacts>"
            b"<contact><email>a@example.org</email></contact><contact><email>not an address</email></contact>"
            b"<contact><email>c@example.org</email><custom_fields><field><name>Nope</name><value>1</value>"
            b"</field></custom_fields></contact></contacts>")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim.invalid") as raw:
        loop_time = asyncio.get_running_loop().time
        started = loop_time()
        resp = await raw.post("/1.0/contacts", params={"permission": 1, "sync_mode": 1}, headers=auth, content=body)
        assert loop_time() - started >= 0.05
        assert resp.status_code == 200
        assert b"<count_contacts>3</count_contacts>" in resp.content
        assert b"<count_invalid_contacts>0</count_invalid_contacts>" in resp.content
        assert (await raw.get("/_sim/modes")).json()["latency-only"] is True
    assert state.contacts == {}
