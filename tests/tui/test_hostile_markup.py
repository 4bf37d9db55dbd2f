"""Issue 24.1: values from KUFER, Maileon and the workspace are shown as plain text on every screen and modal.

A workspace imported from a hostile CSV and synced against a Maileon that answers with hostile texts
(hostile_data.py): e-mails, names, departments, organisation, the Dozent flag, a segment name, a reject's
field, an unsubscribe source and an error message carry Textual markup (``[bold]x[/]``, an
``[@click=app.screenshot(…)]`` action, a lone ``[/]``), Markdown links, ESC/OSC sequences, C1 controls and
bidi overrides. Each view is opened with Pilot and its rendered segments are read: nothing crashes (a
``[/]`` raised MarkupError before), no segment carries an action (``@click``) or a link, no ESC/OSC, C1 or
bidi character reaches the terminal, and the values are there literally (``[/]`` as ``[/]``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_data import (
    BOLD,
    CLICK,
    CLOSE,
    DEPARTMENT,
    EMAIL_CLOSE,
    EMAIL_LINK,
    ERROR,
    GENDER,
    MD_LINK,
    ORGANISATION,
    SEGMENT,
    HostileSetup,
    build,
)
from rich.console import Console
from rich.style import Style
from textual.widgets import DataTable, Input, Select
from tui_helpers import FakeClock, wait_for

from kufertui import i18n
from kufertui.core.fields import FieldMapping
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.events import Failed, Message
from kufertui.tui.app import KuferApp, make_app
from kufertui.tui.modals.confirm import ConfirmModal
from kufertui.tui.modals.contact_detail import ContactDetail
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.segments import SegmentNameModal, SegmentsModal
from kufertui.tui.modals.target_group import TargetGroupModal
from kufertui.tui.modals.value_map import ValueMapModal
from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.fields import MAPPABLE, FieldsScreen
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.registry import SCREENS
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.screens.upload import UploadScreen
from kufertui.tui.widgets.dryrun_pane import DryRunPane

WIDE = (200, 60)
# what a terminal would act on: OSC (title), CSI clear, BEL, C1 CSI/OSC, bidi overrides and isolates
RAW = ("\x1b]0;title", "\x1b[2J", "\x07", "\x9b", "\x9d", "\u202e", "\u2066", "\u2069")
VISIBLE_ESC = "\\x1b]0;title\\x07\\x1b[2J"  # OSC and clear as the screens show them
SCREENSHOT_DIR = Path("/tmp/kufertui-hostile")  # where the click-me action would write


@pytest.fixture
def hostile(tmp_path: Path) -> HostileSetup:
    return build(tmp_path / "hostile")


@pytest.fixture
def hostile_app(hostile: HostileSetup, clock: FakeClock) -> Iterator[Callable[..., KuferApp]]:
    def make(lang: str = "en") -> KuferApp:
        return make_app(hostile.settings, hostile.settings_path, hostile.workspace_root, lang=lang, demo=True,
                        transport=hostile.maileon.transport(), now=clock)

    yield make
    i18n.set_language("de")


def rendered(app: KuferApp) -> tuple[str, list[Style], str]:
    """(the screen's text, every style of its segments, what goes to the terminal), as Textual composes it."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    lines: list[str] = []
    styles: list[Style] = []
    for line in update.strips:  # type: ignore[union-attr]
        text = []
        for strip in line:
            for segment in strip:
                text.append(segment.text)
                if segment.style is not None:
                    styles.append(segment.style)
        lines.append("".join(text))
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=app.size.width,
                      legacy_windows=False)
    raw = update.render_segments(console)  # type: ignore[union-attr]
    return "\n".join(lines), styles, raw


def squashed(text: str) -> str:
    """Without any whitespace: a value wrapped over several lines of its box reads as one."""
    return "".join(text.split())


def widget_texts(app: KuferApp, screen_text: str) -> list[str]:
    """What each widget shows on the screen, cut from the screen's text by its region, its lines joined
    (a value wraps inside its box)."""
    lines = screen_text.split("\n")
    texts = []
    for widget in app.screen.query("*"):
        region = widget.content_region  # without border and padding: only what it says
        if widget.display and region.area:
            rows = lines[region.y:region.bottom]
            texts.append(squashed("".join(row[region.x:region.right] for row in rows)))
    return texts


def assert_plain(app: KuferApp, *literals: str) -> None:
    """No action span, no link, no raw control sequence from the data; each literal shown as it is."""
    text, styles, raw = rendered(app)
    actions = [style.meta["@click"] for style in styles if style.meta and "@click" in style.meta]
    assert not actions, actions
    assert not [style.link for style in styles if style.link]
    for bad in RAW:
        assert bad not in raw, (bad, type(app.screen).__name__)
    shown = widget_texts(app, text)
    for literal in literals:
        assert any(squashed(literal) in text for text in shown), (literal, type(app.screen).__name__)
    assert not SCREENSHOT_DIR.exists()


async def settle(pilot: object, app: KuferApp) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), WIDE], ids=["80x24", "200x60"])
async def test_every_screen_of_the_registry_opens_and_shows_no_action(
        hostile_app: Callable[..., KuferApp], size: tuple[int, int]) -> None:
    app = hostile_app("de")
    async with app.run_test(size=size) as pilot:
        for entry in SCREENS:
            await pilot.press(entry.key)
            await wait_for(pilot, lambda e=entry: isinstance(app.screen, e.screen))  # type: ignore[misc]
            await settle(pilot, app)
            assert_plain(app)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert_plain(app)


async def test_results_history_and_hint_show_addresses_and_errors_literally(
        hostile_app: Callable[..., KuferApp], hostile: HostileSetup) -> None:
    app = hostile_app("en")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f5")  # the newest run: the one Maileon stopped with a hostile error
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        await settle(pilot, app)
        assert_plain(app, CLICK, CLOSE, MD_LINK, VISIBLE_ESC, "\\x9b31m\\x9d", "\\u202egpj.exe")

        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await settle(pilot, app)
        assert_plain(app, SEGMENT.split("\u202e")[0])  # the segment refresh names its segment

        async def open_run(run_id: int) -> ResultsScreen:
            table = app.screen.query_one("#runs", DataTable)
            table.move_cursor(row=table.get_row_index(str(run_id)))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen)
                           and app.screen.run_id == run_id)  # type: ignore[attr-defined]
            await settle(pilot, app)
            return app.screen  # type: ignore[return-value]

        results = await open_run(hostile.runs["sync"])
        await wait_for(pilot, lambda: bool(results.groups))
        row = next(i for i, g in enumerate(results.groups) if g.code == "preflight:3")
        results.query_one("#rejects", DataTable).move_cursor(row=row)
        await settle(pilot, app)
        assert_plain(app, CLICK, EMAIL_CLOSE, EMAIL_LINK)  # the reject line: the examples as they are

        results.query_one("#rejects", DataTable).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        await settle(pilot, app)
        assert_plain(app, CLICK, EMAIL_CLOSE, EMAIL_LINK)  # outside the Markdown: no link
        await pilot.press("escape")

        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await open_run(hostile.runs["segment"])  # its segment and the target group Maileon refused
        assert_plain(app, CLICK, CLOSE, MD_LINK, VISIBLE_ESC)

        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await open_run(hostile.runs["dry"])  # the dry run's per-contact pane
        await wait_for(pilot, lambda: app.screen.query_one("#results-dry", DryRunPane).result is not None)
        await settle(pilot, app)
        assert_plain(app, CLICK, EMAIL_CLOSE, EMAIL_LINK)


async def test_contacts_detail_and_segment_dialogs_show_kufer_values_literally(
        hostile_app: Callable[..., KuferApp], hostile: HostileSetup) -> None:
    app = hostile_app("en")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("0")  # every status
        await settle(pilot, app)
        assert_plain(app, BOLD, CLOSE, MD_LINK)  # the table cuts long cells: the short ones whole

        dept: Select[str] = app.screen.query_one("#dept", Select)
        dept.focus()
        await pilot.press("enter")  # the dropdown: KUFER's departments as they are
        await settle(pilot, app)
        assert_plain(app, DEPARTMENT)
        await pilot.press("escape")
        dept.value = DEPARTMENT
        await settle(pilot, app)
        assert_plain(app, DEPARTMENT)  # chosen: the select shows it as it is

        with Workspace.open(hostile.workspace_root) as ws:
            first = next(cid for cid, c in ws.contacts.iter_contacts() if c.organization == ORGANISATION)
        app.push_screen(ContactDetail(first))
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail))
        await settle(pilot, app)
        assert_plain(app, CLICK, BOLD, MD_LINK, CLOSE, DEPARTMENT, "\\x9b31m\\x9d", "\\u202egpj.exe")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))

        app.state.selection = ContactFilter(frozenset({"J"}), department=DEPARTMENT, search=CLOSE)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentNameModal))
        assert_plain(app, DEPARTMENT, CLOSE)  # the filter in words
        app.screen.query_one("#seg-name", Input).value = CLICK  # typed or pasted
        await settle(pilot, app)
        await pilot.press("enter")  # refused: the error names it, as it is
        await settle(pilot, app)
        assert_plain(app, CLICK)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))

        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentsModal))
        await settle(pilot, app)
        assert_plain(app, SEGMENT.split("\u202e")[0], "\\u202egpj.exe")


async def test_fields_upload_and_settings_show_values_and_server_texts_literally(
        hostile_app: Callable[..., KuferApp], hostile: HostileSetup) -> None:
    app = hostile_app("en")
    async with app.run_test(size=WIDE) as pilot:
        with Workspace.open(hostile.workspace_root) as ws:
            app.state.highlighted_id = next(cid for cid, c in ws.contacts.iter_contacts()
                                            if c.organization == ORGANISATION)
        app.state.mappings += [FieldMapping("organization", f"{CLOSE}Custom", True),  # a custom field typed in
                               FieldMapping("gender_raw", "GENDER")]
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        await settle(pilot, app)
        assert_plain(app, CLOSE + "Custom", "[text](https://evil.example) [bold]x[/]")  # table and XML

        table = app.screen.query_one("#field-table", DataTable)
        table.move_cursor(row=[f.id for f in MAPPABLE].index("gender_raw"))
        table.focus()
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueMapModal))
        await settle(pilot, app)
        assert_plain(app, GENDER)  # a Geschlecht value of KUFER's
        await pilot.press("escape")

        app.state.segments = [SEGMENT]
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await settle(pilot, app)
        assert_plain(app, SEGMENT.split("\u202e")[0], CLOSE + "Custom")
        screen = app.screen
        screen.events.put(Message("warning", "engine.maileon-error", {"detail": ERROR}))  # type: ignore[attr-defined]
        screen.events.put(Failed("engine.maileon-error", {"detail": ERROR}, "bad-request", 3))  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        await settle(pilot, app)
        assert_plain(app, CLICK, MD_LINK, VISIBLE_ESC)  # the hint: Maileon's text below it, plain
        await pilot.press("escape")
        await settle(pilot, app)
        assert_plain(app, CLICK)  # the log (a long line runs off to the right: no wrap)

        hostile.maileon.refuse = {("GET", "/ping")}
        hostile.maileon.status = 401
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal), timeout=30)
        await settle(pilot, app)
        assert_plain(app, CLICK, MD_LINK, VISIBLE_ESC)
        await pilot.press("escape")
        await settle(pilot, app)
        assert_plain(app, CLICK)  # "Failed: …" under the key


async def test_toasts_and_the_other_dialogs_show_values_literally(hostile_app: Callable[..., KuferApp]) -> None:
    app = hostile_app("de")
    async with app.run_test(size=WIDE, notifications=True) as pilot:  # run_test hides toasts by default
        await settle(pilot, app)
        app.screen.notify(ERROR, title=CLOSE)  # a widget's notify asks for markup: KuferApp.notify overrules
        await settle(pilot, app)
        assert_plain(app, CLICK, CLOSE, MD_LINK, VISIBLE_ESC)

        app.push_screen(TargetGroupModal(1, 3, CLOSE + "Field", "Newsletter", segments=[SEGMENT]))
        await wait_for(pilot, lambda: isinstance(app.screen, TargetGroupModal))
        await settle(pilot, app)
        assert_plain(app, CLOSE + "Field", SEGMENT.split("\u202e")[0])
        await pilot.press("escape")

        app.push_screen(ConfirmModal(ERROR, yes=BOLD, no=CLOSE))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await settle(pilot, app)
        assert_plain(app, CLICK, BOLD, CLOSE)
        await pilot.press("escape")

        app.push_screen(HintModal(f"{MD_LINK}-no-such-hint", ERROR))  # an id we do not know, with a link in it
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        await settle(pilot, app)
        assert_plain(app, CLICK)
        await pilot.press("escape")

        await pilot.press("ctrl+p")  # the command palette, searched with markup
        await settle(pilot, app)
        for key in ("left_square_bracket", "slash", "right_square_bracket"):
            await pilot.press(key)
        await settle(pilot, app)
        assert_plain(app)


async def test_the_check_sees_an_action_span_and_a_raw_escape(hostile_app: Callable[..., KuferApp]) -> None:
    """The check above is not blind: a str given to a Static the old way shows up as an action and as raw
    bytes for the terminal."""
    from textual.content import Content
    from textual.widgets import Static

    app = hostile_app("en")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot, app)
        await app.screen.mount(Static(Content.from_markup("[@click=app.bell]ring[/] ") + Content(ERROR)))
        await settle(pilot, app)
        with pytest.raises(AssertionError, match=r"app\.bell"):
            assert_plain(app)
        _text, _styles, raw = rendered(app)
        assert "\x1b]0;title" in raw
