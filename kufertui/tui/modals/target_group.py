"""Ask for the name of the target group to create from a run; Enter creates, Esc cancels."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from kufertui.i18n import t
from kufertui.tui.plain import plain_t


def default_name(today: date | None = None) -> str:
    """"Newsletter November 2026" (German month names in German, English ones in English)."""
    today = today or date.today()
    months = t("tg.months").split(",")
    return t("tg.default", month=months[today.month - 1], year=today.year)


SAVE_AS_SEGMENT = "\x00segment"  # the answer "save the selection as a segment instead" (never a valid name)


class TargetGroupModal(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", show=False),
                                             Binding("ctrl+s", "as_segment", show=False)]

    def __init__(self, run_id: int, marked: int, import_field: str, name: str | None = None, *,
                 segments: list[str] | None = None) -> None:
        super().__init__(classes="modal asks")  # the export's toast covered its button
        self.segments = segments or []  # a segment refresh: the import field marks all their members
        self.run_id = run_id
        self.marked = marked
        self.import_field = import_field
        self.initial = name or default_name()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain_t("tg.title", run=self.run_id), classes="dialog-title")
            yield Static(plain_t("tg.explain", field=self.import_field, n=self.marked))
            if self.segments:
                yield Static(plain_t("marks.segment-note", names=", ".join(self.segments), field=self.import_field),
                             id="tg-segments")
            yield Input(self.initial, id="tg-name", max_length=64)
            yield Static(t("tg.name"), id="tg-help")
            yield Static(t("tg.name-short"), id="tg-error", classes="form-error")
            yield Static(plain_t("seg.tui.tg-trap", field=self.import_field), id="tg-trap")
            yield Button(t("seg.tui.tg-as-segment"), id="tg-as-segment", compact=True)

    @on(Button.Pressed, "#tg-as-segment")
    def action_as_segment(self) -> None:
        self.dismiss(SAVE_AS_SEGMENT)

    def on_mount(self) -> None:
        self.query_one("#tg-name", Input).focus()

    @on(Input.Submitted, "#tg-name")
    def _submit(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if len(name) < 3:
            self.query_one("#tg-error").add_class("-shown")
            return
        self.dismiss(name)
