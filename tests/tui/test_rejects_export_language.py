"""The rejects export (Results, E) speaks the user's language and keeps the machine columns outcome and code."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp


@pytest.mark.parametrize(("lang", "header", "outcome", "cause"), [
    ("de", ["E-Mail", "Status", "Ergebnis", "Ursache", "Details", "outcome", "code"], "zurückgehalten",
     "ungültige E-Mail"),
    ("en", ["E-mail", "Status", "Outcome", "Cause", "Details", "outcome", "code"], "held back", "invalid e-mail"),
])
async def test_rejects_export_in_the_users_language(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                                    recorded_run: int, lang: str, header: list[str],
                                                    outcome: str, cause: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause(0.3)
        await pilot.press("e")
        target = Path(demo.workspace_root) / "exports" / f"rejects-run-{recorded_run}.csv"
        for _ in range(40):
            await pilot.pause(0.05)
            if target.exists() and app._notifications:
                break
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == header
    bad = next(r for r in rows[1:] if r[-1] == "preflight:3")
    assert bad[2] == outcome and bad[3].lower() == cause.lower() and bad[5] == "rejected"
    assert all("rejected" not in r[2] and "preflight" not in r[3] for r in rows[1:])
