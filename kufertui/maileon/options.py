"""Connection and retry settings of the Maileon client: how often and how long a request is tried again
(which errors are retried is each error class's ``retryable``, maileon/errors.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from kufertui.core import connection, secrets

CHECK_RETRIES = 1  # a check that must answer fast (the connection test) tries again once at most


def mask_proxy_url(url: str | None) -> str | None:
    """Replace the password of a proxy URL with the mask (user name stays visible)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid proxy url>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:{secrets.MASK}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass
class ClientOptions:
    """Everything the client needs to talk to Maileon.

    ``repr`` masks the API key and the proxy password, so options can be logged safely.
    """

    api_key: str = field(repr=False)
    base_url: str = connection.DEFAULT_BASE_URL
    proxy: str | None = field(default=None, repr=False)  # full URL incl. credentials
    ca_bundle: str | None = None
    connect_timeout: float = connection.CONNECT_TIMEOUT_S
    read_timeout: float = connection.READ_TIMEOUT_S
    max_retries: int = 5
    retry_budget_s: float = 120.0
    requests_per_second: float = connection.REQUESTS_PER_SECOND  # <= 0: none (learned from 429/503)
    max_in_flight: int = connection.BATCHES_IN_FLIGHT  # sync batches at once
    single_in_flight: int = connection.SINGLE_CALLS_IN_FLIGHT  # single-contact calls at once
    start_rate: float | None = None  # requests per second learned by an earlier run; None: start unpaced
    backoff_base_s: float = 0.5  # first retry waits uniform(0, base), then doubling (full jitter)
    backoff_max_s: float = 30.0
    user_agent: str = "kufertui"

    def __repr__(self) -> str:
        return (
            f"ClientOptions(base_url={self.base_url!r}, api_key={secrets.masked(self.api_key, tail=True)!r}, "
            f"proxy={mask_proxy_url(self.proxy)!r}, ca_bundle={self.ca_bundle!r}, "
            f"connect_timeout={self.connect_timeout}, read_timeout={self.read_timeout}, "
            f"max_retries={self.max_retries}, retry_budget_s={self.retry_budget_s}, "
            f"requests_per_second={self.requests_per_second}, max_in_flight={self.max_in_flight}, "
            f"single_in_flight={self.single_in_flight}, start_rate={self.start_rate})"
        )

    __str__ = __repr__

    def for_a_check(self) -> ClientOptions:
        """These options for a check that must answer fast: CHECK_RETRIES instead of a run's patience."""
        return replace(self, max_retries=min(self.max_retries, CHECK_RETRIES))

    def secret_forms(self) -> list[str]:
        """The API key and the proxy credentials in every encoding they are sent in (for scrubbing)."""
        return secrets.unique([*secrets.api_key_forms(self.api_key),
                               *secrets.url_password_forms(self.proxy or "")])
