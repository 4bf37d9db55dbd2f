"""HTTP plumbing of the Maileon client: pacing (``rate.py``), retries with backoff, error mapping.

Kept separate from the API methods in ``client.py``. Nothing here logs or formats the API key;
server texts are scrubbed of it before they go into an error.
"""

from __future__ import annotations

import asyncio
import base64
import random
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from kufertui.core import secrets
from kufertui.core.terminal import printable

from .errors import (
    AuthError,
    BadRequest,
    Conflict,
    MaileonError,
    NetworkError,
    NotFound,
    PermissionDeniedError,
    ProxyAuthError,
    ProxyError,
    RateLimited,
    RequestTimeout,
    ResponseTooLarge,
    ServerError,
    TLSError,
)
from .options import ClientOptions
from .rate import RateController
from .xml import parse_error_message

XML_TYPE = "application/vnd.maileon.api+xml; charset=utf-8"
JSON_TYPE = "application/json"
# the largest answer read into memory (a 1000-contact page with every field is a few MB): a body beyond it
# is refused as a protocol error while it streams in, not after it has filled the memory
# (docs/maileon-assumptions.md, R10)
MAX_RESPONSE_BYTES = 16 * 2**20
# errors that prove a request never reached Maileon: resending it cannot make it land twice
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)

QueryValue = str | int | bool | Sequence[str | int]


def encode_params(params: Mapping[str, QueryValue | None] | None) -> list[tuple[str, str]]:
    """Repeated keys for lists, lowercase booleans, None dropped."""
    out: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out.append((key, "true" if value else "false"))
        elif isinstance(value, str | int):
            out.append((key, str(value)))
        else:
            out.extend((key, str(v)) for v in value)
    return out


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def _is_tls(exc: BaseException) -> bool:
    for e in _chain(exc):
        if isinstance(e, ssl.SSLError) or "SSL" in type(e).__name__ or "CERTIFICATE_VERIFY" in str(e):
            return True
    return False


def overload(resp: httpx.Response) -> bool:
    """Maileon refuses for load (429, or 503 that says when to come back): this, and only this, teaches the
    rate. A 503 without Retry-After, other 5xx and timeouts are an outage: retried, but they say nothing about
    how fast Maileon lets us go, and a day of them must not leave the next month at the floor rate."""
    return resp.status_code == 429 or (resp.status_code == 503 and _retry_after(resp) is not None)


def shown_header(value: str | None, limit: int = 40) -> str:
    """A response header as it may appear in an error, the journal or the log: control characters and
    direction marks escaped, at most ``limit`` characters (a header is the server's text, i.e. untrusted)."""
    text = printable(value or "")
    return text if len(text) <= limit else text[:limit] + "…"


def _retry_after(resp: httpx.Response) -> float | None:
    raw = resp.headers.get("Retry-After")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None  # HTTP-date form is not expected from Maileon [U]; fall back to backoff


class Http:
    """One ``httpx.AsyncClient`` plus retry/backoff/pacing and typed errors."""

    def __init__(self, options: ClientOptions, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.options = options
        self._secret_forms = self._secrets(options)
        verify: ssl.SSLContext | bool = True
        if options.ca_bundle:
            verify = ssl.create_default_context(cafile=options.ca_bundle)
        token = base64.b64encode(options.api_key.encode("utf-8")).decode("ascii")
        timeout = httpx.Timeout(options.read_timeout, connect=options.connect_timeout)
        self.client = httpx.AsyncClient(
            base_url=options.base_url.rstrip("/"),
            headers={"Authorization": f"Basic {token}", "User-Agent": options.user_agent},
            timeout=timeout,
            verify=verify,
            proxy=options.proxy if transport is None else None,
            transport=transport,
            limits=httpx.Limits(max_connections=max(8, options.max_in_flight * 2, options.single_in_flight)),
            trust_env=False,
        )
        self.rate = RateController(options.requests_per_second, options.start_rate)
        self.max_response_bytes = MAX_RESPONSE_BYTES

    @staticmethod
    def _secrets(options: ClientOptions) -> list[str]:
        return options.secret_forms()  # key and proxy credentials, plain, URL-encoded and base64

    def scrub(self, text: str) -> str:
        return secrets.scrub(text, self._secret_forms)

    async def aclose(self) -> None:
        await self.client.aclose()

    # ------------------------------------------------------------------ error mapping

    def map_exception(self, exc: httpx.HTTPError, method: str, path: str) -> MaileonError:
        kw: dict[str, Any] = {"method": method, "path": path}
        text = self.scrub(f"{type(exc).__name__}: {exc}")[:300]
        if _is_tls(exc):
            return TLSError("TLS handshake or certificate verification failed", detail=text, **kw)
        if isinstance(exc, httpx.TimeoutException):
            if isinstance(exc, httpx.ConnectTimeout) and self.options.proxy:
                return ProxyError("proxy did not answer in time", detail=text, **kw)
            return RequestTimeout("request timed out", detail=text, **kw)
        if isinstance(exc, httpx.ProxyError):
            if "407" in str(exc):
                return ProxyAuthError("proxy authentication required", status=407, detail=text, **kw)
            return ProxyError("proxy refused the connection", detail=text, **kw)
        if isinstance(exc, httpx.ConnectError):
            if self.options.proxy:
                return ProxyError("proxy unreachable", detail=text, **kw)
            return NetworkError("could not connect", detail=text, **kw)
        if isinstance(exc, httpx.TransportError):  # dropped connection, protocol errors
            return NetworkError("connection lost", detail=text, **kw)
        return NetworkError("HTTP error", detail=text, **kw)

    def map_status(self, resp: httpx.Response, method: str, path: str) -> MaileonError:
        status = resp.status_code
        detail = ""
        ctype = resp.headers.get("Content-Type", "")
        if "json" in ctype:
            try:
                body = resp.json()
                detail = str(body.get("message", body) if isinstance(body, dict) else body)
            except ValueError:
                detail = ""
        else:
            detail = parse_error_message(resp.content)
        detail = printable(self.scrub(detail)[:500])
        kw: dict[str, Any] = {"method": method, "path": path, "status": status, "detail": detail}
        cls: type[MaileonError]
        if status == 401:
            cls = AuthError
        elif status == 403:
            cls = PermissionDeniedError
        elif status == 404:
            cls = NotFound
        elif status == 407:
            cls = ProxyAuthError
        elif status == 409:
            cls = Conflict
        elif status == 429:
            return RateLimited("rate limited", retry_after=_retry_after(resp), **kw)
        elif status >= 500:
            cls = ServerError
        else:
            cls = BadRequest
        return cls(f"{cls.__name__}", **kw)

    # ------------------------------------------------------------------ the request loop

    def _note_answer(self, resp: httpx.Response, started: float) -> None:
        """Rate learning, kept apart from the retry decision: an overload answer slows every later request
        (and pauses them for ``Retry-After``), any other answer below 500 shows the pace was kept; an
        outage teaches nothing. Whether this one is retried is decided below as before."""
        if overload(resp):
            self.rate.refused(started, _retry_after(resp))
        elif resp.status_code < 500:
            self.rate.answered(started)

    def _backoff(self, attempt: int) -> float:
        cap = min(self.options.backoff_max_s, self.options.backoff_base_s * (2 ** attempt))
        return random.uniform(0.0, cap)  # full jitter

    async def _send(self, method: str, path: str, query: list[tuple[str, str]], content: bytes | None,
                    json_body: Any, headers: dict[str, str]) -> httpx.Response:
        """One request whose answer is read in chunks and refused beyond ``max_response_bytes``: a broken or
        hostile server cannot fill the memory (the declared Content-Length is checked first)."""
        limit = self.max_response_bytes
        request = self.client.build_request(method, path, params=query, content=content, json=json_body,
                                            headers=headers)
        resp = await self.client.send(request, stream=True)
        try:
            declared = resp.headers.get("Content-Length", "")
            if declared.strip().isdigit() and int(declared) > limit:
                raise self._too_large(resp, method, path, f"Content-Length {shown_header(declared, 20)}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():  # decoded: a compressed bomb is counted as it unpacks
                size += len(chunk)
                if size > limit:
                    raise self._too_large(resp, method, path, f"more than {limit} bytes")
                chunks.append(chunk)
        finally:
            await resp.aclose()
        # the body as read (already decoded: the encoding headers go, or it would be decoded twice)
        raw = [(k, v) for k, v in resp.headers.raw
               if k.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")]
        return httpx.Response(resp.status_code, headers=raw, content=b"".join(chunks), request=request)

    def _too_large(self, resp: httpx.Response, method: str, path: str, what: str) -> ResponseTooLarge:
        return ResponseTooLarge("response too large", method=method, path=path, status=resp.status_code,
                                detail=f"{what}, limit {self.max_response_bytes} bytes")

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue | None] | None = None,
        content: bytes | None = None,
        json_body: Any = None,
        json_api: bool = False,
        ok: Sequence[int] = (200, 201, 204),
        resend: bool = True,
    ) -> httpx.Response:
        """Send with pacing and retries; return a response whose status is in ``ok`` or raise.

        ``resend=False``: a request that may have reached Maileon without an answer (read timeout, connection
        lost after sending) is not sent again; its error is raised with ``outcome_unknown`` set, and the caller
        reads the effect back instead (a retried request could otherwise land twice, the first one late)."""
        media = JSON_TYPE if json_api else XML_TYPE
        # on every call, also without a body: the official clients do, and a strict server answers a bodiless
        # POST/DELETE without it with 415 (docs/maileon-assumptions.md, T1)
        headers = {"Accept": media, "Content-Type": media}
        query = encode_params(params)
        deadline = time.monotonic() + self.options.retry_budget_s
        attempt = 0
        while True:
            started = await self.rate.wait()
            error: MaileonError
            retry_after: float | None = None
            try:
                resp = await self._send(method, path, query, content, json_body, headers)
            except httpx.HTTPError as exc:
                error = self.map_exception(exc, method, path)
                cause: BaseException | None = exc
                if not resend and not isinstance(exc, _NOT_SENT):
                    error.outcome_unknown = True
                    raise error from cause
            else:
                self._note_answer(resp, started)
                if resp.status_code in ok:
                    return resp
                error = self.map_status(resp, method, path)
                cause = None
                if isinstance(error, RateLimited) or overload(resp):  # a 503 that says when: come back then
                    retry_after = _retry_after(resp)
            # the one retry decision: each error class says whether a later try may succeed
            if not error.retryable or attempt >= self.options.max_retries:
                raise error from cause
            # Retrying a POST /contacts whose response was lost is safe: sync_mode=1 upserts are
            # idempotent (the same body applied twice leaves the same state).
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            if time.monotonic() + wait > deadline:
                raise error from cause
            attempt += 1
            await asyncio.sleep(wait)
