"""The one place that turns settings into a Maileon client (faces never build one themselves)."""

from __future__ import annotations

import httpx

from kufertui.config import Settings
from kufertui.i18n import t
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions


def client_options(settings: Settings) -> ClientOptions:
    m = settings.maileon
    return ClientOptions(
        api_key=m.api_key.get(), base_url=m.base_url, proxy=settings.proxy.url(),
        ca_bundle=settings.tls.ca_bundle or None, connect_timeout=m.connect_timeout,
        read_timeout=m.read_timeout, requests_per_second=m.requests_per_second,
        max_in_flight=m.batches_in_flight)


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
