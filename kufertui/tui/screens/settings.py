"""Settings: Maileon access, proxy, TLS, permissions, batches, retention, language, source, legal basis.

Secrets never enter a widget: the key and the proxy password fields start empty with the masked
value as placeholder; whatever is typed or pasted replaces the stored secret, empty keeps it. The
SQL DSN shows its password masked; while the mask stays in place, the stored password is kept. A DSN
from the environment is shown read-only: editing it would write the environment's password into the file.
"""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from kufertui.config import PERMISSIONS, ConfigError, Secret, Settings, save_settings
from kufertui.core.dsn import mask_dsn, unmask_dsn
from kufertui.core.hints import api_host_of
from kufertui.core.legal import KNotice, k_notice_confirmed, k_notice_state
from kufertui.core.terminal import printable
from kufertui.i18n import LANGUAGES, has, t
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.plain import plain, plain_t
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.tickbox import TickBox


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str  # section.name in Settings
    kind: str  # text, int, secret, select, dsn (a URL whose password is shown masked)
    options: tuple[str, ...] = ()


FORM: tuple[FieldSpec, ...] = (
    FieldSpec("maileon.api_key", "secret"),
    FieldSpec("maileon.base_url", "text"),
    FieldSpec("proxy.host", "text"),
    FieldSpec("proxy.port", "int"),
    FieldSpec("proxy.user", "text"),
    FieldSpec("proxy.password", "secret"),
    FieldSpec("tls.ca_bundle", "text"),
    FieldSpec("permissions.J", "select", tuple(PERMISSIONS)),
    FieldSpec("permissions.K", "select", tuple(PERMISSIONS)),
    FieldSpec("maileon.batch_size", "int"),
    FieldSpec("maileon.batches_in_flight", "int"),
    FieldSpec("maileon.import_field", "text"),
    FieldSpec("unsubscribers.retention_days", "int"),
    FieldSpec("ui.language", "select", LANGUAGES),
    FieldSpec("source.kind", "select", ("file", "sql")),
    FieldSpec("source.profile", "text"),
    FieldSpec("source.sql_dsn", "dsn"),
)


# The form's sections, named as the handbook (messages/hints.py) refers to them: "Einstellungen > Proxy".
# Each starts before the field named here; a test checks that every section the handbook names is shown.
SECTIONS: dict[str, str] = {
    "maileon.api_key": "maileon", "proxy.host": "proxy", "tls.ca_bundle": "tls", "permissions.J": "permissions",
    "maileon.batch_size": "transfer", "unsubscribers.retention_days": "unsubscribers", "ui.language": "interface",
    "source.kind": "source",
}


# the dropdowns whose choices have words (texts "settings.option.<name>.<choice>")
OPTION_TEXTS: dict[str, str] = {"permissions.J": "permission", "permissions.K": "permission", "ui.language": "language",
                                "source.kind": "source-kind"}


def option_label(key: str, option: str) -> Text:
    """A dropdown choice in words, its code in brackets where the file and the docs use it ("Double-Opt-in
    (doi)"); a code without words of its own as it is."""
    name = OPTION_TEXTS.get(key, key)
    key = f"settings.option.{name}.{option}"
    return plain(t(key) if has(key) else option)


def widget_id(key: str) -> str:
    return "set-" + key.replace(".", "-").replace("_", "-")


class SettingsScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "save", "key.save", id="settings.save"),
        Binding("ctrl+t", "test_connection", "key.test", id="settings.test"),
    ]
    # F9 and type: the first field has the cursor. Said here, the screen focuses it at once; Textual's default
    # focuses the scrolling form first, and each focus change of the form restyles its ~100 widgets.
    AUTO_FOCUS = "#" + widget_id(FORM[0].key)

    def __init__(self) -> None:
        super().__init__()
        self.draft: Settings = copy.deepcopy(self.state.settings)
        self.local_problems: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        s = self.draft
        with VerticalScroll(id="settings-form"):
            for spec in FORM:
                if spec.key in SECTIONS:
                    yield Static(plain_t(f"settings.section.{SECTIONS[spec.key]}"), classes="form-section")
                section, name = spec.key.split(".")
                value = getattr(getattr(s, section), name)
                with Horizontal(classes="form-row"):
                    yield Label(plain(t(f"settings.{spec.key}")), classes="form-label")
                    wid = widget_id(spec.key)
                    if spec.kind == "secret":
                        shown = value.masked(tail=spec.key == "maileon.api_key")  # a password: no tail
                        yield Input(placeholder=shown or t("settings.secret-empty"), password=True,
                                    id=wid, compact=True)
                    elif spec.kind == "select":
                        yield Select([(option_label(spec.key, o), o) for o in spec.options],
                                     value=value if value in spec.options
                                     else Select.BLANK, id=wid, compact=True, allow_blank=False)
                    elif spec.kind == "dsn":
                        yield Input(mask_dsn(value), id=wid, compact=True, disabled=bool(s.env_source(spec.key)))
                    else:
                        yield Input(str(value) if value not in (0, "") else "", id=wid, compact=True,
                                    type="integer" if spec.kind == "int" else "text")
                yield Static("", id=wid + "-error", classes="form-error")
                if var := s.env_source(spec.key):  # overrides the file; a save leaves the file's value
                    yield Static(plain_t("settings.from-env", var=var), classes="form-note")
                if spec.key == "maileon.api_key":
                    with Horizontal(classes="form-row"):
                        yield Button(t("settings.test"), id="test-connection", compact=True)
                        yield Static("", id="rights")
                if spec.key == "unsubscribers.retention_days":  # the section's switch, under its number
                    yield TickBox(t("settings.push_objections"), s.unsubscribers.push_objections,
                                  id="push-objections")
                    yield Static(t("settings.push-off-warning"), id="push-warning", classes="warning")
            yield Static(plain_t("settings.section.legal"), classes="form-section")
            yield TickBox(self._k_label(), k_notice_confirmed(s.legal.k_notice_confirmed_on), id="k-notice")
            yield Static("", id="settings-status")
            yield Button(t("settings.save"), id="save", variant="primary", compact=True)

    def _k_label(self) -> Text:
        when = self.draft.legal.k_notice_confirmed_on
        note = {KNotice.CONFIRMED: "settings.k-notice-on", KNotice.FUTURE: "settings.k-notice-future"}.get(
            k_notice_state(when))  # a future date holds K back like no date: the box stays empty
        return plain(t("settings.k-notice") + (" " + t(note, date=printable(when)) if note else ""))

    def on_mount(self) -> None:
        self.query_one("#save").display = not self.state.read_only  # refused there: not offered
        self.validate()
        self.query_one(f"#{widget_id(FORM[0].key)}").focus()  # F9 and type: the first field has the cursor

    # --- validation as you type --------------------------------------------------------------
    def _apply(self, spec: FieldSpec, raw: Any) -> None:
        section, name = spec.key.split(".")
        target = getattr(self.draft, section)
        self.local_problems.pop(spec.key, None)
        if spec.kind == "secret":
            if raw:
                setattr(target, name, Secret(str(raw).strip()))
        elif spec.kind == "int":
            try:
                setattr(target, name, int(raw) if str(raw).strip() else 0)
            except ValueError:
                self.local_problems[spec.key] = "settings.not-a-number"
        elif spec.kind == "dsn":
            original = getattr(getattr(self.state.settings, section), name)
            setattr(target, name, unmask_dsn(str(raw).strip(), original))
        else:
            setattr(target, name, str(raw).strip())

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        wid = event.control.id or ""
        for spec in FORM:
            if widget_id(spec.key) == wid:
                self._apply(spec, event.value)
                self.validate()
                return

    @on(Checkbox.Changed, "#push-objections")
    def _push_changed(self, event: Checkbox.Changed) -> None:
        self.draft.unsubscribers.push_objections = event.value
        self.validate()

    @on(Checkbox.Changed, "#k-notice")
    def _k_changed(self, event: Checkbox.Changed) -> None:
        self.draft.legal.k_notice_confirmed_on = self.state.now().date().isoformat() if event.value else ""
        event.checkbox.label = self._k_label()

    def problems(self) -> dict[str, str]:
        found = dict(self.draft.problems())
        found.update(self.local_problems)
        return found

    def validate(self) -> bool:
        problems = self.problems()
        for spec in FORM:
            error = self.query_one(f"#{widget_id(spec.key)}-error", Static)
            message = problems.get(spec.key)
            error.update(plain(t(message)) if message else "")
            error.set_class(bool(message), "-shown")
        self.query_one("#push-warning").display = not self.draft.unsubscribers.push_objections
        status = self.query_one("#settings-status", Static)
        status.update(plain_t("settings.problems", n=len(problems)) if problems else "")
        return not problems

    # --- save and test -------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.refused_read_only("save"):
            return
        if not self.validate():
            self.notify(t("settings.not-saved"), severity="error")
            return
        try:
            path = save_settings(self.draft, self.state.settings_path)
        except OSError as exc:
            self.notify(t("settings.save-failed", detail=exc.strerror or str(exc)), severity="error")
            return
        except ConfigError as exc:  # e.g. an environment DSN edited around its password: never written
            self.notify(exc.text(), severity="error", timeout=10)
            return
        language_changed = self.draft.ui.language != self.state.settings.ui.language
        self.state.settings = copy.deepcopy(self.draft)
        self._empty_secret_fields()
        text = t("settings.saved", path=str(path))  # the language note only when the language changed
        self.notify(text + (" " + t("settings.language-next-start") if language_changed else ""))

    def _empty_secret_fields(self) -> None:
        """After saving, a secret field is empty again with the saved value masked as its placeholder: typing
        then enters a new value instead of appending to the hidden saved one."""
        for spec in FORM:
            if spec.kind != "secret":
                continue
            section, name = spec.key.split(".")
            field = self.query_one(f"#{widget_id(spec.key)}", Input)
            with field.prevent(Input.Changed):
                field.value = ""
            shown = getattr(getattr(self.draft, section), name).masked(tail=spec.key == "maileon.api_key")
            field.placeholder = shown or t("settings.secret-empty")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#test-connection")
    def _test_pressed(self) -> None:
        self.action_test_connection()

    def action_test_connection(self) -> None:
        self.query_one("#rights", Static).update(t("settings.testing"))
        if self.state.read_only:
            # read-only (the helpdesk's view): the key goes only to the saved address, never to one typed here
            self.notify(t("settings.test-saved-only"), severity="warning", timeout=8)
            self._test(copy.deepcopy(self.state.settings))
            return
        self._test(copy.deepcopy(self.draft))

    @work(thread=True, exclusive=True, group="test-connection", exit_on_error=False)
    def _test(self, settings: Settings) -> None:
        from kufertui.sync.connect import check_rights

        try:
            rights = asyncio.run(check_rights(settings, self.state.transport))
        except Exception as exc:  # typed Maileon errors carry hint_id; show, never crash the UI
            self.app.call_from_thread(self._show_rights, None, str(exc), getattr(exc, "hint_id", None),
                                      api_host_of(settings.maileon.base_url))
            return
        self.app.call_from_thread(self._show_rights, rights, "", None, "")

    def _show_rights(self, rights: dict[str, bool] | None, error: str, hint_id: str | None, host: str) -> None:
        """``host``: the Maileon host of the settings tested, which the connection hints name."""
        label = self.query_one("#rights", Static)
        if rights is None:
            label.update(plain_t("settings.test-failed", detail=error))  # a server's answer: never markup
            label.add_class("-bad")
            if hint_id:
                self.app.push_screen(HintModal(hint_id, error, host=host))
            return
        label.remove_class("-bad")
        parts = [f"{method} {'✓' if ok else '✗'}" for method, ok in rights.items()]
        label.update(plain_t("settings.rights", rights="  ".join(parts)))
