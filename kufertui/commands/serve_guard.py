"""`kufertui serve` behind a secret: only whoever holds the printed URL reaches the TUI.

On a shared terminal server every local user can connect to 127.0.0.1. So each start makes a
random secret; the whole application (page, websocket, static files, downloads) lives under
``/<secret>/``, and an aiohttp middleware refuses every request whose first path segment is not
the secret (compared in constant time), whose Host is not our loopback address and port (DNS
rebinding), or whose Origin is another site (a page elsewhere must not open our websocket).
The secret is never logged: aiohttp's access log is off and log records are scrubbed.

The port is bound before the URL is printed: a port another user already holds is an error, never a
squatter the helpdesk would hand the secret to. The page is our own (``serve_page``): it loads nothing
from outside and speaks the UI language.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import signal
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from kufertui.commands.serve_page import PAGE, content_security_policy, page_texts
from kufertui.core.secrets import scrub
from kufertui.i18n import language, t
from kufertui.platform import IS_WINDOWS

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


def _own_origin_only(port: int) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    policy = content_security_policy(port)

    async def headers(request: web.Request, response: web.StreamResponse) -> None:
        # nothing is loaded from elsewhere (the policy makes the browser hold to it); and should anything
        # ever leave, the secret URL does not go along as Referer
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"

    return headers


class PortTaken(OSError):
    """The port cannot be bound on 127.0.0.1 (held by another process, perhaps another user's)."""

    def __init__(self, port: int, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.port = port


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free one), bound before anything is printed.

    On Windows SO_EXCLUSIVEADDRUSE keeps another process from binding the same port beside us; on POSIX a
    port with a listener cannot be bound twice (SO_REUSEADDR only lets a restart reuse TIME_WAIT)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if IS_WINDOWS:
            sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_EXCLUSIVEADDRUSE", 0), 1)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PortTaken(port, exc) from None
    sock.set_inheritable(False)
    return sock


class _ScrubSecret(logging.Filter):
    """Removes the secret from every log record (an error handler might log a URL)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = scrub(message, [self.secret]), ()
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
        # our page instead of textual-serve's (which loads a font from a third-party service, in English)
        env = aiohttp_jinja2.setup(inner, loader=jinja2.DictLoader({"app_index.html": PAGE}), autoescape=True)
        env.globals.update(texts=page_texts(), lang=language())
        outer = web.Application(middlewares=[make_guard(self.secret, self.port)])
        outer.on_response_prepare.append(_own_origin_only(self.port))
        # URLs the page builds (ws, static) carry the prefix. aiohttp finds the sub-app by a dict
        # lookup of the path prefix (hashed), so routing leaks no byte-by-byte timing either.
        outer.add_subapp(f"/{self.secret}", inner)
        return outer

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: the command prints the URL itself (textual-serve would print the command line)."""

    def serve_on(self, sock: socket.socket) -> None:
        """textual-serve's serve(), on a socket bound already (it would bind only after we printed the URL)."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        except (NotImplementedError, RuntimeError):
            pass  # Windows: Ctrl+C arrives as KeyboardInterrupt
        web.run_app(self._make_app(), sock=sock, handle_signals=False, loop=loop, print=lambda *args: None)


def serve(command: str, *, port: int, secret: str, on_ready: Callable[[str, int], Any]) -> None:
    """Bind 127.0.0.1:``port`` (PortTaken if that fails), hand ``on_ready`` the URL to print and the port
    bound, then run until Ctrl+C. Nobody but us can answer at the URL once it is printed."""
    sock = bind(port)
    try:
        server = GuardedServer(command, port=sock.getsockname()[1], secret=secret)
        on_ready(server.url, server.port)
        server.serve_on(sock)
    finally:
        sock.close()
