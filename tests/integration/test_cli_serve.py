"""`kufertui serve`: the TUI in a browser page for the helpdesk, reachable on loopback only, and only
for whoever holds the URL it prints (issue 14.2); Host and Origin are checked (issue 17.7)."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    url: str

    @property
    def secret(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]


def _status(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)


    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "kufertui", "--lang", "en", "serve", "--port", str(port),
                             "--demo", "--read-only"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=tmp_path)
    try:
        assert proc.stdout is not None
        url, seen = "", b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not url:
            line = proc.stdout.readline()
            seen += line
            found = re.search(rb"http://127\.0\.0\.1:\d+/\S+/", line)
            url = found.group(0).decode() if found else ""
        assert url, seen
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the URL is printed just before the socket opens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Served(proc, port, url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_binds_loopback_only_and_answers_only_the_printed_url(served: Served) -> None:
    assert len(served.secret) >= 22  # token_urlsafe: at least 128 bits
    status, page = _status(served.url)
    assert status == 200 and "<html" in page.lower()
    assert f"ws://127.0.0.1:{served.port}/{served.secret}/ws" in page  # the page's websocket carries it too
    with urllib.request.urlopen(served.url, timeout=5) as response:  # the page loads a font from elsewhere
        assert response.headers["Referrer-Policy"] == "no-referrer"
    for wrong in ("", "nope/", served.secret[:-1] + "/", served.secret.swapcase() + "/", "static/js/textual.js"):
        assert _status(f"http://127.0.0.1:{served.port}/{wrong}")[0] in (401, 403), wrong
    assert "printed" in _status(f"http://127.0.0.1:{served.port}/")[1]  # says what to do (English here)
    assert _status(served.url, Host=f"evil.example:{served.port}")[0] == 403  # DNS rebinding
    assert _status(served.url, Host="127.0.0.1:1")[0] == 403
    assert _status(served.url, Origin="http://evil.example")[0] == 403
    listening = [c.laddr for c in psutil.Process(served.proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening), listening


async def _websocket(url: str, origin: str | None, while_open: Callable[[], object] = lambda: None) -> str:
    """'refused 403' when the upgrade fails, else the first message's kind."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url + "?width=80&height=24", headers=headers) as ws:
                message = await asyncio.wait_for(ws.receive(), timeout=30)
                while_open()
                return message.type.name
        except aiohttp.WSServerHandshakeError as exc:
            return f"refused {exc.status}"


async def _app_screen(url: str, origin: str, timeout: float = 30) -> bytes:
    """Open the page's websocket (what the browser does): textual-serve then runs the command line,
    and the app's screen comes back. A command line the shell cannot run gives nothing."""
    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url, headers={"Origin": origin}) as ws:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while b"E-mail" not in seen and loop.time() < deadline:
            try:  # short waits: the server's heartbeat pings would restart a long one for ever
                msg = await ws.receive(timeout=1)
            except TimeoutError:
                continue
            if msg.type == aiohttp.WSMsgType.BINARY:
                seen += msg.data
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return seen


def test_websocket_needs_the_secret_and_our_origin(served: Served) -> None:
    origin = f"http://127.0.0.1:{served.port}"
    bare = f"ws://127.0.0.1:{served.port}/ws"
    good = f"ws://127.0.0.1:{served.port}/{served.secret}/ws"
    assert asyncio.run(_websocket(bare, origin)) == "refused 403"
    assert asyncio.run(_websocket(good.replace(served.secret, "x" * len(served.secret)), origin)) == "refused 403"
    assert asyncio.run(_websocket(good, "http://evil.example")) == "refused 403"
    assert asyncio.run(_websocket(good, None)) == "refused 403"  # browsers always send Origin
    assert asyncio.run(_websocket(good, f"http://localhost:{served.port}")) in ("TEXT", "BINARY")
    # the app really starts behind it (a command line the shell cannot run would show nothing)
    assert b"E-mail" in asyncio.run(_app_screen(good + "?width=100&height=30", origin))


def test_the_secret_is_in_no_log_and_no_command_line(served: Served) -> None:
    _status(served.url)
    _status(f"http://127.0.0.1:{served.port}/nope/")
    commands: list[str] = []

    def look() -> None:
        server = psutil.Process(served.proc.pid)
        commands.extend(" ".join(p.cmdline()) for p in [server, *server.children(recursive=True)])

    asyncio.run(_websocket(f"ws://127.0.0.1:{served.port}/{served.secret}/ws", f"http://127.0.0.1:{served.port}",
                           look))
    assert any("--read-only" in c for c in commands[1:]), commands  # the app itself runs read-only
    assert not any(served.secret in c for c in commands)
    served.proc.terminate()
    out, err = served.proc.communicate(timeout=10)  # stdout past the printed URL: textual-serve logs there
    assert served.secret not in out.decode("utf-8", "replace") + err.decode("utf-8", "replace")


def _serve(tmp_path: Path, port: int, lang: str = "de") -> subprocess.Popen[bytes]:
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "kufertui", "--lang", lang, "serve", "--port", str(port),
                             "--demo", "--read-only"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=tmp_path)


def test_a_taken_port_is_a_clear_error_and_no_secret_is_printed(tmp_path: Path) -> None:
    """Issue 24.6: the URL was printed before the port was bound; when another user held the port, the
    helpdesk would have handed the secret to the squatter."""
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen(1)
    port = int(squatter.getsockname()[1])
    try:
        proc = _serve(tmp_path, port, lang="en")
        out, err = proc.communicate(timeout=60)
    finally:
        squatter.close()
    text = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    assert proc.returncode == 2, text
    assert f"Port {port} on 127.0.0.1 is taken" in text and "--port" in text
    assert "http://" not in text and "Traceback" not in text


def _urls(text: str) -> list[str]:
    """Every address a page or stylesheet would load: src/href attributes, CSS url(…) and @import."""
    found = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", text)
    found += re.findall(r"""url\(\s*["']?([^"')]+)""", text)
    found += re.findall(r"""@import\s+["']([^"']+)""", text)
    return found


def test_the_page_loads_nothing_from_outside_and_speaks_the_ui_language(tmp_path: Path) -> None:
    """Issue 24.6: textual-serve's page fetched a font from a third-party service (the helpdesk's IP address
    went there; the server often has no internet) and said "Start", "Session ended", "Restart"."""
    port = _free_port()
    proc = _serve(tmp_path, port, lang="de")
    try:
        assert proc.stdout is not None
        url = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not url:
            found = re.search(rb"http://127\.0\.0\.1:\d+/\S+/", proc.stdout.readline())
            url = found.group(0).decode() if found else ""
        assert url  # printed once the port is bound: the page answers at once
        with urllib.request.urlopen(url, timeout=5) as response:
            page = response.read().decode("utf-8")
            policy = response.headers["Content-Security-Policy"]
        assert '<html lang="de">' in page
        assert "Sitzung beendet." in page and "Neu starten" in page and "Starten" in page
        assert "Session ended" not in page and "Restart" not in page
        assert "googleapis" not in page and "gstatic" not in page
        loaded = _urls(page)
        stylesheet = next(u for u in loaded if u.endswith("xterm.css"))
        assert _status(stylesheet)[0] == 200
        loaded += _urls(_status(stylesheet)[1])
        font = next(u for u in loaded if u.endswith(".ttf"))
        assert _status(font)[0] == 200  # the font comes from this server
        own = f"http://127.0.0.1:{port}/"
        assert loaded and all(u.startswith(own) or not re.match(r"(?i)[a-z][a-z0-9+.-]*:|//", u)
                              for u in loaded), loaded
        assert "default-src 'self'" in policy and "https:" not in policy and "*" not in policy
    finally:
        proc.terminate()
        proc.wait(timeout=10)
