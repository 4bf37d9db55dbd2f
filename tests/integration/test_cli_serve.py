"""`kufertui serve`: the TUI in a browser page for the helpdesk, reachable on loopback only."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _app_screen(url: str, timeout: float = 30) -> bytes:
    """Open the page's websocket (what the browser does): textual-serve then runs the command line,
    and the app's screen comes back. A command line the shell cannot run gives nothing."""
    import aiohttp

    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
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


def test_serve_binds_loopback_only(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "KUFERTUI_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "kufertui", "--lang", "en", "serve", "--port", str(port),
                             "--demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8", "replace")
            except OSError:
                time.sleep(0.2)
        assert "<html" in page.lower()
        listening = [c.laddr for c in psutil.Process(proc.pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN]
        assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening), listening
        assert b"E-mail" in asyncio.run(_app_screen(f"ws://127.0.0.1:{port}/ws?width=100&height=30"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
