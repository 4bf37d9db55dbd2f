"""SVG snapshots of every screen at 80×24 and 140×40 on deterministic demo data.

The screens' pictures leave the navbar blank (tui_helpers.without_navbar): it is pictured once, by itself
(test_navbar), so that a new screen adds its own pictures and changes the navbar's, not every other one.
Update with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the pictures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from tui_helpers import FakeClock, without_navbar

from kufertui.paths import WorkspacePaths
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.events import BatchFinished, PhaseStarted, Progress, Pulled
from kufertui.tui.app import KuferApp
from kufertui.tui.screens.registry import SCREENS as REGISTRY
from kufertui.tui.screens.upload import UploadScreen

SIZES = [(80, 24), (140, 40)]
SCREENS = [entry.key for entry in REGISTRY]
NAMES = {entry.key: entry.mode for entry in REGISTRY}


@pytest.fixture
def build_app(build_app: Callable[..., KuferApp]) -> Callable[..., KuferApp]:
    """tests/tui/conftest.py's apps, their navbar left blank."""
    return lambda lang="de": without_navbar(build_app(lang))


@pytest.fixture
def app_with_navbar(build_app: Callable[..., KuferApp]) -> Callable[..., KuferApp]:
    def build(lang: str) -> KuferApp:
        app = build_app(lang)
        app.CSS = ""
        return app
    return build


@pytest.mark.parametrize("lang", ["de", "en"])
def test_navbar(snap_compare: Callable[..., bool], app_with_navbar: Callable[..., KuferApp], lang: str) -> None:
    """The navbar, pictured once, on the contacts screen: every tab, F2 highlighted."""
    assert snap_compare(app_with_navbar(lang), terminal_size=(80, 24), run_before=open_screen("f2"))


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


@pytest.mark.parametrize("key", SCREENS, ids=lambda k: NAMES[k])
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


def test_help_en(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp], recorded_run: int) -> None:
    assert snap_compare(build_app("en"), terminal_size=(80, 24), run_before=open_screen("f1"))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_target_group_modal(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                            recorded_run: int, lang: str) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f5")(pilot)  # type: ignore[misc]
        await pilot.press("g")
        await pilot.pause(0.2)

    assert snap_compare(build_app(lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_confirm_replacing_the_upload_file(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                                           demo: DemoSetup, recorded_run: int, lang: str) -> None:
    xml = WorkspacePaths(demo.workspace_root).upload_xml
    xml.parent.mkdir(parents=True, exist_ok=True)
    xml.write_text("<contacts/>", encoding="utf-8")  # an earlier run's upload file: the run asks first

    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f4")(pilot)  # type: ignore[misc]
        await pilot.press("ctrl+r")
        await pilot.pause(0.2)

    assert snap_compare(build_app(lang), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_upload_while_it_runs(snap_compare: Callable[..., bool], build_app: Callable[..., KuferApp],
                              recorded_run: int, clock: FakeClock, lang: str) -> None:
    """The screen during an upload: phase, bar with ETA, rate and log, fed the engine's events at fixed times."""
    async def run_before(pilot: Pilot[object]) -> None:
        await open_screen("f4")(pilot)  # type: ignore[misc]
        screen = pilot.app.screen
        assert isinstance(screen, UploadScreen)
        screen.running = True
        screen.set_class(True, "-running")
        for event in (PhaseStarted("pull"), Pulled(12, 3, 3), PhaseStarted("upload", 4000)):
            screen.events.put(event)
        await pilot.pause(0.3)
        clock.advance(30)
        for done in (1000, 2000):
            screen.events.put(BatchFinished(done // 1000, 4, 1000, 600, 380, 20, 0))
            screen.events.put(Progress("upload", done, 4000))
        await pilot.pause(0.3)

    assert snap_compare(build_app(lang), terminal_size=(80, 24), run_before=run_before)
