"""Edit the value map of one mapped field: each KUFER value → a Maileon value, "-" for nothing, empty
for unchanged. Enter or Ctrl+O keeps the map, Esc drops the changes."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from kufertui.i18n import number, t
from kufertui.tui.keys import localize_bindings
from kufertui.tui.plain import plain

NOTHING = "-"
ValueMap = dict[str, str | None]


def map_values(value_map: ValueMap, seen: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The rows of the dialog: the values found in the workspace (most frequent first), then the keys of
    the map no contact has (yet). Keys are upper case, as FieldMapping.apply looks them up."""
    counts: dict[str, int] = {}
    for value, n in seen:
        key = value.strip().upper()
        if key:
            counts[key] = counts.get(key, 0) + n
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows += [(key, 0) for key in sorted(value_map) if key not in counts]
    return rows


def shown(value_map: ValueMap, key: str) -> str:
    if key not in value_map:
        return ""
    target = value_map[key]
    return NOTHING if target is None else target


class ValueMapModal(ModalScreen[ValueMap | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "key.close", id="valuemap.close"),
        Binding("ctrl+o", "keep", "key.keep-values", id="valuemap.keep"),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    def __init__(self, title: str, value_map: ValueMap, seen: list[tuple[str, int]]) -> None:
        super().__init__(classes="modal asks")
        localize_bindings(self)
        self.title_text = title
        self.value_map = dict(value_map)
        self.rows = map_values(value_map, seen)

    def _row(self, index: int, key: str, count: int) -> Horizontal:
        label = f"{key} ({number(count)})" if count else key
        return Horizontal(Label(plain(label), classes="vm-label"),  # a KUFER value: shown as it is
                          Input(shown(self.value_map, key), placeholder=t("valuemap.unchanged"), compact=True,
                                id=f"vm-{index}", name=key),
                          classes="form-row")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(plain(self.title_text), classes="dialog-title")
            yield Static(t("valuemap.explain"), classes="vm-explain")
            with VerticalScroll(id="vm-rows"):
                for index, (key, count) in enumerate(self.rows):
                    yield self._row(index, key, count)
            yield Input(placeholder=t("valuemap.add"), id="vm-new", compact=True)

    def on_mount(self) -> None:
        first = self.query("#vm-rows Input")
        (first.first() if first else self.query_one("#vm-new")).focus()

    @on(Input.Submitted, "#vm-new")
    async def _add(self, event: Input.Submitted) -> None:
        event.stop()
        key = event.value.strip().upper()
        event.input.value = ""
        existing = [i for i in self.query("#vm-rows Input").results(Input) if i.name == key]
        if existing or not key:
            if existing:
                existing[0].focus()
            return
        index = len(self.rows)
        self.rows.append((key, 0))
        row = self._row(index, key, 0)
        await self.query_one("#vm-rows").mount(row)
        row.query_one(Input).focus()
        row.scroll_visible()

    @on(Input.Submitted, "#vm-rows Input")
    def _submitted(self) -> None:
        self.action_keep()

    def result(self) -> ValueMap:
        out: ValueMap = {}
        for field in self.query("#vm-rows Input").results(Input):
            text = field.value.strip()
            if text:
                out[str(field.name)] = None if text == NOTHING else text
        return out

    def action_keep(self) -> None:
        self.dismiss(self.result())
