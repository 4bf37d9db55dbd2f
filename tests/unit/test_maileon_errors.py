"""Error mapping of the client, and the API key never leaking into error text or reprs."""

from __future__ import annotations

import base64
import ssl

import httpx
import pytest

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.maileon.errors import (
    ALL_ERRORS,
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
    ServerError,
    TLSError,
)

KEY = "Sup3r-Secret-Key-ABCDEFGH-0001"
B64 = base64.b64encode(KEY.encode()).decode()


def _opts(**kw: object) -> ClientOptions:
    base = dict(api_key=KEY, base_url="https://api.example.test/1.0", requests_per_second=0,
                max_retries=1, backoff_base_s=0.001, backoff_max_s=0.001)
    base.update(kw)
    return ClientOptions(**base)  # type: ignore[arg-type]


def _client(handler: object, **kw: object) -> MaileonClient:
    return MaileonClient(_opts(**kw), transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def _status(code: int, body: bytes | None = None) -> object:
    text = body or f"<error><message>bad key {KEY} / {B64}</message></error>".encode()

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == f"Basic {B64}"
        return httpx.Response(code, content=text, headers={"Content-Type": "application/vnd.maileon.api+xml"})
    return handler


def _raise(exc: Exception) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc
    return handler


def _assert_clean(err: BaseException) -> None:
    for text in (str(err), repr(err), str(err.args)):
        assert KEY not in text and B64 not in text


@pytest.mark.parametrize(("code", "cls", "hint"), [
    (400, BadRequest, "bad-request"), (401, AuthError, "key-invalid"),
    (403, PermissionDeniedError, "key-rights"), (404, NotFound, "not-found"), (409, Conflict, "conflict"),
    (407, ProxyAuthError, "proxy-auth"), (429, RateLimited, "rate-limited"), (500, ServerError, "server-error"),
    (503, ServerError, "server-error"),
])
async def test_status_mapping(code: int, cls: type[MaileonError], hint: str) -> None:
    async with _client(_status(code)) as client:
        with pytest.raises(cls) as info:
            await client.ping()
    err = info.value
    assert err.hint_id == hint and err.status == code and err.method == "GET" and err.path == "/ping"
    assert "bad key" in err.detail
    _assert_clean(err)


@pytest.mark.parametrize(("exc", "proxy", "cls"), [
    (httpx.ConnectError("Connection refused"), None, NetworkError),
    (httpx.ConnectError("Connection refused"), "http://user:pw@proxy.local:3128", ProxyError),
    (httpx.ProxyError("503 Service Unavailable"), "http://proxy.local:3128", ProxyError),
    (httpx.ProxyError("407 Proxy Authentication Required"), "http://u:pw@proxy.local:3128", ProxyAuthError),
    (httpx.ReadTimeout("timed out"), None, RequestTimeout),
    (httpx.RemoteProtocolError("peer closed connection"), None, NetworkError),
])
async def test_exception_mapping(exc: Exception, proxy: str | None, cls: type[MaileonError]) -> None:
    async with _client(_raise(exc)) as client:
        client.options.proxy = proxy  # mapping reads the option; the mock transport ignores it
        with pytest.raises(cls) as info:
            await client.ping()
    _assert_clean(info.value)
    assert info.value.status in (None, 407)


async def test_tls_error_from_cause_chain() -> None:
    cause = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    exc = httpx.ConnectError("handshake failed")
    exc.__cause__ = cause
    async with _client(_raise(exc)) as client:
        with pytest.raises(TLSError) as info:
            await client.ping()
    assert info.value.hint_id == "tls" and not info.value.retryable


async def test_malformed_xml_and_doctype() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]><count>&a;</count>'
    for body in (b"<count>12", bomb, b"<wrong>1</wrong>"):
        async with _client(lambda r, b=body: httpx.Response(200, content=b)) as client:
            with pytest.raises(MaileonError) as info:
                await client.contact_count()
        assert info.value.hint_id == "malformed-response"
        _assert_clean(info.value)


def test_retryable_flags() -> None:
    assert ServerError(status=503).retryable and not ServerError(status=500).retryable
    assert RateLimited().retryable and NetworkError().retryable and RequestTimeout().retryable
    assert not AuthError().retryable and not BadRequest().retryable
    assert len({c.hint_id for c in ALL_ERRORS}) == len(ALL_ERRORS)


def test_options_repr_masks_key_and_proxy_password() -> None:
    opts = _opts(proxy="http://alice:hunter2pw@proxy.local:3128")
    for text in (repr(opts), str(opts), repr(MaileonClient(opts))):
        assert KEY not in text and "hunter2pw" not in text
        assert "alice" in text and "proxy.local:3128" in text


async def test_key_never_in_any_error_from_simulator() -> None:
    from kufertui.simulator import SimState, create_app

    state = SimState.with_key("other-key-000000")
    transport = httpx.ASGITransport(app=create_app(state))
    async with MaileonClient(_opts(), transport=transport) as client:
        with pytest.raises(AuthError) as info:
            await client.ping()
    _assert_clean(info.value)
