"""Questions: yes/no (ConfirmModal) and one of a few choices (ChoiceModal). Arrow keys move between the
buttons, Esc answers no (or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kufertui.i18n import t
from kufertui.tui.plain import plain


class ConfirmModal(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", show=False),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__(classes="modal asks")
        self.question = question
        self.yes = yes or t("common.yes")
        self.no = no or t("common.no")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(plain(self.yes), id="yes", variant="primary")
                yield Button(plain(self.no), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ChoiceModal(ModalScreen[str | None]):
    """A question with a few answers (value, label); ``focus``: the value whose button has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", show=False),
        Binding("right", "app.focus_next", show=False),
        Binding("left", "app.focus_previous", show=False),
    ]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]], focus: str | None = None) -> None:
        super().__init__(classes="modal asks")
        self.question = question
        self.choices = list(choices)
        self.focus_value = focus or self.choices[0][0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                for index, (value, label) in enumerate(self.choices):
                    yield Button(plain(label), id=f"choice-{value}", name=value, compact=True,  # three fit in 60
                                 variant="primary" if index == 0 else "default")

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.focus_value}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.name)
