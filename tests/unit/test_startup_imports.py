"""Issue 27: what a start of kufertui imports. httpx would import its own command-line client (click, rich's
console, pygments: ~50 ms) at `import httpx`; kufertui never runs it, so a sync's start does without it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_sync_starts_without_httpxs_command_line_client() -> None:
    probe = ("import json, sys; import kufertui.commands.sync; import httpx; "
             "print(json.dumps({'cli': sys.modules.get('httpx._main') is not None, "
             "'loaded': sorted(m for m in ('click', 'pygments') if m in sys.modules), "
             "'client': hasattr(httpx, 'AsyncClient')}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert json.loads(out.stdout) == {"cli": False, "loaded": [], "client": True}
