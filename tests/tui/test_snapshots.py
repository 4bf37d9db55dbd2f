"""SVG snapshots of every screen at 80×24 and 140×40 on deterministic demo data.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the pictures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from kufertui.tui.app import KuferApp
from kufertui.tui.screens.registry import SCREENS as REGISTRY

SIZES = [(80, 24), (140, 40)]
SCREENS = [entry.key for entry in REGISTRY]
NAMES = {entry.key: entry.mode for entry in REGISTRY}


def open_screen(key: str) -> Callable[[Pilot[object]], object]:
    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause()
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", SCREENS, ids=lambda k: NAMES[k])
def test_screen_de(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp], recorded_run: int,
                   key: str, size: tuple[int, int]) -> None:
    assert snap_compare(build_app("de"), terminal_size=size, run_before=open_screen(key))


@pytest.mark.parametrize("key", ["f2", "f4", "f5"], ids=lambda k: NAMES[k])
def test_main_screens_en(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                         recorded_run: int, key: str) -> None:
    assert snap_compare(build_app("en"), terminal_size=(80, 24), run_before=open_screen(key))


def test_help_over_contacts(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                            recorded_run: int) -> None:
    assert snap_compare(build_app("de"), terminal_size=(80, 24), run_before=open_screen("f1"))


def test_hint_from_results(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                           recorded_run: int) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f5")(pilot)  # type: ignore[misc]
        pilot.app.screen.query_one("#rejects").focus()
        await pilot.press("enter")
        await pilot.pause(0.2)

    assert snap_compare(build_app("de"), terminal_size=(80, 24), run_before=run_before)


def test_contact_detail(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                        recorded_run: int) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f2")(pilot)  # type: ignore[misc]
        await pilot.press("down", "enter")
        await pilot.pause(0.2)

    assert snap_compare(build_app("de"), terminal_size=(80, 24), run_before=run_before)


def test_dry_run_results(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp], recorded_run: int,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A dry run from the journal opens its per-contact pane (counts, outcomes with fields and reasons)."""
    from kufertui.store import ContactOutcome, Workspace

    app = build_app("de")
    with Workspace.open(app.state.workspace_root) as ws:
        run_id = ws.journal.start_run("dry-run", selection={}, fields={}, options={"dry_run": True})
        ws.journal.record_outcomes(run_id, [
            ContactOutcome("email:a", "anna.meier@example.org", "J", "would-create"),
            ContactOutcome("email:b", "bernd.k@example.org", "K", "would-update", detail="lastname,city"),
            ContactOutcome("email:c", "carla@example.org", "J", "unchanged"),
            ContactOutcome("email:d", "dieter@example.org", "J", "suppressed", None, "suppressed"),
            ContactOutcome("email:e", "eva@@example", "J", "rejected", None, "preflight:3", "email=eva@@example"),
        ])
        ws.journal.finish_run(run_id, "done", counts={"dry_run": True, "selected": 5, "objections_pending": 2})

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.pause()
        pilot.app.show_results(run_id)  # type: ignore[attr-defined]
        await pilot.pause(0.2)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
