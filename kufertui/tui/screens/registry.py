"""The one list of the app's screens: the app's modes and keys, the navbar, the screenshots and the
snapshot tests all read it. A new screen is one line here (plus its module and its texts)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.screen import Screen

from kufertui.tui.screens.contacts import ContactsScreen
from kufertui.tui.screens.fields import FieldsScreen
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.screens.upload import UploadScreen


@dataclass(frozen=True, slots=True)
class ScreenEntry:
    mode: str  # the app mode, the binding id "nav.<mode>", the texts "nav.<mode>"/"key.<mode>", the SVG name
    key: str  # default key; users may remap "nav.<mode>" in [ui.keymap]
    screen: type[Screen[object]]


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("contacts", "f2", ContactsScreen),
    ScreenEntry("fields", "f3", FieldsScreen),
    ScreenEntry("upload", "f4", UploadScreen),
    ScreenEntry("results", "f5", ResultsScreen),
    ScreenEntry("history", "f6", HistoryScreen),
    ScreenEntry("settings", "f9", SettingsScreen),
)
HELP_KEY = "f1"  # the help overlay opens over any screen; it is not a mode of its own
SHOT_NAMES: tuple[str, ...] = (*(entry.mode for entry in SCREENS), "help")
