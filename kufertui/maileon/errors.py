"""Typed errors of the Maileon client.

Every error carries a ``hint_id`` (key into the troubleshooting hint catalogue), the HTTP
method, the path (never the query string, never the key), the HTTP status if there was a
response, and the server's ``<error><message>`` text if any. No error text ever contains the
API key: the client scrubs server texts before building errors.
"""

from __future__ import annotations


class MaileonError(Exception):
    hint_id: str = "maileon-error"
    # The settings are wrong (key, its rights, the proxy login): only the admin can fix it, so a run
    # reports a configuration error (exit 2) instead of "unreachable".
    configuration: bool = False
    # set by the client when the request may have been carried out although no answer came (a read timeout,
    # a connection lost after sending): the caller reads its effect back instead of sending it again
    outcome_unknown: bool = False

    def __init__(
        self,
        message: str = "",
        *,
        method: str = "",
        path: str = "",
        status: int | None = None,
        detail: str = "",
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        self.message = message or self.__class__.__name__
        super().__init__(self.message)

    @property
    def retryable(self) -> bool:
        """Whether repeating the same request later may succeed."""
        return False

    @property
    def server_side(self) -> bool:
        """A failure of Maileon or the way to it, not an answer about this one request's contact (400, 404,
        409): what a later try may mend, and every 5xx (a phase of single calls stops when they keep coming)."""
        return self.retryable

    def __str__(self) -> str:
        where = f"{self.method} {self.path}".strip()
        parts = [self.message]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if where:
            parts.append(where)
        text = " | ".join(parts)
        if self.detail:
            text += f": {self.detail}"
        return text

    def technical(self) -> str:
        """The technical detail a message shows after "Details:": the request, the HTTP status and what the
        server (or the connection library) said, never the exception class as a headline."""
        where = f"{self.method} {self.path}".strip()
        parts = [p for p in (where, f"HTTP {self.status}" if self.status is not None else "") if p]
        said = self.detail
        if not said and self.status is None and self.message != type(self).__name__:
            said = self.message  # no detail and no answer: what went wrong with the connection
        head = ", ".join(parts)
        return f"{head}: {said}" if head and said else head or said

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(hint_id={self.hint_id!r}, method={self.method!r}, "
            f"path={self.path!r}, status={self.status!r}, detail={self.detail!r})"
        )


class AuthError(MaileonError):
    """401: key missing, invalid, expired, or account blocked."""

    hint_id = "key-invalid"
    configuration = True


class PermissionDeniedError(MaileonError):
    """403: the key lacks the privilege for this HTTP method."""

    hint_id = "key-rights"
    configuration = True


class ProxyError(MaileonError):
    """The proxy refused the connection or is unreachable ("Socket Error" in the vendor manual)."""

    hint_id = "proxy-socket"

    @property
    def retryable(self) -> bool:
        return True


class ProxyAuthError(MaileonError):
    """407: the proxy wants (other) credentials."""

    hint_id = "proxy-auth"
    configuration = True


class TLSError(MaileonError):
    """Certificate or handshake problem (e.g. a TLS-intercepting proxy without CA bundle)."""

    hint_id = "tls"


class NetworkError(MaileonError):
    """Connection refused, DNS failure, or connection dropped (no proxy involved)."""

    hint_id = "network"

    @property
    def retryable(self) -> bool:
        return True


class RequestTimeout(MaileonError):
    hint_id = "timeout"

    @property
    def retryable(self) -> bool:
        return True


class RateLimited(MaileonError):
    """429, still after all retries."""

    hint_id = "rate-limited"

    def __init__(self, *args: object, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return True


class ServerError(MaileonError):
    """5xx."""

    hint_id = "server-error"

    @property
    def retryable(self) -> bool:
        return self.status in (502, 503, 504)

    @property
    def server_side(self) -> bool:
        return True


class MalformedResponse(MaileonError):
    """The server answered 2xx, but the body is not what the API documents."""

    hint_id = "malformed-response"


class BadRequest(MaileonError):
    """400 (and other 4xx without a dedicated class): do not retry unchanged."""

    hint_id = "bad-request"


class NotFound(MaileonError):
    hint_id = "not-found"


class Conflict(MaileonError):
    hint_id = "conflict"


class ProtocolError(MalformedResponse):
    """The answers contradict each other or what was asked (a short page while ``X-Pages`` promises more,
    more pages than any sane account holds): nothing of them is taken, the run stops resumably."""

    hint_id = "maileon-protocol"


class ResponseTooLarge(MalformedResponse):
    """An answer larger than the client reads into memory (see ``transport.MAX_RESPONSE_BYTES``)."""

    hint_id = "response-too-large"


ALL_ERRORS: tuple[type[MaileonError], ...] = (
    AuthError, PermissionDeniedError, ProxyError, ProxyAuthError, TLSError, NetworkError,
    RequestTimeout, RateLimited, ServerError, MalformedResponse, BadRequest, NotFound, Conflict,
    ProtocolError, ResponseTooLarge,
)
