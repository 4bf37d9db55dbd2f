"""Shared fixtures: every test gets its own config and workspace folders, never the user's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kufertui import i18n


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`windows_incompatible(reason=…)`: skipped on Windows (signals, ps, file modes); the Windows
    behaviour has tests of its own (tests/unit/test_platform.py, test_lock.py)."""
    if sys.platform != "win32":
        return
    for item in items:
        marker = item.get_closest_marker("windows_incompatible")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=marker.kwargs.get("reason", "POSIX only")))


@pytest.fixture(autouse=True, scope="session")
def _strict_messages() -> None:
    """A missing text key fails the test (in this process and in every CLI subprocess) instead of showing a
    fallback; in use kufertui shows the English text or the key's last part (kufertui/i18n.py)."""
    os.environ[i18n.STRICT_ENV] = "1"
    i18n.set_strict(True)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kufertui-home"
    monkeypatch.setenv("KUFERTUI_HOME", str(home))
    for var in ("KUFERTUI_CONFIG", "KUFERTUI_API_KEY", "KUFERTUI_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return home
