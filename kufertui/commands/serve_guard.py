"""`kufertui serve` behind a secret: only whoever holds the printed URL reaches the TUI.

On a shared terminal server every local user can connect to 127.0.0.1. So each start makes a
random secret; the whole application (page, websocket, static files, downloads) lives under
``/<secret>/``, and an aiohttp middleware refuses every request whose first path segment is not
the secret (compared in constant time), whose Host is not our loopback address and port (DNS
rebinding), or whose Origin is another site (a page elsewhere must not open our websocket).
The secret is never logged: aiohttp's access log is off and log records are scrubbed.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from kufertui.i18n import t

LOOPBACK = "127.0.0.1"
SECRET_BYTES = 24  # 192 bits, URL-safe text of 32 characters

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"{LOOPBACK}:{port}", f"localhost:{port}"})


def allowed_origins(port: int) -> frozenset[str]:
    return frozenset(f"http://{host}" for host in allowed_hosts(port))


def _forbidden(text: str) -> web.Response:
    return web.Response(status=403, text=text + "\n", headers={"Cache-Control": "no-store"})


def _first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


def make_guard(secret: str, port: int) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    hosts, origins = allowed_hosts(port), allowed_origins(port)
    expected = secret.encode("ascii")

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host.lower() not in hosts:
            return _forbidden(t("cli.serve-bad-host", port=port))
        origin = request.headers.get("Origin")
        is_upgrade = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is not None or is_upgrade) and (origin or "").lower() not in origins:
            return _forbidden(t("cli.serve-bad-origin"))
        given = _first_segment(request.rel_url.raw_path).encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            return _forbidden(t("cli.serve-no-secret"))
        return await handler(request)

    return guard


async def _no_referrer(request: web.Request, response: web.StreamResponse) -> None:
    # the page loads a web font from another site: the secret URL must not go along as Referer
    response.headers["Referrer-Policy"] = "no-referrer"


class _ScrubSecret(logging.Filter):
    """Removes the secret from every log record (an error handler might log a URL)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "********"), ()
        return True


class GuardedServer(Server):
    """textual-serve's server with every route under ``/<secret>/`` behind :func:`make_guard`."""

    def __init__(self, command: str, *, port: int, secret: str, title: str = "kufertui") -> None:
        super().__init__(command, host=LOOPBACK, port=port, title=title)
        self.secret = secret

    @property
    def url(self) -> str:
        """The one URL that opens the TUI."""
        return f"{self.public_url}/{self.secret}/"

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").disabled = True  # request lines would carry the secret
        scrub = _ScrubSecret(self.secret)
        for handler in logging.getLogger().handlers:
            handler.addFilter(scrub)

    async def _make_app(self) -> web.Application:
        inner = await super()._make_app()
        outer = web.Application(middlewares=[make_guard(self.secret, self.port)])
        outer.on_response_prepare.append(_no_referrer)
        # URLs the page builds (ws, static) carry the prefix. aiohttp finds the sub-app by a dict
        # lookup of the path prefix (hashed), so routing leaks no byte-by-byte timing either.
        outer.add_subapp(f"/{self.secret}", inner)
        return outer

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: the command prints the URL itself (textual-serve would print the command line)."""


def serve(command: str, *, port: int, secret: str, on_ready: Callable[[str], Any]) -> None:
    """Run until Ctrl+C; ``on_ready`` gets the URL to print before the server starts."""
    server = GuardedServer(command, port=port, secret=secret)
    on_ready(server.url)
    server.serve()
