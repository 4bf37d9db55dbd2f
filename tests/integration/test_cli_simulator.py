"""`kufertui simulator --state-file`: what one simulator process was told survives into the next."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kufertui.maileon.client import MaileonClient
from kufertui.maileon.options import ClientOptions
from kufertui.simulator import simulator_process

KEY = "state-file-test-key-0001"


@pytest.mark.windows_incompatible(reason="terminate() is TerminateProcess on Windows: no clean stop")
def test_state_is_saved_on_sigterm_and_loaded_by_the_next_process(tmp_path: Path) -> None:
    state_file = tmp_path / "sim.json"

    async def ensure_field(base: str) -> bool:
        async with MaileonClient(ClientOptions(api_key=KEY, base_url=base)) as client:
            return await client.ensure_custom_field("ImportAPI", "boolean")

    with simulator_process(KEY, state_file=state_file) as (proc, base):
        assert asyncio.run(ensure_field(base)) is True
    assert proc.returncode == 0  # SIGTERM, as systemd and the benchmark send it, is a clean stop
    assert "ImportAPI" in json.loads(state_file.read_text(encoding="utf-8"))["custom_fields"]

    with simulator_process(KEY, state_file=state_file) as (_proc, base):
        assert asyncio.run(ensure_field(base)) is False  # already there: created by the first process
