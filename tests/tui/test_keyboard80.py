"""Issue 16, "at 80×24 and on the keyboard": nothing important cut, keys that do what they say, focus
that shows, value maps that can be edited."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual.color import Color
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static
from tui_helpers import wait_for

from kufertui.config import load_settings
from kufertui.store import Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.value_map import ValueMapModal, map_values
from kufertui.tui.screens.fields import FieldsScreen
from kufertui.tui.screens.help import HelpScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.widgets.banner import RetentionBanner
from kufertui.tui.widgets.contact_table import ContactTable

SMALL = (80, 24)
KEY_ROW = re.compile(r"^  \[b \$accent\](.*?)\s*\[/(?:b \$accent)?\] (.*)$", re.M)
SAME_KEY = {"/": "slash", "⏎": "enter", "leertaste": "space"}


def help_rows(screen: HelpScreen) -> list[tuple[str, str]]:
    """(key, text) as the help shows them, the key spelled one way (/ and slash, ⏎ and enter)."""
    return [(SAME_KEY.get(k.lower(), k.lower()), d) for k, d in KEY_ROW.findall(screen.keys_markdown.markup)]


def lines(widget: Widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_space_ticks_row_after_row_and_the_cursor_stays_in_view(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        table = app.screen.query_one(ContactTable)
        ids = [int(table.row(i)[0]) for i in range(25)]  # type: ignore[index, call-overload]
        for n in range(1, 26):
            await pilot.press("space")
            # the row the cursor is on is drawn, not hidden under a scrollbar
            visible_rows = table.scrollable_content_region.height - 1
            assert 0 <= table.cursor - int(table.scroll_offset.y) < visible_rows, n
            assert table.max_scroll_x == 0
        assert sorted(app.state.selected_ids) == sorted(ids)


async def test_banner_wraps_and_keeps_the_command_whole(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        banner = app.screen.query_one(RetentionBanner)
        shown = lines(banner)
        assert banner.size.height == 2
        assert any("`kufertui unsubscribers pull`" in line for line in shown), shown
        assert not any(line.endswith("…") for line in shown)


async def test_f9_focuses_the_first_field(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app.focused is not None and app.focused.id == "set-maileon-api-key"
        await pilot.press("1")  # typing goes into the field at once
        assert app.screen.query_one("#set-maileon-api-key", Input).value == "1"


async def test_settings_labels_stand_apart_from_their_fields(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        for row in app.screen.query(".form-row"):
            labels, fields = list(row.query(Label)), list(row.query(Input)) + list(row.query(Select))
            if not labels or not fields:
                continue
            text = str(labels[0].render())
            # the whole label and at least one blank column before its field
            assert labels[0].region.x + 1 + len(text) < fields[0].region.x, text


async def test_uwg_confirmation_is_shown_whole_and_an_empty_box_has_no_x(demo: DemoSetup,
                                                                        build_app: Callable[..., KuferApp]) -> None:
    demo.settings.legal.k_notice_confirmed_on = ""
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        box = app.screen.query_one("#k-notice", Checkbox)
        box.scroll_visible(animate=False)
        await pilot.pause()
        assert box.size.height >= 2  # wrapped, not cut at the edge
        shown = " ".join(line.strip() for line in lines(box))
        assert "steht bei der Buchung und in jedem Newsletter." in shown, shown
        assert "X" not in shown and "✓" not in shown
        box.value = True
        await pilot.pause()
        assert "✓" in lines(box)[0]


async def test_focus_is_coloured_on_every_kind_of_widget(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        accent = Color.parse(app.theme_variables["accent"])

        async def focused_background(widget: Widget, part: Widget | None = None) -> tuple[Color, Color]:
            screen.query_one("#set-maileon-base-url").focus()
            await pilot.pause()
            blurred = (part or widget).background_colors[1]
            widget.focus()
            await pilot.pause()
            return blurred, (part or widget).background_colors[1]

        select = screen.query_one("#set-ui-language", Select)
        for widget, part in ((screen.query_one("#set-proxy-host", Input), None),
                             (select, select.query_one("SelectCurrent")),
                             (screen.query_one("#test-connection", Button), None),
                             (screen.query_one("#push-objections", Checkbox), None)):
            blurred, focused = await focused_background(widget, part)
            # not a lighter grey: towards the accent colour, clearly
            assert focused != blurred, widget
            h, s, _l = focused.hsl
            assert s > 0.25 and abs(h - accent.hsl.h) < 0.1, (widget, focused, accent)


async def test_help_lists_each_key_once(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        for key in ("f2", "f3", "f5"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            keys = [k for k, _ in help_rows(app.screen)]
            assert len(keys) > 5 and len(keys) == len(set(keys)), keys
            await pilot.press("escape")
        await pilot.press("f2", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert dict(help_rows(app.screen))["space"] == "Kontakt markieren (nur J und K)"


async def test_fields_enter_opens_the_target_and_the_preview_scrolls(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f3")
        await pilot.pause(0.2)
        assert isinstance(app.screen, FieldsScreen)
        assert isinstance(app.focused, DataTable)
        await pilot.press("down", "enter")
        await pilot.pause()
        select = app.screen.query_one("#target", Select)
        assert select.expanded and select.has_focus_within
        await pilot.press("escape")
        scroll = app.screen.query_one("#xml-scroll")
        assert scroll.max_scroll_y > 0  # the XML is longer than the pane at 80×24
        scroll.focus()
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_offset.y == scroll.max_scroll_y > 0


def test_value_map_rows_are_the_workspace_values_then_the_map() -> None:
    rows = map_values({"M": "m", "F": None, "HERR": "m"}, [("M", 3), ("x", 2), ("m", 1), ("", 4)])
    assert rows == [("M", 4), ("X", 2), ("F", 0), ("HERR", 0)]


async def test_map_gender_x_in_the_fields_screen(demo: DemoSetup, build_app: Callable[..., KuferApp]) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        email = str(ws.contacts.conn.execute(
            "SELECT email FROM contacts WHERE upper(gender_raw) = 'X' AND status IN ('J', 'K') LIMIT 1").fetchone()[0])
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("slash", *email, "enter")  # the highlighted contact is the one the preview shows
        await wait_for(pilot, lambda: app.screen.query_one(ContactTable).total == 1)
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause(0.2)
        await pilot.press("v")  # Teilnehmernummer is not sent: nothing to map yet
        await pilot.pause()
        assert not isinstance(app.screen, ValueMapModal)
        await pilot.press(*["down"] * 5)  # Geschlecht
        await pilot.press("enter", *["down"] * 7, "enter")  # → GENDER
        await pilot.pause()
        assert app.screen.query_one("#target", Select).value == "GENDER"
        assert isinstance(app.focused, DataTable)  # back on the row: v works at once
        preview = app.screen.query_one("#xml-preview", Static)
        assert "<value>x</value>" in str(preview.render())  # not mapped: sent as it is (and rejected)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueMapModal))
        x_row = next(i for i in app.screen.query(Input) if i.name == "X")
        while app.focused is not x_row:
            await pilot.press("down")
        await pilot.press("d", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldsScreen)
        gender = next(m for m in app.state.mappings if m.kufer_field == "gender_raw")
        assert gender.value_map["X"] == "d" and gender.value_map["W"] == "f"
        preview = app.screen.query_one("#xml-preview", Static)
        assert "<name>GENDER</name>" in str(preview.render())
        assert "<value>d</value>" in str(preview.render())
        await pilot.press("ctrl+o")  # kept in the settings, where the mapping is kept
        await pilot.pause()
        saved = load_settings(demo.settings_path)
        assert saved.fields["gender_raw"] == "GENDER" and saved.value_maps["gender_raw"]["X"] == "d"
        assert saved.value_maps["gender_raw"]["F"] == ""  # F (Firma): nothing


async def test_paths_in_notifications_are_broken_at_separators(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    path = "/home/verwaltung/kufertui/arbeitsbereich/exports/kufertui-support-20261201-042311.zip"
    async with app.run_test(size=SMALL) as pilot:
        app.notify(f"Gespeichert: {path}")
        await pilot.pause()
        message = list(app._notifications)[-1].message
        assert len(message.split("\n")) >= 3
        assert all(len(line) <= 37 for line in message.split("\n")[1:]), message
        assert message.replace("\n", "") == f"Gespeichert: {path}"


async def test_empty_filter_text_is_whole_at_80_columns(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzqqxx", "enter")
        table = app.screen.query_one(ContactTable)
        await wait_for(pilot, lambda: table.total == 0)
        await pilot.pause()
        assert "Keine Kontakte in diesem Filter." in table.render_line(1).text


async def test_value_map_takes_a_new_value_and_nothing(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("en")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f3")
        await pilot.pause(0.2)
        await pilot.press("down", "v")  # Salutation → SALUTATION is mapped by default
        await wait_for(pilot, lambda: isinstance(app.screen, ValueMapModal))
        app.screen.query_one("#vm-new", Input).focus()
        await pilot.press("y", "enter")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.name == "Y"
        await pilot.press("minus", "ctrl+o")
        await pilot.pause()
        salutation = next(m for m in app.state.mappings if m.kufer_field == "salutation")
        assert salutation.value_map == {"Y": None}
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueMapModal))
        await pilot.press("escape")  # Esc drops changes and keeps the map
        assert salutation.value_map == {"Y": None}
