"""Issue 26, "keys that say what they do": resume has a key and Ctrl+R asks resume or start over (11), 1 is
J only (12), Esc's question says the run goes on (13), the read-only footer offers only what works (15), keys
in the language's notation (16). That the upload file question comes only when the engine asks it (9) is
tests/tui/test_flow.py's, with the real engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from screen_texts import footer_keys
from textual.widgets import Button, Static
from tui_helpers import text, wait_for, workers_done

from kufertui.paths import WorkspacePaths
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.confirm import ChoiceModal, ConfirmModal
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.upload import UploadScreen

SMALL = (80, 24)


def _footer(app: KuferApp) -> dict[str, str]:
    """description → key as the footer shows them."""
    return {key.description: key.key_display for key in app.screen.query("FooterKey")}


def _aborted_run(demo: DemoSetup) -> int:
    """A sync run that stopped before its first batch (cancelled during the pull, say)."""
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("sync", selection={"filter": {"statuses": ["J", "K"]}, "ids": None},
                                      fields={}, options={})
        ws.journal.finish_run(run_id, "aborted", counts={},
                              error={"key": "engine.cancelled", "params": {"run": run_id}})
    return run_id


def _runs(demo: DemoSetup) -> list[tuple[int, str]]:
    with Workspace.open(demo.workspace_root) as ws:
        return [(r.id, r.state) for r in reversed(ws.journal.runs(50))]


async def test_resume_has_a_key_in_the_footer_while_a_run_is_resumable(build_app: Callable[..., KuferApp],
                                                                      demo: DemoSetup) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "Fortsetzen" not in _footer(app)  # nothing to resume: not offered
    run_id = _aborted_run(demo)
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await pilot.pause()
        assert _footer(app).get("Fortsetzen") == "f"
        assert f"Lauf #{run_id} fortsetzen (f)" in str(app.screen.query_one("#resume", Button).label)
        await pilot.press("f")  # one key, no Tab ×3
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=90)
        await workers_done(app)
    assert _runs(demo) == [(run_id, "done")]  # the interrupted run finished; no new one superseded it


@pytest.mark.parametrize("choice", ["resume", "new"])
async def test_ctrl_r_asks_resume_or_start_over_while_a_run_is_resumable(build_app: Callable[..., KuferApp],
                                                                        demo: DemoSetup, choice: str) -> None:
    run_id = _aborted_run(demo)
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
        question = str(app.screen.query_one(".question", Static).render())
        assert f"Lauf #{run_id} wurde unterbrochen" in question and "neu starten" in question
        assert app.screen.focused is not None and app.screen.focused.id == "choice-resume"
        if choice == "resume":
            await pilot.press("enter")
        else:
            await pilot.click("#choice-new")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=90)
        await workers_done(app)
    expected = [(run_id, "done")] if choice == "resume" else [(run_id, "superseded"), (run_id + 1, "done")]
    assert _runs(demo) == expected


async def test_the_upload_file_question_comes_when_the_engine_asks_it(build_app: Callable[..., KuferApp],
                                                                    demo: DemoSetup) -> None:
    """A file no run wrote: the engine stops with xml-exists before anything else, and only then the TUI asks
    (No focused: nothing is sent, the file stays)."""
    xml = WorkspacePaths(demo.workspace_root).upload_xml
    xml.parent.mkdir(parents=True, exist_ok=True)
    xml.write_text("<contacts/>", encoding="utf-8")
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert "XML-Datei" not in text(app, "#confirm-text")  # the engine decides, not a guess beforehand
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.screen.focused is not None and app.screen.focused.id == "no"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, UploadScreen) and not app.screen.running
    assert xml.read_text(encoding="utf-8") == "<contacts/>"
    assert _runs(demo) == [] and demo.sim.sync_bodies() == []


async def test_one_is_j_only_always(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert app.state.selection.statuses == {"J", "K"}  # the default: what a run uploads
        for keys, expected in ((("1",), {"J"}), (("1",), {"J"}), (("0", "1"), {"J"}), (("2",), {"K"}),
                               (("5",), {"J", "K"}), (("0",), set()), (("4",), {"N"}), (("3",), {""})):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.state.selection.statuses == expected, keys
        await pilot.press("1")
        await pilot.pause()
        on = [chip.id for chip in app.screen.query(".chip") if chip.has_class("-on")]
        assert on == ["chip-J"]


async def test_esc_during_a_run_says_it_goes_on_until_confirmed(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        screen = app.screen
        screen.running = True  # as while the engine runs
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = str(app.screen.query_one(".question", Static).render())
        assert "Bis Sie bestätigen, läuft der Lauf weiter" in question
        assert app.screen.focused is not None and app.screen.focused.id == "no"
        screen.running = False


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_read_only_footer_offers_only_what_works(demo: DemoSetup, lang: str) -> None:
    import httpx

    from kufertui.simulator import create_app

    app = make_app(demo.settings, demo.settings_path, demo.workspace_root, lang=lang, demo=True,
                   transport=httpx.ASGITransport(app=create_app(demo.sim)), read_only=True)
    start, save = ("Starten", "Speichern") if lang == "de" else ("Start", "Save")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await pilot.pause()
        assert start not in _footer(app)
        assert not any(k.startswith(("Strg+R", "Ctrl+R", "^r")) for k in footer_keys(app.screen))
        assert not app.screen.query_one("#start").display and not app.screen.query_one("#dry-run").display
        await pilot.press("f9")
        await pilot.pause()
        assert save not in _footer(app) and not app.screen.query_one("#save").display
        await pilot.press("f2")
        await pilot.pause()
        assert not any("Segment" in d for d in _footer(app))  # saving a segment is refused there too
        await pilot.press("ctrl+r")  # the key still answers, with the reason
        await pilot.press("f4", "ctrl+r")
        await pilot.pause()
        assert any(("gesperrt" if lang == "de" else "blocked") in n.message for n in app._notifications)


@pytest.mark.parametrize(("lang", "start", "quit_key"), [("de", "Strg+R", "Strg+Q"), ("en", "Ctrl+R", "Ctrl+Q")])
async def test_keys_in_the_languages_notation(build_app: Callable[..., KuferApp], lang: str, start: str,
                                              quit_key: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await pilot.pause()
        keys = footer_keys(app.screen)
        assert start in keys and "Esc" in keys and "F1" in keys, keys
        assert f"({start})" in str(app.screen.query_one("#start", Button).label)
        await pilot.press("f1")
        await pilot.pause()
        rows = dict(app.screen.key_rows)  # type: ignore[attr-defined]
        assert quit_key in rows and ("Strg+P" if lang == "de" else "Ctrl+P") in rows
