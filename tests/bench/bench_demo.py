"""Benchmark: `kufertui demo --contacts 100000` in a pseudo-terminal, as a user starts it (issue 27).

Figures: seconds until the terminal shows a screen (the progress line of the demo's preparation: ≤ 3 s) and
until the first contact row is on it (Contacts usable: ≤ 6 s). Linux/macOS only (a pty). Run:
pytest -m bench tests/bench/bench_demo.py -s   (or python tests/bench/bench_demo.py [N]).
Writes bench-results/demo.json.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from prepare import compile_package

N = 100_000
ROOT = Path(__file__).resolve().parents[2]
TARGETS = {"screen_s": 3.0, "contacts_s": 6.0}
_CSI = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]")


def measure(n: int = N, timeout: float = 120.0) -> dict[str, float | None]:
    import fcntl
    import pty
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: kufertui demo, as typed in a terminal of 120x40
        os.environ.update({"TERM": "xterm-256color", "PYTHONPATH": str(ROOT)})
        os.execv(sys.executable, [sys.executable, "-m", "kufertui", "--lang", "de", "demo", "--contacts", str(n)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    screen = contacts = None
    seen = b""
    try:
        while time.perf_counter() - start < timeout and contacts is None:
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(fd, 1 << 16)
            except OSError:
                break
            if not data:
                break
            seen += data
            text = _CSI.sub(b"", seen)
            now = time.perf_counter() - start
            if screen is None and b"Demo wird vorbereitet" in text:
                screen = now
            if b"@" in text:  # an e-mail address: a contact row is on the screen
                contacts = now
        os.write(fd, b"\x11")  # Ctrl+Q
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:
                select.select([fd], [], [], 0.1) and os.read(fd, 1 << 16)
            except OSError:
                pass
        else:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return {"screen_s": None if screen is None else round(screen, 2),
            "contacts_s": None if contacts is None else round(contacts, 2)}


def run(n: int = N, repeat: int = 3) -> dict[str, object]:
    compile_package(ROOT)
    runs = [measure(n) for _ in range(repeat)]
    best = {k: min((r[k] for r in runs if r[k] is not None), default=None) for k in TARGETS}
    result: dict[str, object] = {"contacts": n, "runs": runs, "best": best, "targets": TARGETS,
                                 "load_average": [round(x, 2) for x in os.getloadavg()],
                                 "met": {k: best[k] is not None and best[k] <= v for k, v in TARGETS.items()}}
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "demo.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


@pytest.mark.bench
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_bench_demo_startup() -> None:
    print(json.dumps(run(), indent=2))


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else N), indent=2))
