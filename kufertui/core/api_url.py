"""The rule for the Maileon API address, shared by the settings check at load, doctor and the settings screen."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def base_url_problem(url: str) -> str | None:
    """The message id of what is wrong with a Maileon API address, or None: http(s) with a host,
    and plain http only on this machine (the simulator, a local tunnel)."""
    try:
        parts = urlsplit(url.strip())
        host, _port = parts.hostname, parts.port  # .port raises on "host:abc" or a port past 65535
    except ValueError:
        return "config.bad-url"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "config.bad-url"
    if parts.scheme.lower() == "http" and not _loopback(host):
        return "config.insecure-url"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # 127.0.0.1, ::1; not "127.example.com"
    except ValueError:
        return False
