"""One contact with every field and its pre-flight problems under the current mappings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kufertui.core.fields import KUFER_FIELDS
from kufertui.i18n import language, t
from kufertui.tui.keys import localize_bindings
from kufertui.tui.preflight import contact_problems


class ContactDetail(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "key.close", id="detail.close"),
        Binding("f8", "copy_email", "key.copy", id="detail.copy"),
    ]

    def __init__(self, contact_id: int) -> None:
        super().__init__(classes="modal")
        localize_bindings(self)
        self.contact_id = contact_id

    def compose(self) -> ComposeResult:
        state = self.app.state  # type: ignore[attr-defined]
        contact = state.workspace.contacts.get(self.contact_id)
        self.email = contact.email if contact else ""
        lines: list[str] = []
        if contact is None:
            lines.append(t("detail.gone"))
        else:
            for f in KUFER_FIELDS:
                value = getattr(contact, f.id, None)
                if f.id == "status":
                    value = contact.status.value or t("contacts.status-empty")
                elif f.id == "is_dozent":
                    value = t("common.yes") if value else t("common.no")
                label = f.label_de if language() == "de" else f.label_en
                lines.append(f"[b]{label:<18}[/b] {escape(str(value or '–'))}")
            if contact.flags:
                lines.append(f"[b]{t('detail.flags'):<18}[/b] {escape(', '.join(contact.flags))}")
            lines.append("")
            if not contact.status.uploadable:
                lines.append(t("detail.not-uploaded", status=contact.status.value or t("contacts.status-empty")))
            suppressed = state.workspace.ledger.contains(contact.email.lower())
            problems = contact_problems(contact, state.mappings, suppressed=suppressed)
            if problems:
                lines.append(f"[b]{t('detail.problems')}[/b]")
                for p in problems:
                    meaning = t(f"code.{p.code}")
                    lines.append(f"  • {p.code} {escape(meaning)} ({escape(p.field or '')} {escape(p.detail)})")
            else:
                lines.append(t("detail.no-problems"))
        with VerticalScroll(classes="dialog wide"):
            yield Static(t("detail.title", id=self.contact_id), classes="dialog-title")
            yield Static("\n".join(lines), id="detail-body")
        yield Footer(show_command_palette=False)

    def action_copy_email(self) -> None:
        if self.email:
            self.app.copy_text(self.email)  # type: ignore[attr-defined]


def escape(text: str) -> str:
    """Input text inside Textual markup: control characters shown as escapes, and every `[` escaped
    (Rich's escape() misses a tag right after another `[`, e.g. "ESC[2J[b]")."""
    from kufertui.core.terminal import printable

    return printable(text).replace("[", "\\[")
