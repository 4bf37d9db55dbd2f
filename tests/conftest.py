"""Shared fixtures: every test gets its own config and workspace folders, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kufertui-home"
    monkeypatch.setenv("KUFERTUI_HOME", str(home))
    for var in ("KUFERTUI_CONFIG", "KUFERTUI_API_KEY", "KUFERTUI_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return home
