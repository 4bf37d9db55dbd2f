"""Fields: KUFER field → Maileon field, the Geschlecht value map, a live XML preview and reject count."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from kufertui.core.contact import Contact
from kufertui.core.fields import (
    DEFAULT_GENDER_MAP,
    KUFER_FIELDS,
    MAILEON_STANDARD_FIELDS,
    FieldMapping,
    custom_field_types,
    target_conflicts,
)
from kufertui.i18n import cause_label, field_label, number, t
from kufertui.store import Workspace
from kufertui.sync.mapping import mapping_refusal
from kufertui.tui.modals.value_map import ValueMap, ValueMapModal
from kufertui.tui.plain import plain
from kufertui.tui.screens.base import BaseScreen
from kufertui.tui.widgets.tickbox import TickBox

MAPPABLE = tuple(f for f in KUFER_FIELDS if f.id not in ("email", "status"))
NOT_SENT = "-"
CUSTOM = "custom"


class FieldsScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit_target", "key.edit-target", id="fields.edit"),
        Binding("delete,x", "unmap", "key.unmap", id="fields.unmap"),
        Binding("ctrl+o", "keep", "key.keep-fields", id="fields.keep"),
        Binding("v", "value_map", "key.value-map", id="fields.values"),
    ]
    HELP_KEYS = (("enter", "key.edit-target"),)  # the table takes Enter itself and hands it on

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="fields-body"):
            with Vertical(id="fields-left"):
                yield DataTable(id="field-table", cursor_type="row")
                options = [(t("fields.not-sent"), NOT_SENT), *((plain(f), f) for f in MAILEON_STANDARD_FIELDS),
                           (t("fields.custom"), CUSTOM)]
                yield Select(options, id="target", compact=True, allow_blank=False, value=NOT_SENT)
                yield Input(placeholder=t("fields.custom-name"), id="custom-name", compact=True)
                yield TickBox(t("fields.gender-map"), True, id="gender-map", compact=True)
            with Vertical(id="fields-right"):
                yield Static("", id="reject-count")
                with VerticalScroll(id="xml-scroll"):
                    yield Static("", id="xml-preview", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#field-table", DataTable)
        table.add_columns(t("fields.col.kufer"), t("fields.col.maileon"))
        self.refresh_table()
        table.focus()
        self.update_preview()

    def on_screen_resume(self) -> None:
        self.update_preview()

    # --- mapping -------------------------------------------------------------------------------
    def mapping_for(self, field_id: str) -> FieldMapping | None:
        return next((m for m in self.state.mappings if m.kufer_field == field_id), None)

    def current_field(self) -> str:
        table = self.query_one("#field-table", DataTable)
        return MAPPABLE[min(table.cursor_row, len(MAPPABLE) - 1)].id

    def refresh_table(self) -> None:
        table = self.query_one("#field-table", DataTable)
        row = table.cursor_row
        table.clear()
        for f in MAPPABLE:
            m = self.mapping_for(f.id)
            target = "—" if m is None else (f"custom:{m.maileon_field}" if m.custom else m.maileon_field)
            if m is not None and m.value_map:
                target += " *"
            if f.id == "person_no":  # every upload sends the KUFER number as Maileon's external id
                target = t("fields.external-id") + ("" if m is None else f", {target}")
            table.add_row(plain(field_label(f.id)), plain(target), key=f.id)  # a custom field name is typed text
        table.move_cursor(row=row)

    @on(DataTable.RowHighlighted, "#field-table")
    def _row(self) -> None:
        m = self.mapping_for(self.current_field())
        select: Select[str] = self.query_one("#target", Select)
        with self.prevent(Select.Changed, Input.Changed):
            select.value = NOT_SENT if m is None else (CUSTOM if m.custom else m.maileon_field)
            self.query_one("#custom-name", Input).value = m.maileon_field if m and m.custom else ""
        self.query_one("#custom-name").display = bool(m and m.custom)
        self.query_one("#gender-map").display = self.current_field() == "gender_raw"

    def marked_fields(self) -> list[str]:
        """The Maileon fields kufertui sets itself: the import field and every segment's field."""
        return [self.state.settings.maileon.import_field, *(seg.field for seg in self.state.workspace.segments.all())]

    def refused_target(self, field_id: str, target: str) -> bool:
        """A Maileon field takes one KUFER field: a second one is refused with a visible note, and the
        field keeps its old mapping (else the upload carries the field twice, one value in the other's place)."""
        others = [m for m in self.state.mappings if m.kufer_field != field_id]
        conflicts = target_conflicts([*others, FieldMapping(field_id, target)], reserved=self.marked_fields())
        writers = next((ids for ids in conflicts.values() if field_id in ids), None)
        if writers is None:
            return False
        other = ", ".join(field_label(w) for w in writers if w not in ("", field_id))
        key = "mapping.refused-import" if "" in writers else "mapping.refused"
        self.notify(t(key, field=field_label(field_id), target=target, other=other), severity="error", timeout=10)
        self.refresh_table()
        self._row()  # the picker shows the kept mapping again
        return True

    def set_mapping(self, target: str, custom_name: str = "", reset_values: bool = False) -> None:
        field_id = self.current_field()
        old = self.mapping_for(field_id)
        wanted = custom_name if target == CUSTOM else target
        if wanted and wanted != NOT_SENT and self.refused_target(field_id, wanted):
            return
        self.state.mappings = [m for m in self.state.mappings if m.kufer_field != field_id]
        if target == CUSTOM:
            if custom_name:
                self.state.mappings.append(FieldMapping(field_id, custom_name, True, old.value_map if old else {}))
        elif target != NOT_SENT:
            value_map = dict(DEFAULT_GENDER_MAP) if field_id == "gender_raw" and self.query_one(
                "#gender-map", Checkbox).value else {}
            if old is not None and old.value_map and not reset_values:
                value_map = old.value_map  # an edited value map survives a change of the target field
            self.state.mappings.append(FieldMapping(field_id, target, False, value_map))
        self.refresh_table()
        self.update_preview()

    @on(Select.Changed, "#target")
    def _target(self, event: Select.Changed) -> None:
        value = str(event.value)
        self.query_one("#custom-name").display = value == CUSTOM
        if value == CUSTOM:
            self.query_one("#custom-name", Input).focus()
            return
        self.set_mapping(value)
        self.query_one("#field-table").focus()  # Enter, pick, Enter: back on the row for the next field

    @on(Input.Submitted, "#custom-name")
    def _custom(self, event: Input.Submitted) -> None:
        self.set_mapping(CUSTOM, event.value.strip())
        self.query_one("#field-table").focus()

    @on(Checkbox.Changed, "#gender-map")
    def _gender_map(self) -> None:
        m = self.mapping_for("gender_raw")
        if m is not None and not m.custom:
            self.set_mapping(m.maileon_field, reset_values=True)

    @on(DataTable.RowSelected, "#field-table")
    def _row_selected(self) -> None:
        self.action_edit_target()  # the table takes Enter itself: without this, Enter did nothing

    def action_edit_target(self) -> None:
        select: Select[str] = self.query_one("#target", Select)
        select.focus()
        select.expanded = True

    def action_value_map(self) -> None:
        field_id = self.current_field()
        m = self.mapping_for(field_id)
        if m is None:
            self.notify(t("fields.values-unmapped"), severity="warning", timeout=5)
            return
        kufer = next(f for f in MAPPABLE if f.id == field_id)
        label = field_label(kufer.id)
        target = f"custom:{m.maileon_field}" if m.custom else m.maileon_field
        seen = self.state.workspace.contacts.value_counts(field_id)
        self.app.push_screen(ValueMapModal(t("valuemap.title", field=label, target=target), m.value_map, seen),
                             lambda result: self._values_kept(field_id, result))

    def _values_kept(self, field_id: str, result: ValueMap | None) -> None:
        m = self.mapping_for(field_id)
        if result is None or m is None:
            return
        m.value_map = result
        self.refresh_table()
        self.update_preview()

    def action_unmap(self) -> None:
        self.set_mapping(NOT_SENT)

    def action_keep(self) -> None:
        """Remember the mapping in the settings file (as the [fields] and [value_maps] sections)."""
        if self.refused_read_only("save"):
            return
        from kufertui.config import save_settings
        from kufertui.sync.mapping import mappings_to_settings

        mappings_to_settings(self.state.mappings, self.state.settings)
        save_settings(self.state.settings, self.state.settings_path)
        self.notify(t("fields.kept"))

    # --- preview and reject count ------------------------------------------------------------
    def preview_contact(self) -> Contact | None:
        store = self.state.workspace.contacts
        contact_id = self.state.highlighted_id
        if contact_id is None:
            ids = store.page(self.state.upload_filter(), 0, 1, ("id",))
            contact_id = int(ids[0][0]) if ids else None  # type: ignore[call-overload]
        return store.get(contact_id) if contact_id is not None else None

    def update_preview(self) -> None:
        contact = self.preview_contact()
        box = self.query_one("#xml-preview", Static)
        if contact is None:
            box.update(t("fields.no-contact"))
        else:
            box.update(plain(self.xml_for(contact)))
        self.query_one("#reject-count", Static).update(t("fields.counting"))
        self._count_rejects([FieldMapping(m.kufer_field, m.maileon_field, m.custom, dict(m.value_map))
                             for m in self.state.mappings])

    def xml_for(self, contact: Contact) -> str:
        from kufertui.sync.preview import preview_xml

        return preview_xml(contact, self.state.mappings, self.state.settings.maileon.import_field)

    @work(thread=True, exclusive=True, group="preflight", exit_on_error=False)
    def _count_rejects(self, mappings: list[FieldMapping]) -> None:
        from kufertui.sync.preview import preflight_summary

        state = self.state
        ws = Workspace.open(state.workspace_root)
        try:
            summary = preflight_summary(ws, state.settings, state.upload_filter(), state.upload_ids(), mappings)
        finally:
            ws.close()
        self.app.call_from_thread(self._show_rejects, summary)

    def _show_rejects(self, summary: dict[str, int]) -> None:
        causes = {k: v for k, v in summary.items() if k not in ("sendable", "selected") and v}
        total = sum(causes.values())
        parts = ", ".join(f"{cause_label(code)}: {number(n)}"
                          for code, n in sorted(causes.items(), key=lambda i: -i[1]))
        text = t("fields.rejects", n=number(total), sendable=number(summary.get("sendable", 0)),
                 selected=number(summary.get("selected", 0)))
        custom = custom_field_types(self.state.mappings)
        created = t("fields.custom-created", fields=", ".join(
            f"{name} ({t('fieldtype.' + kind)})" for name, kind in custom.items())) if custom else ""
        import_field, *segment_fields = self.marked_fields()
        refusal = mapping_refusal(self.state.mappings, import_field, segment_fields)
        problem = "✗ " + t(refusal[0], **refusal[1]) if refusal else ""  # e.g. from a hand-edited [fields]
        self.query_one("#reject-count", Static).update(
            plain("\n".join(line for line in (problem, text, parts, created) if line)))
