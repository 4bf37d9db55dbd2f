"""The simulator's ASGI app: ``create_app(state, faults=None)``.

Everything Maileon-like lives under ``/1.0``; a small control API under ``/_sim/`` (no auth,
loopback only) lets tests in other processes drive the simulator.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from . import routes_contacts, routes_reports
from .faults import FaultRule, Faults, FaultSpecError, apply_modes, mode_values, parse_faults
from .state import LoggedRequest, SimState
from .web import ApiError, api_error_response, error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/1.0"
MALFORMED_BODY = b"<?xml version='1.0' encoding='UTF-8'?>\n<report><success>tr<count_contacts>"


class SimulatedDrop(httpx.RemoteProtocolError):
    """Raised to close the connection without a complete response.

    Over a socket uvicorn closes the transport (the client sees a RemoteProtocolError); in
    process, httpx.ASGITransport re-raises it, and since it *is* a RemoteProtocolError the client
    handles it exactly like a dropped connection.
    """

    def __init__(self) -> None:
        super().__init__("simulated dropped connection")


def key_from_header(value: str | None) -> str | None:
    """``Basic base64(key)`` or ``Basic base64(key + ":")`` → key candidate."""
    if not value or not value.lower().startswith("basic "):
        return None
    try:
        return base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that hands the already-read body to the app, then continues with ``receive``."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _x_pages_as(mode: str, send: Send) -> Send:
    """The ``x-pages`` mode: paged answers without the header ("omit") or with the value given."""
    async def rewritten(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])]
            if any(k.lower() == b"x-pages" for k, _ in headers):
                headers = [(k, v) for k, v in headers if k.lower() != b"x-pages"]
                if mode != "omit":
                    headers.append((b"x-pages", mode.encode("latin-1", "replace")))
                message = {**message, "headers": headers}
        await send(message)

    return rewritten


def _answer_not_before(deadline: float, send: Send) -> Send:
    """The global ``delay=S``: every answer leaves S seconds after the request was taken up, the work done
    within that time, as a service answers that works on concurrent requests side by side. Working first and
    waiting after would add this single process's CPU time, queued request by request, to every answer."""
    async def held_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            wait = deadline - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)
        await send(message)

    return held_send


class SimMiddleware:
    def __init__(self, app: ASGIApp, state: SimState, faults: Faults) -> None:
        self.app = app
        self.state = state
        self.faults = faults
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, monotonic time of last refill)

    def _rate_limited(self, key: str) -> float | None:
        """Token bucket per key (capacity: one second's worth); seconds to wait when the request is over."""
        rate = self.faults.rate_per_s or self.state.rate_limit
        if rate <= 0:
            return None
        now = time.monotonic()
        with self.state.lock:
            tokens, last = self._buckets.get(key, (rate, now))
            tokens = min(rate, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            self.state.rate_limited += 1
            return (1.0 - tokens) / rate

    def _account_key(self, raw: str | None) -> str | None:
        if raw is None:
            return None
        if raw in self.state.accounts:
            return raw
        if raw.endswith(":") and raw[:-1] in self.state.accounts:
            return raw[:-1]
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        rel = path[len(API_PREFIX):] or "/"
        self.state.apply_due_clears()  # a late DELETE …/values lands before whatever comes after its time
        if self.state.report_x_pages:
            send = _x_pages_as(self.state.report_x_pages, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        key = self._account_key(key_from_header(headers.get("authorization")))
        fired = self.faults.select(method, rel)
        if key is not None and any(r.kind == "revoke" for r in fired):
            self.state.revoke_key(key)
        held = sum(r.number("seconds", 1.0) for r in fired if r.kind == "delay")
        if held > 0:
            # a held request: nothing of it happens before its delay is over (how a timed-out request
            # lands late). The body travels meanwhile (read now, not after, when a client busy with its
            # next batch would add its own delay on top)
            body = asyncio.ensure_future(self._read_body(receive))
            try:
                await asyncio.sleep(held)
            except BaseException:
                body.cancel()
                raise
            receive = _replay(await body, receive)
        if self.faults.delay_s > 0:
            send = _answer_not_before(asyncio.get_running_loop().time() + self.faults.delay_s, send)
        if self.state.log_requests:
            receive = await self._logged(scope, receive, method, rel, headers.get("authorization"))
        fault = next((r for r in fired if r.kind not in ("revoke", "delay")), None)
        if fault is not None and fault.kind[0].isdigit():
            await self._status_fault(fault, scope, receive, send)
            return
        account = self.state.accounts.get(key) if key is not None else None
        if account is None or account.revoked:
            resp = error_response(401, "Unauthorized: API key missing, invalid or expired")
            await resp(scope, receive, send)
            return
        with self.state.lock:
            self.state.requests_seen += 1
        wait = self._rate_limited(key) if key is not None else None
        if wait is not None:
            resp = error_response(429, "too many requests")
            resp.headers["Retry-After"] = str(max(1, math.ceil(wait)))  # whole seconds, as HTTP has it
            await resp(scope, receive, send)
            return
        needed = "GET" if method in ("HEAD", "OPTIONS") else method
        if needed not in account.rights:
            await error_response(403, f"API key lacks the {needed} privilege")(scope, receive, send)
            return
        strict = self.faults.strict_media or self.state.strict_media
        if strict and method in ("POST", "PUT", "DELETE") and not headers.get("content-type"):
            # what a strict server answers to a write without a media type, with or without a body
            await error_response(415, "Content-Type missing")(scope, receive, send)
            return
        if fault is not None and fault.kind == "bloat":
            await self._bloat(fault, send)
        elif fault is not None and fault.kind == "drop":
            await self._drop(fault, scope, receive, send)
        elif fault is not None and fault.kind == "malformed":
            await self._malformed(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _logged(self, scope: Scope, receive: Receive, method: str, rel: str,
                      authorization: str | None) -> Receive:
        """Read the whole body into the log, then replay it to the app."""
        body, complete = await self._read_whole_body(receive)
        self.state.log_request(LoggedRequest(method, rel, scope.get("query_string", b"").decode("latin-1"),
                                             authorization, body, complete))
        return _replay(body, receive)

    @classmethod
    async def _read_body(cls, receive: Receive) -> bytes:
        return (await cls._read_whole_body(receive))[0]

    @staticmethod
    async def _read_whole_body(receive: Receive) -> tuple[bytes, bool]:
        """The body and whether all of it arrived (False: the client disconnected first)."""
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), False
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks), True

    async def _status_fault(self, fault: FaultRule, scope: Scope, receive: Receive, send: Send) -> None:
        status = int(fault.kind)
        resp = error_response(status, f"simulated {status}")
        if status == 429:
            ra = fault.opts.get("retry-after", "1")
            if ra != "none":
                resp.headers["Retry-After"] = ra
        elif status == 503 and fault.opts.get("retry-after", "none") != "none":
            resp.headers["Retry-After"] = fault.opts["retry-after"]  # overload, not an outage
        await resp(scope, receive, send)

    async def _drop(self, fault: FaultRule, scope: Scope, receive: Receive, send: Send) -> None:
        if fault.opts.get("when", "after") != "before":
            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)  # the request is applied, the answer is lost
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/vnd.maileon.api+xml"),
                                (b"content-length", b"4096")]})
        await send({"type": "http.response.body", "body": b"<report>", "more_body": True})
        raise SimulatedDrop()

    @staticmethod
    async def _bloat(fault: FaultRule, send: Send) -> None:
        """A 200 answer of ``bytes`` bytes (an XML start, then a comment that never ends), streamed in 1 MiB
        chunks and never held: what a broken or hostile server sends without end (docs/maileon-assumptions.md, R10)."""
        total = int(fault.number("bytes", 1_500_000_000))
        headers = [(b"content-type", b"application/vnd.maileon.api+xml")]
        if fault.opts.get("length", "none") == "declared":
            headers.append((b"content-length", str(total).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        head = b"<?xml version='1.0' encoding='UTF-8'?>\n<unsubscriptions><!--"
        chunk = b"x" * 2**20
        sent = 0
        while sent < total:
            part = head if sent == 0 else chunk[:total - sent]
            sent += len(part)
            await send({"type": "http.response.body", "body": part, "more_body": sent < total})

    async def _malformed(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Process normally, then replace the body with garbage (status and headers kept)."""
        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                hdrs = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                hdrs.append((b"content-length", str(len(MALFORMED_BODY)).encode()))
                await send({**message, "headers": hdrs})
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await send({"type": "http.response.body", "body": MALFORMED_BODY})

        await self.app(scope, receive, rewrite)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return api_error_response(exc)


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    return error_response(status, "not found" if status == 404 else "method not allowed")


# ---------------------------------------------------------------------------------- /_sim control


def _state(request: Request) -> SimState:
    return request.app.state.sim  # type: ignore[no-any-return]


async def sim_unsubscribe(request: Request) -> Response:
    email = request.query_params.get("email", "")
    ok = _state(request).recipient_unsubscribes(email, source=request.query_params.get("source", "link"))
    return JSONResponse({"unsubscribed": ok}, status_code=200 if ok else 404)


async def sim_clock(request: Request) -> Response:
    state = _state(request)
    state.clock.advance(days=float(request.query_params.get("advance_days", "0")),
                        seconds=float(request.query_params.get("advance_seconds", "0")))
    return JSONResponse({"now_ms": state.clock.now_ms()})


async def sim_seed(request: Request) -> Response:
    q = request.query_params
    contact = _state(request).seed_contact(q["email"], external_id=q.get("external_id"),
                                           permission=int(q.get("permission", "4")))
    return JSONResponse({"id": contact.id}, status_code=201)


async def sim_state(request: Request) -> Response:
    state = _state(request)
    state.apply_due_clears()
    return JSONResponse({**state.summary(), "modes": mode_values(state)})


async def sim_faults(request: Request) -> Response:
    try:
        new = parse_faults(request.query_params.get("spec", ""))
    except FaultSpecError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    current: Faults = request.app.state.faults
    current.rules, current.delay_s = new.rules, new.delay_s
    current.rate_per_s, current.strict_media = new.rate_per_s, new.strict_media
    apply_modes(_state(request), new.modes)
    return JSONResponse({"rules": len(new.rules), "delay_s": new.delay_s, "modes": new.modes})


async def sim_modes(request: Request) -> Response:
    """``GET``: every mode and its value; ``POST ?NAME=VALUE&…``: set them (400 for an unknown one)."""
    state = _state(request)
    if request.method == "POST":
        try:
            apply_modes(state, dict(request.query_params))
        except FaultSpecError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse(mode_values(state))


def create_app(state: SimState, faults: Faults | str | None = None) -> Starlette:
    fault_obj = faults if isinstance(faults, Faults) else parse_faults(faults)
    apply_modes(state, fault_obj.modes)
    api_routes = routes_reports.ROUTES + routes_contacts.ROUTES + routes_contacts.LEGACY_ROUTES
    control = [
        Route("/unsubscribe", sim_unsubscribe, methods=["POST"]),
        Route("/clock", sim_clock, methods=["POST"]),
        Route("/seed", sim_seed, methods=["POST"]),
        Route("/state", sim_state, methods=["GET"]),
        Route("/faults", sim_faults, methods=["POST"]),
        Route("/modes", sim_modes, methods=["GET", "POST"]),
    ]
    app = Starlette(
        routes=[Mount(API_PREFIX, routes=api_routes), Mount("/_sim", routes=control)],
        middleware=[Middleware(SimMiddleware, state=state, faults=fault_obj)],
        exception_handlers={ApiError: _api_error, 404: _not_found, 405: _not_found},
    )
    app.state.sim = state
    app.state.faults = fault_obj
    return app
