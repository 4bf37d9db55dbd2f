"""The transport's bounds (issue 24.6, issue 25 item 4): an answer is refused beyond its size limit while it
streams in, a compressed bomb included; a request that may have landed is not sent again when asked so."""

from __future__ import annotations

import gzip

import httpx
import pytest

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.maileon.errors import NetworkError, RequestTimeout, ResponseTooLarge

KEY = "bounds-key-0123456789"


def client(handler: httpx.MockTransport) -> MaileonClient:
    options = ClientOptions(api_key=KEY, base_url="http://sim.invalid/1.0", max_retries=3, backoff_base_s=0.0,
                            backoff_max_s=0.0)
    return MaileonClient(options, transport=handler)


async def test_a_compressed_bomb_is_counted_as_it_unpacks() -> None:
    bomb = gzip.compress(b"<count>" + b"0" * (40 * 2**20) + b"</count>")
    assert len(bomb) < 100_000
    transport = httpx.MockTransport(lambda r: httpx.Response(
        200, content=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/vnd.maileon.api+xml"}))
    async with client(transport) as c:
        with pytest.raises(ResponseTooLarge) as caught:
            await c.contact_count()
    assert caught.value.hint_id == "response-too-large" and "/contacts/count" in str(caught.value)


async def test_a_small_compressed_answer_is_read_as_before() -> None:
    body = gzip.compress(b"<count>12</count>")
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body, headers={"Content-Encoding": "gzip"}))
    async with client(transport) as c:
        assert await c.contact_count() == 12


@pytest.mark.parametrize(("raised", "error"), [(httpx.ReadTimeout, RequestTimeout),
                                               (httpx.RemoteProtocolError, NetworkError)])
async def test_a_clear_whose_answer_is_lost_is_not_sent_again(raised: type[Exception], error: type[Exception]) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        raise raised("lost", request=request)

    async with client(httpx.MockTransport(handler)) as c:
        with pytest.raises(error) as caught:
            await c.clear_custom_field_values("ImportAPI", resend=False)
    assert seen == ["DELETE"] and caught.value.outcome_unknown  # type: ignore[attr-defined]


async def test_a_clear_that_never_left_is_sent_again() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200)

    async with client(httpx.MockTransport(handler)) as c:
        await c.clear_custom_field_values("ImportAPI", resend=False)
    assert seen == ["DELETE", "DELETE"]
