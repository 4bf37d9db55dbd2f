"""The one place that turns settings into a Maileon client (faces never build one themselves)."""

from __future__ import annotations

import httpx

from kufertui.config import Settings
from kufertui.core.hints import use_api_host
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions


def client_options(settings: Settings) -> ClientOptions:
    m = settings.maileon
    use_api_host(m.base_url)  # the connection hints name the host in use, not Maileon's default
    return ClientOptions(
        api_key=m.api_key.get(), base_url=m.base_url, proxy=settings.proxy.url(),
        ca_bundle=settings.tls.ca_bundle or None, connect_timeout=m.connect_timeout,
        read_timeout=m.read_timeout, requests_per_second=m.requests_per_second,
        max_in_flight=m.batches_in_flight)


def open_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> MaileonClient:
    """A client for these settings; use it as ``async with open_client(...) as client``."""
    return MaileonClient(client_options(settings), transport=transport)
