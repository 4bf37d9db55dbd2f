"""The settings as a typed model: sections, their defaults, the secrets that never show themselves, and
which present values are unusable (``Settings.problems``). Reading and writing the file: ``files.py``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from kufertui.core import connection, secrets
from kufertui.core.api_url import base_url_problem
from kufertui.core.contact import UPLOADABLE
from kufertui.core.dsn import dsn_problem, mask_dsn
from kufertui.core.legal import KNotice, k_notice_state
from kufertui.i18n import LANGUAGES

PERMISSIONS: dict[str, int] = {"none": 1, "soi": 2, "coi": 3, "doi": 4, "doi+": 5, "other": 6}


class Secret:
    """A string that never shows itself in repr, str, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str = "") -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def masked(self, *, tail: bool = False) -> str:
        """The mask in place of the value (core/secrets.py); ``tail``: with the end of a long API key."""
        return secrets.masked(self._value, tail=tail)

    def __repr__(self) -> str:
        return f"Secret({secrets.masked(self._value)!r})"

    __str__ = __repr__


@dataclass
class MaileonSettings:
    api_key: Secret = field(default_factory=Secret)
    base_url: str = connection.DEFAULT_BASE_URL
    connect_timeout: float = connection.CONNECT_TIMEOUT_S
    read_timeout: float = connection.READ_TIMEOUT_S
    batch_size: int = 1000
    batches_in_flight: int = connection.BATCHES_IN_FLIGHT
    single_call_concurrency: int = connection.SINGLE_CALLS_IN_FLIGHT
    requests_per_second: float = connection.REQUESTS_PER_SECOND  # for admins who know their contract
    import_field: str = "ImportAPI"


@dataclass
class ProxySettings:
    host: str = ""
    port: int = 0
    user: str = ""
    password: Secret = field(default_factory=Secret)

    def url(self) -> str | None:
        if not self.host:
            return None
        from urllib.parse import quote

        auth = ""
        if self.user:
            auth = quote(self.user, safe="") + ":" + quote(self.password.get(), safe="") + "@"
        host = self.host if "://" in self.host else f"http://{self.host}"
        scheme, _, rest = host.partition("://")
        port = f":{self.port}" if self.port and not re.search(r":[0-9]+/?$", rest) else ""
        return f"{scheme}://{auth}{rest.rstrip('/')}{port}"


_PROXY_HOST = re.compile(r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
                         r"(?P<name>[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]+))?/?")


def proxy_problem(host: str, port: int) -> str | None:
    """The message id of what is wrong with the proxy (None: none set, or usable): an http(s) proxy, a host
    name or address, the port a number from 1 to 65535 (in [proxy] port, or once in the host)."""
    if not host.strip():
        return None
    match = _PROXY_HOST.fullmatch(host.strip())
    if match is None:
        return "config.bad-proxy"
    if (match["scheme"] or "http").lower() not in ("http", "https"):
        return "config.bad-proxy-scheme"  # socks5:// needs an extra package, ftp:// is no proxy for HTTPS
    in_host = int(match["port"]) if match["port"] else None
    if in_host is not None and port and in_host != port:
        return "config.bad-proxy"  # two different ports
    if not 0 <= port <= 65535 or (in_host is not None and not 1 <= in_host <= 65535):
        return "config.bad-proxy-port"
    return None


@dataclass
class TLSSettings:
    ca_bundle: str = ""


@dataclass
class PermissionSettings:
    J: str = "doi"
    K: str = "other"


@dataclass
class UnsubscriberSettings:
    retention_days: int = 14
    push_objections: bool = True


@dataclass
class SourceSettings:
    kind: str = "file"  # "file" or "sql"
    profile: str = ""
    sql_dsn: str = ""
    sql_query: str = ""
    sql_writeback: str = ""

    def __repr__(self) -> str:  # the DSN's password stays out of reprs and tracebacks
        return (f"SourceSettings(kind={self.kind!r}, profile={self.profile!r}, "
                f"sql_dsn={mask_dsn(self.sql_dsn)!r}, sql_query={self.sql_query!r}, "
                f"sql_writeback={self.sql_writeback!r})")


@dataclass
class UISettings:
    language: str = "de"
    keymap: dict[str, str] = field(default_factory=dict)


@dataclass
class LegalSettings:
    k_notice_confirmed_on: str = ""  # ISO date the admin attested the § 7 Abs. 3 UWG objection notice


@dataclass
class Settings:
    maileon: MaileonSettings = field(default_factory=MaileonSettings)
    proxy: ProxySettings = field(default_factory=ProxySettings)
    tls: TLSSettings = field(default_factory=TLSSettings)
    permissions: PermissionSettings = field(default_factory=PermissionSettings)
    unsubscribers: UnsubscriberSettings = field(default_factory=UnsubscriberSettings)
    source: SourceSettings = field(default_factory=SourceSettings)
    ui: UISettings = field(default_factory=UISettings)
    legal: LegalSettings = field(default_factory=LegalSettings)
    fields: dict[str, str] = field(default_factory=dict)  # KUFER field id → Maileon field ("custom:Name")
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)  # KUFER field id → {raw: value}
    # "section.key" → (value from the environment, value from the file or _ABSENT): saving writes
    # the file's value back unless the user changed it, so environment secrets never reach the disk.
    from_env: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False, compare=False,
                                                 metadata={"section": False})

    def env_source(self, where: str) -> str | None:
        """The environment variable that set ``section.key`` over the file (None: file or default)."""
        if where not in self.from_env:
            return None
        section, key = where.split(".", 1)
        generic = f"KUFERTUI_{section.upper()}__{key.upper()}"
        short = {"maileon.api_key": "KUFERTUI_API_KEY", "maileon.base_url": "KUFERTUI_BASE_URL"}.get(where)
        return short if short and short in os.environ and generic not in os.environ else generic

    def problems(self) -> list[tuple[str, str]]:
        """(key, message id) for values that are present but unusable."""
        out: list[tuple[str, str]] = []
        for status in UPLOADABLE:  # a permission per status that is sent
            if getattr(self.permissions, status) not in PERMISSIONS:
                out.append((f"permissions.{status}", "config.bad-permission"))
        if not 1 <= self.maileon.batch_size <= 1000:
            out.append(("maileon.batch_size", "config.bad-batch-size"))
        if not 1 <= self.maileon.batches_in_flight <= 16:
            out.append(("maileon.batches_in_flight", "config.bad-in-flight"))
        if not 1 <= self.maileon.single_call_concurrency <= 32:
            out.append(("maileon.single_call_concurrency", "config.bad-single-calls"))
        if self.maileon.requests_per_second < 0:
            out.append(("maileon.requests_per_second", "config.bad-rate"))
        if self.unsubscribers.retention_days < 1:
            out.append(("unsubscribers.retention_days", "config.bad-retention"))
        if self.ui.language not in LANGUAGES:
            out.append(("ui.language", "config.bad-language"))
        if url_problem := base_url_problem(self.maileon.base_url):
            out.append(("maileon.base_url", url_problem))
        if k_notice_state(self.legal.k_notice_confirmed_on) is KNotice.MALFORMED:
            out.append(("legal.k_notice_confirmed_on", "config.bad-k-notice"))
        if proxy_message := proxy_problem(self.proxy.host, self.proxy.port):
            out.append(("proxy.host", proxy_message))
        if dsn_message := dsn_problem(self.source.sql_dsn):
            out.append(("source.sql_dsn", dsn_message))
        return out


def permission_code(settings: Settings, status: str) -> int:
    return PERMISSIONS[getattr(settings.permissions, status)]
