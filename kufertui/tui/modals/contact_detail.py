"""One contact with every field and the run's pre-flight verdict on it under the current mappings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kufertui.core.contact import Contact
from kufertui.core.fields import KUFER_FIELDS
from kufertui.core.terminal import printable
from kufertui.i18n import cause_label, field_label, flag_label, t
from kufertui.store.journal import ContactOutcome
from kufertui.sync.plan import Planned, contact_verdict
from kufertui.sync.unsubscribes import person_opt_out
from kufertui.tui.keys import localize_bindings
from kufertui.tui.plain import plain, plain_t


class ContactDetail(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "key.close", id="detail.close"),
        Binding("f8", "copy_email", "key.copy", id="detail.copy"),
    ]

    def __init__(self, contact_id: int) -> None:
        super().__init__(classes="modal")
        localize_bindings(self)
        self.contact_id = contact_id
        self.verdict: Planned | ContactOutcome | None = None  # the run's pre-flight on this contact

    def compose(self) -> ComposeResult:
        state = self.app.state  # type: ignore[attr-defined]
        contact = state.workspace.contacts.get(self.contact_id)
        self.email = contact.email if contact else ""
        lines: list[Text] = []
        if contact is None:
            lines.append(plain(t("detail.gone")))
        else:
            for f in KUFER_FIELDS:
                value = getattr(contact, f.id, None)
                if f.id == "status":
                    value = contact.status.value or t("contacts.status-empty")
                elif f.id == "is_dozent":
                    value = t("common.yes") if value else t("common.no")
                lines.append(_field_line(field_label(f.id), value or "–"))
            if contact.flags:
                lines.append(_field_line(t("detail.flags"), ", ".join(flag_label(flag) for flag in contact.flags)))
            fields_end = len(lines)
            lines.append(Text())
            opted_out = person_opt_out(state.workspace, contact.person_no)
            if opted_out is not None:  # the person, not only an address, unsubscribed in Maileon
                when = (opted_out.occurred_at or opted_out.recorded_at)[:10]
                lines.append(plain_t("detail.opted-out-person", when=when, email=opted_out.email))
            if not contact.status.uploadable:
                lines.append(plain_t("detail.not-uploaded", status=contact.status.value or t("contacts.status-empty")))
            else:
                lines.extend(self._verdict_lines(contact))
            # what the run does with the contact first: at 80×24 it was below the fields, out of view
            lines = [*lines[fields_end + 1:], Text(), *lines[:fields_end]]
        with VerticalScroll(classes="dialog wide"):
            yield Static(plain_t("detail.title", id=self.contact_id), classes="dialog-title")
            yield Static(Text("\n", end="").join(lines), id="detail-body")
        yield Footer(show_command_palette=False)

    def _verdict_lines(self, contact: Contact) -> list[Text]:
        """Ask the pre-flight a run with the current selection would build, in the run's order (Maileon's
        custom fields unknown offline), so the dialog says what the run will do with this contact: a later
        duplicate of an address is held back as the run holds it back."""
        state = self.app.state  # type: ignore[attr-defined]
        found = contact_verdict(state.settings, state.workspace, state.mappings, self.contact_id,
                                state.upload_filter(), state.upload_ids())
        if found is None:
            return [plain(t("detail.gone"))]
        self.verdict = found.outcome
        lines = [] if found.selected else [plain(t("detail.not-selected"), style="bold")]
        if isinstance(self.verdict, Planned):
            return [*lines, plain(t("detail.no-problems"))]
        code = self.verdict.code or ""
        lines += [plain(t("detail.problems"), style="bold"), plain(f"  • {printable(cause_label(code))}")]
        if found.sent_instead is not None:
            name = self._person_name(found.sent_instead)
            lines.append(plain_t("detail.duplicate-of", id=found.sent_instead, name=name))
        elif code != "preflight:5":
            lines += [plain(f"    {printable(part)}") for part in (self.verdict.detail or "").split("; ") if part]
        return lines

    def _person_name(self, contact_id: int) -> str:
        other = self.app.state.workspace.contacts.get(contact_id)  # type: ignore[attr-defined]
        return " ".join(part for part in (other.first_name, other.last_name) if part) if other else ""

    def action_copy_email(self) -> None:
        if self.email:
            self.app.copy_text(self.email)  # type: ignore[attr-defined]


def _field_line(label: str, value: object) -> Text:
    """A bold label, then the value exactly as it is (control characters escaped, never markup)."""
    return Text.assemble((f"{label:<18}", "bold"), " ", plain(printable(value)), end="")
