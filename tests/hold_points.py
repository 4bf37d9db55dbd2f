"""Stopping a `kufertui` subprocess at a hold point: the environment that puts ``tests/hold_hook`` (its
``sitecustomize.py`` wraps the function the engine calls at that point) first on the child's PYTHONPATH."""

from __future__ import annotations

import os
from pathlib import Path

HOLD_ENV = "KUFERTUI_TEST_HOLD"
HOLD_FILE_ENV = "KUFERTUI_TEST_HOLD_FILE"
HOOK_DIR = Path(__file__).resolve().parent / "hold_hook"


def hold_env(phase: str, marker: Path) -> dict[str, str]:
    """The extra environment of a run that writes ``marker`` and blocks once it reaches ``phase``."""
    path = os.pathsep.join(p for p in (str(HOOK_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return {HOLD_ENV: phase, HOLD_FILE_ENV: str(marker), "PYTHONPATH": path}
