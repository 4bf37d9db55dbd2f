"""`kufertui serve`: the TUI in a browser page for the helpdesk, reachable on loopback only."""

from __future__ import annotations

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
    finally:
        proc.terminate()
        proc.wait(timeout=10)
