"""The one place that turns settings into a Maileon client (faces never build one themselves)."""

from __future__ import annotations

import contextlib
import math
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from kufertui.config import Settings
from kufertui.i18n import t
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions
from kufertui.store.workspace import Workspace

LEARNED_RATE_KEY = "maileon_learned_rate"  # the last rate a run held without refusals (requests per second)
LEARNED_AT_KEY = "maileon_learned_rate_at"  # when it was held (UTC, ISO)
# A remembered rate doubles for every full hour since it was held, and is forgotten after a day: an overload
# passes, and a run that starts too fast relearns the limit within seconds, one that starts at a storm's
# floor crawls for hours. A resume minutes later starts where its run was.
RECOVERY_HOURS = 1.0
FORGET_AFTER_HOURS = 24.0


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
        options = options.for_a_check()
    async with MaileonClient(options, transport=transport) as client:
        return await client.check_rights()


def key_origin(settings: Settings) -> str:
    """Where the API key in use came from, for the hint when Maileon refuses it."""
    var = settings.env_source("maileon.api_key")
    return t("config.origin-env", var=var) if var else t("config.origin-file")


def remembered_rate(ws: Workspace, now: datetime | None = None) -> float | None:
    """The rate a run starts at: the last one held, recovered by the hours since (None: start unpaced).
    A rate kept without its time (older versions kept the last cut, often a storm's floor) is not used."""
    try:
        rate = float(ws.get_meta(LEARNED_RATE_KEY) or 0)
        held_at = datetime.fromisoformat(ws.get_meta(LEARNED_AT_KEY) or "")
    except ValueError:
        return None
    if rate <= 0:
        return None
    hours = max(0.0, ((now or datetime.now(UTC)) - held_at).total_seconds() / 3600)
    if hours >= FORGET_AFTER_HOURS:
        return None
    return rate * 2 ** math.floor(hours / RECOVERY_HOURS)


def _remember(ws: Workspace, client: MaileonClient) -> None:
    held = client.rate.held
    if held is not None:
        ws.set_meta(LEARNED_RATE_KEY, f"{held:.3f}")
        ws.set_meta(LEARNED_AT_KEY, datetime.now(UTC).isoformat(timespec="seconds"))


@contextlib.asynccontextmanager
async def learned_rate(client: MaileonClient, ws: Workspace,
                       say: Callable[..., None] | None = None) -> AsyncIterator[None]:
    """Start at the rate an earlier run held (kept in the workspace, recovered with time), report each cut
    through ``say`` (message key, level, hint id, params) and keep the last rate held for the next run,
    however this ends. A run that held no rate leaves the remembered one as it was."""
    start = remembered_rate(ws)
    if start:
        client.rate.start_at(start)

    said: list[Any] = []

    def changed(rate: float) -> None:
        _remember(ws, client)  # at each cut too: a killed run keeps what it had held
        if say is not None and said[-1:] != [_shown(rate)]:  # a storm cuts to the floor again and again: once
            said.append(_shown(rate))
            say("engine.rate-learned", "info", "rate-limited", rate=_shown(rate))

    client.rate.on_change = changed
    try:
        yield
    finally:
        client.rate.on_change = None
        _remember(ws, client)


def _shown(rate: float) -> Any:
    return round(rate, 1) if rate < 10 else round(rate)
