"""`kufertui simulator` says where it listens and how to point kufertui at it; its --faults help describes the
syntax instead of pointing into the source tree (issue 26.21)."""

from __future__ import annotations

import asyncio
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sync_helpers import REPO

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions


def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    return {**clean, "KUFERTUI_HOME": str(tmp_path), "KUFERTUI_CONFIG": str(tmp_path / "none.toml"),
            "PYTHONUNBUFFERED": "1"}


def first_lines(proc: subprocess.Popen[str], count: int = 4, timeout: float = 20) -> list[str]:
    """The first lines a running process prints (fewer if it prints less within the timeout: never hangs)."""
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stdout = proc.stdout
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in stdout], daemon=True).start()
    got: list[str] = []
    try:
        while len(got) < count:
            got.append(lines.get(timeout=timeout))
    except queue.Empty:
        pass
    return got


def started(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    """The simulator on a port the OS picks; its first four lines (printed before it serves)."""
    proc = subprocess.Popen([sys.executable, "-m", "kufertui", *args, "simulator", "--port", "0"], cwd=REPO,
                            env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, first_lines(proc)


@pytest.mark.windows_incompatible(reason="terminate() is TerminateProcess on Windows: no clean stop")
def test_the_simulator_prints_its_url_and_how_to_use_it(tmp_path: Path) -> None:
    proc, lines = started(tmp_path)
    try:
        assert len(lines) == 4, lines
        assert lines[0].startswith("Maileon-Simulator läuft: http://127.0.0.1:"), lines
        url = lines[0].rsplit(" ", 1)[1]
        assert url.endswith("/1.0") and not url.endswith(":0/1.0")  # the port it really listens on
        assert lines[1] == "API-Key des Simulators: sim-api-key-0000"
        assert lines[2].endswith(f"KUFERTUI_BASE_URL={url} KUFERTUI_API_KEY=sim-api-key-0000 kufertui doctor")
        assert lines[3] == "Beenden mit Strg+C."

        async def fields() -> dict[str, str]:
            async with MaileonClient(ClientOptions(api_key="sim-api-key-0000", base_url=url)) as client:
                return await client.list_custom_fields()

        assert asyncio.run(fields()) == {}  # the URL and the key printed are the ones that work
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.windows_incompatible(reason="terminate() is TerminateProcess on Windows: no clean stop")
def test_a_key_of_ones_own_is_not_printed_and_english_is_english(tmp_path: Path) -> None:
    proc, lines = started(tmp_path, "--lang", "en")
    proc.terminate()
    proc.wait(timeout=30)
    assert lines and lines[0].startswith("Maileon simulator running: http://127.0.0.1:")
    own = subprocess.Popen([sys.executable, "-m", "kufertui", "simulator", "--port", "0", "--api-key",
                            "my-real-key-0123456789"], cwd=REPO, env=env(tmp_path), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    shown = first_lines(own)
    own.terminate()
    own.wait(timeout=30)
    err = own.stderr.read() if own.stderr else ""
    assert len(shown) == 4 and "my-real-key" not in "".join(shown) + err
    assert "der mit --api-key angegebene" in shown[1]


def test_faults_help_describes_the_syntax_and_a_bad_spec_is_refused(tmp_path: Path) -> None:
    for lang in ("de", "en"):
        helped = subprocess.run([sys.executable, "-m", "kufertui", "--lang", lang, "simulator", "--help"], cwd=REPO,
                                env=env(tmp_path), capture_output=True, text=True, timeout=60)
        text = " ".join(helped.stdout.split())
        assert helped.returncode == 0 and "503@POST /contacts#2; delay=0.1" in text
        assert "faults.py" not in text and "kufertui/simulator" not in text
    refused = subprocess.run([sys.executable, "-m", "kufertui", "simulator", "--port", "0", "--faults", "oops"],
                             cwd=REPO, env=env(tmp_path), capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "Die Angabe für --faults ist ungültig" in refused.stderr
    assert "Traceback" not in refused.stderr
