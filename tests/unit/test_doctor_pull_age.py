"""Issue 26.17: the doctor counts the last unsubscriber pull in whole days ("vor 0,0 Tagen" read as a glitch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from kufertui import i18n
from kufertui.simulator import create_app
from kufertui.store import Workspace
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.doctor import diagnose


@pytest.mark.parametrize(("hours", "words"), [(1, "in den letzten 24 Stunden abgeholt"), (30, "vor 1 Tag abgeholt"),
                                              (80, "vor 3 Tagen abgeholt")])
def test_last_pull_in_whole_days(tmp_path: Path, hours: int, words: str) -> None:
    setup = prepare_demo(tmp_path / "demo", 20, seed=3)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    with Workspace.open(setup.workspace_root) as ws:
        ws.set_meta("last_pull_at", (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds"))
    i18n.set_language("de")
    result = diagnose(setup.settings, setup.settings_path, setup.workspace_root,
                      transport=httpx.ASGITransport(app=create_app(setup.sim)))
    [retention] = [c for c in result.checks if c.name == "retention"]
    assert words in retention.text and ",0" not in retention.text, retention.text
