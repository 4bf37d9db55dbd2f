"""The one place that turns settings into a Maileon client (faces never build one themselves)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from kufertui.config import Settings
from kufertui.i18n import t
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions
from kufertui.store.workspace import Workspace

LEARNED_RATE_KEY = "maileon_learned_rate"


def client_options(settings: Settings) -> ClientOptions:
    m = settings.maileon
    return ClientOptions(
        api_key=m.api_key.get(), base_url=m.base_url, proxy=settings.proxy.url(),
        ca_bundle=settings.tls.ca_bundle or None, connect_timeout=m.connect_timeout,
        read_timeout=m.read_timeout, requests_per_second=m.requests_per_second,
        max_in_flight=m.batches_in_flight, single_in_flight=m.single_call_concurrency)


def open_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> MaileonClient:
    """A client for these settings; use it as ``async with open_client(...) as client``."""
    return MaileonClient(client_options(settings), transport=transport)


async def check_rights(settings: Settings, transport: httpx.AsyncBaseTransport | None = None, *,
                       quick: bool = False) -> dict[str, bool]:
    """The connection test: which API methods the key may call. Raises MaileonError when Maileon says no.

    ``quick`` tries once (a check should answer fast); a sync itself retries patiently.
    """
    options = client_options(settings)
    if quick:
        options.max_retries = 1
    async with MaileonClient(options, transport=transport) as client:
        return await client.check_rights()


def key_origin(settings: Settings) -> str:
    """Where the API key in use came from, for the hint when Maileon refuses it."""
    var = settings.env_source("maileon.api_key")
    return t("config.origin-env", var=var) if var else t("config.origin-file")


@contextlib.asynccontextmanager
async def learned_rate(client: MaileonClient, ws: Workspace,
                       say: Callable[..., None] | None = None) -> AsyncIterator[None]:
    """Start at the rate an earlier run learned (kept in the workspace), report each cut through ``say``
    (message key, level, hint id, params) and keep what was learned for the next run, however this ends."""
    raw = ws.get_meta(LEARNED_RATE_KEY)
    try:
        start = float(raw) if raw else None
    except ValueError:
        start = None
    if start and start > 0:
        client.rate.start_at(start)

    said: list[Any] = []

    def changed(rate: float) -> None:
        ws.set_meta(LEARNED_RATE_KEY, f"{rate:.3f}")
        if say is not None and said[-1:] != [_shown(rate)]:  # a storm cuts to the floor again and again: once
            said.append(_shown(rate))
            say("engine.rate-learned", "info", "rate-limited", rate=_shown(rate))

    client.rate.on_change = changed
    try:
        yield
    finally:
        client.rate.on_change = None
        learned = client.rate.learned
        if learned is not None:
            ws.set_meta(LEARNED_RATE_KEY, f"{learned:.3f}")


def _shown(rate: float) -> Any:
    return round(rate, 1) if rate < 10 else round(rate)
