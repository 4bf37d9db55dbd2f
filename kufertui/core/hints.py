"""What a troubleshooting hint is, and how its text names the Maileon host in use.

Every error the tool shows carries a hint id (see ``kufertui.maileon.errors`` and the sync engine); the
hints themselves, in German and English, are texts of the catalogue (kufertui/messages/hints.py), where the
TUI handbook and ``kufertui doctor`` look them up.

Pure data, no I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kufertui.core import connection

DEFAULT_API_HOST = connection.DEFAULT_API_HOST
HOST_PLACEHOLDER = "{host}"  # where a hint text names the Maileon host in use
# and the scheme ("HTTPS") and port ("443") a connection to it uses, so a firewall hint names what is blocked
SCHEME_PLACEHOLDER, PORT_PLACEHOLDER = "{scheme}", "{port}"
_DEFAULT_PORTS = {"https": 443, "http": 80}


class ApiHost(str):
    """The host (and port, if any) as the hints name it; it also knows the scheme and port in use."""

    scheme: str
    port: int

    def __new__(cls, host: str, scheme: str = "https", port: int | None = None) -> ApiHost:
        obj = super().__new__(cls, host)
        obj.scheme = scheme
        obj.port = port if port is not None else _DEFAULT_PORTS.get(scheme, 443)
        return obj


def api_host_of(base_url: str) -> str:
    """The host (and port, if any) of ``base_url``, as the connection hints name it: a base_url may point
    elsewhere than Maileon's default (a test system, a local simulator, a reverse proxy)."""
    try:
        parts = urlsplit(base_url)
        host = parts.hostname or ""
        port = parts.port
        if host and port is not None:
            host = f"{host}:{port}"
        scheme = parts.scheme.lower() if parts.scheme.lower() in _DEFAULT_PORTS else "https"
    except ValueError:
        host, port, scheme = "", None, "https"
    if not host:
        return ApiHost(DEFAULT_API_HOST)
    return ApiHost(host, scheme, port)


def _scheme_and_port(host: str) -> tuple[str, str]:
    if isinstance(host, ApiHost):
        return host.scheme.upper(), str(host.port)
    _, colon, port = host.rpartition(":")  # a plain "host" or "host:port": HTTPS, as Maileon is reached
    return "HTTPS", port if colon and port.isdigit() else "443"


def with_host(text: str, host: str = DEFAULT_API_HOST) -> str:
    scheme, port = _scheme_and_port(host)
    return text.replace(HOST_PLACEHOLDER, host).replace(SCHEME_PLACEHOLDER, scheme).replace(PORT_PLACEHOLDER, port)


@dataclass(frozen=True)
class Hint:
    id: str
    title_de: str
    title_en: str
    cause_de: str
    cause_en: str
    fix_de: str
    fix_en: str

    def title(self, lang: str = "de", host: str = DEFAULT_API_HOST) -> str:
        return with_host(self.title_en if lang == "en" else self.title_de, host)

    def cause(self, lang: str = "de", host: str = DEFAULT_API_HOST) -> str:
        return with_host(self.cause_en if lang == "en" else self.cause_de, host)

    def fix(self, lang: str = "de", host: str = DEFAULT_API_HOST) -> str:
        return with_host(self.fix_en if lang == "en" else self.fix_de, host)


def maileon_code_hint_id(code: int) -> str:
    """Hint id for a Maileon invalid-contact code."""
    return f"maileon-code-{int(code)}"


__all__ = ["DEFAULT_API_HOST", "Hint", "api_host_of", "maileon_code_hint_id", "with_host"]
