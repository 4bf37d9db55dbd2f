"""`kufertui simulator --state-file`: what one simulator process was told survives into the next."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions

KEY = "state-file-test-key-0001"


def _start(state_file: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen([sys.executable, "-m", "kufertui", "simulator", "--port", str(port),
                             "--api-key", KEY, "--state-file", str(state_file)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/1.0"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("simulator did not start")


def test_state_is_saved_on_sigterm_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    state_file = tmp_path / "sim.json"
    proc, base = _start(state_file)
    try:
        async def first() -> None:
            async with MaileonClient(ClientOptions(api_key=KEY, base_url=base)) as client:
                assert await client.ensure_custom_field("ImportAPI", "boolean") is True
        asyncio.run(first())
    finally:
        proc.terminate()  # what systemd and the benchmark send
        assert proc.wait(timeout=20) == 0
    assert "ImportAPI" in json.loads(state_file.read_text(encoding="utf-8"))["custom_fields"]

    proc, base = _start(state_file)
    try:
        async def second() -> bool:
            async with MaileonClient(ClientOptions(api_key=KEY, base_url=base)) as client:
                return await client.ensure_custom_field("ImportAPI", "boolean")
        assert asyncio.run(second()) is False  # already there: created by the first process
    finally:
        proc.terminate()
        proc.wait(timeout=20)
