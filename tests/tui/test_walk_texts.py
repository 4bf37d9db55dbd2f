"""Issue 26, "done when": a walk through every screen of the registry and every dialog, in German and English.
It fails on any text that looks like a raw message key, on a key shown in another notation than the
language's (German: Strg+Q, F8, Esc; English: Ctrl+Q), and in German on English words from a short list
(the words that leaked before: Pre-flight, Keep, ^o, OSC 52, ...)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Awaitable, Callable

import pytest
from screen_texts import footer_keys, screen_texts
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import ModalScreen
from tui_helpers import wait_for

import kufertui.tui
from kufertui.messages.hints import HINTS
from kufertui.paths import WorkspacePaths
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.segments import add_segment
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.confirm import ChoiceModal, ConfirmModal
from kufertui.tui.modals.contact_detail import ContactDetail
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.segments import SegmentNameModal, SegmentsModal
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.modals.value_map import ValueMapModal
from kufertui.tui.palette import KuferCommandPalette
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.registry import SCREENS

RAW_KEY = re.compile(r"^[a-z-]+\.[a-z.-]+$")
HINT_IDS = {h.id for h in HINTS if "-" in h.id}  # "maileon-code-5", "k-notice-missing" (not "tls": a word)
REJECT_CODE = re.compile(r"^(preflight|maileon):\d+$")
# English (or Textual's) words that must not appear in the German UI; whole words, case as written
ENGLISH_IN_GERMAN = ("the", "and", "with", "not", "Pre-flight", "pre-flight", "Keep", "Save", "Cancel", "Resume",
                     "Dry run", "failed", "Failed", "Error", "Unauthorized", "ConnectError", "OSC 52", "Ctrl",
                     "ctrl", "esc", "space", "Yes", "No", "Settings", "Results", "Contacts", "Search", "Quit")
GERMAN_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_IN_GERMAN) + r")(?![\w-])")
QUOTED = re.compile(r"„[^“]*“|\"[^\"]*\"|`[^`]*`")
CARET_KEY = re.compile(r"\^[a-z]\b|(?<![\w-])f\d{1,2}\b")  # Textual's "^r" and "f8"
_COMMON = r"F\d{1,2}|[↑↓←→]|[a-z0-9/+-]|[A-Z]"
KEY_NOTATION = {
    "de": re.compile(rf"^({_COMMON}|Esc|Enter|Leertaste|Tab|Entf|Rücktaste|Einfg|Pos1|Ende|Bild↑|Bild↓"
                     r"|(Strg|Umschalt|Alt)\+[A-Z0-9↑↓←→])$"),
    "en": re.compile(rf"^({_COMMON}|Esc|Enter|Space|Tab|Del|Backspace|Ins|Home|End|PgUp|PgDn"
                     r"|(Ctrl|Shift|Alt)\+[A-Z0-9↑↓←→])$"),
}
SIZE = (120, 40)


async def _settle(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open(pilot: Pilot[object], kind: type[object], *keys: str) -> None:
    await pilot.press(*keys)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    await _settle(pilot)


def _modal_classes() -> set[type[ModalScreen[object]]]:
    """Every dialog class the TUI opens (a new one must be added to the walk below); a base of another is none."""
    found: set[type[ModalScreen[object]]] = set()
    for info in pkgutil.walk_packages(kufertui.tui.__path__, "kufertui.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, ModalScreen) and cls.__module__.startswith("kufertui.tui"):
                found.add(cls)
    return {cls for cls in found if not any(other is not cls and issubclass(other, cls) for other in found)}


class Walk:
    """Collects what each screen and dialog shows, and what is wrong with it."""

    def __init__(self, app: KuferApp, lang: str) -> None:
        self.app = app
        self.lang = lang
        self.problems: list[str] = []
        self.seen: set[type[object]] = set()

    def look(self, where: str) -> None:
        screen = self.app.screen
        self.seen.add(type(screen))
        texts = screen_texts(self.app)
        assert len(texts) >= 3, (where, texts)  # the walk reads what is there
        for text in texts:
            for part in (text, *text.split(" · ")):
                if RAW_KEY.match(part.strip()):
                    self.problems.append(f"{where}: raw key {part!r}")
            if self.lang == "de":  # a quoted message ("Socket Error") or command is cited, not our words
                for word in GERMAN_WORDS.findall(QUOTED.sub("", text)):
                    self.problems.append(f"{where}: English {word!r} in {text!r}")
            for token in re.findall(r"[\w:-]+", text):  # handbook ids and reject codes are for the helpdesk
                if token in HINT_IDS or REJECT_CODE.match(token):
                    self.problems.append(f"{where}: raw id {token!r} in {text!r}")
            if CARET_KEY.search(text):
                self.problems.append(f"{where}: key in Textual's notation in {text!r}")
        keys = footer_keys(screen)
        if isinstance(screen, HelpScreen):
            keys += [k for k, _ in screen.key_rows if " " not in k]
        for key in keys:
            if not KEY_NOTATION[self.lang].match(key):
                self.problems.append(f"{where}: key {key!r} not in the {self.lang} notation")


def _aborted_run(demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})
        ws.journal.finish_run(run_id, "aborted", counts={}, error={"key": "engine.cancelled",
                                                                  "params": {"run": run_id}})


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_every_screen_and_dialog_shows_words_not_keys(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                                            recorded_run: int, lang: str) -> None:
    xml = WorkspacePaths(demo.workspace_root).upload_xml
    xml.parent.mkdir(parents=True, exist_ok=True)
    xml.write_text("<contacts/>", encoding="utf-8")  # not a run's: the engine asks before replacing it
    app = build_app(lang)
    walk = Walk(app, lang)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for entry in SCREENS:  # the registry: every screen, by its key
            await pilot.press(entry.key)
            await wait_for(pilot, lambda e=entry: app.current_mode == e.mode)
            await _settle(pilot)
            walk.look(entry.mode)

        steps: list[tuple[str, type[object], Callable[[], Awaitable[None]]]] = []

        async def help_() -> None:
            await _open(pilot, HelpScreen, "f2", "f1")

        async def detail() -> None:
            await _open(pilot, ContactDetail, "f2", "enter")

        async def hint() -> None:
            await pilot.press("f5")
            await _settle(pilot)
            app.screen.query_one("#rejects").focus()
            await _open(pilot, HintModal, "enter")

        async def target_group() -> None:
            await _open(pilot, TargetGroupModal, "f5", "g")

        async def segment_name() -> None:
            await _open(pilot, SegmentNameModal, "f2", "s")
            await pilot.press(*"Dozenten")  # the field and target group it would give
            await _settle(pilot)

        async def segments() -> None:
            add_segment(app.state.workspace, "Dozenten", ContactFilter(frozenset({"J", "K"}), None, True, ""))
            await _open(pilot, SegmentsModal, "f2", "l")

        async def value_map() -> None:
            await pilot.press("f3")
            await _settle(pilot)
            app.screen.query_one("#field-table").focus()
            await _open(pilot, ValueMapModal, "down", "v")

        async def replace_question() -> None:
            await _open(pilot, ConfirmModal, "f4", "ctrl+r")

        async def resume_or_new() -> None:
            _aborted_run(demo)
            await pilot.press("f2", "f4")  # the upload screen reads the journal again when it is shown
            await _open(pilot, ChoiceModal, "ctrl+r")

        async def palette() -> None:
            await _open(pilot, KuferCommandPalette, "f2", "ctrl+p")

        steps = [("help", HelpScreen, help_), ("detail", ContactDetail, detail), ("hint", HintModal, hint),
                 ("target group", TargetGroupModal, target_group),
                 ("segment name", SegmentNameModal, segment_name), ("segments", SegmentsModal, segments),
                 ("value map", ValueMapModal, value_map), ("replace?", ConfirmModal, replace_question),
                 ("resume or new", ChoiceModal, resume_or_new), ("palette", KuferCommandPalette, palette)]
        for name, kind, step in steps:
            await step()
            assert isinstance(app.screen, kind), (name, app.screen)
            walk.look(name)
            while len(app.screen_stack) > 1:  # back to the main screen for the next dialog
                app.pop_screen()
            await _settle(pilot)

    missing = {cls.__name__ for cls in _modal_classes()} - {cls.__name__ for cls in walk.seen}
    assert not missing, f"dialogs the walk does not open yet: {sorted(missing)}"
    assert issubclass(KuferCommandPalette, CommandPalette)
    assert not walk.problems, "\n".join(walk.problems)
