"""The simulator's request log tells a body that arrived from one cut off by a killed client."""

from __future__ import annotations

import asyncio
import base64

from kufertui.simulator.app import create_app
from kufertui.simulator.state import SimState

KEY = "request-log-key"
BODY = b"<contacts><contact><email>a@example.org</email></contact></contacts>"


def _post(state: SimState, messages: list[dict[str, object]]) -> None:
    auth = b"Basic " + base64.b64encode(KEY.encode())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "https", "path": "/1.0/contacts", "raw_path": b"/1.0/contacts", "query_string": b"",
             "root_path": "",
             "headers": [(b"authorization", auth), (b"content-type", b"application/vnd.maileon.api+xml")],
             "server": ("testserver", 443), "client": ("127.0.0.1", 1)}
    queue = list(messages)

    async def receive() -> dict[str, object]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(_message: dict[str, object]) -> None:
        return None

    asyncio.run(create_app(state)(scope, receive, send))


def _state() -> SimState:
    state = SimState(log_requests=True)
    state.add_key(KEY)
    return state


def test_a_whole_body_is_logged_as_complete() -> None:
    state = _state()
    _post(state, [{"type": "http.request", "body": BODY[:20], "more_body": True},
                  {"type": "http.request", "body": BODY[20:], "more_body": False}])
    [entry] = state.request_log
    assert (entry.body, entry.complete) == (BODY, True)
    assert state.sync_bodies() == [BODY]


def test_a_body_cut_off_by_a_disconnect_is_not_a_sent_body() -> None:
    state = _state()
    _post(state, [{"type": "http.request", "body": BODY[:20], "more_body": True}, {"type": "http.disconnect"}])
    [entry] = state.request_log
    assert (entry.body, entry.complete) == (BODY[:20], False)
    assert state.sync_bodies() == []
