"""From a workspace contact to the contact Maileon receives, through the user's field mapping."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter

from kufertui.config import Settings
from kufertui.core.contact import Contact
from kufertui.core.fields import FIELDS_BY_ID, FieldMapping, default_mappings, default_value_map, target_conflicts
from kufertui.maileon.xml import MaileonContact

CUSTOM_PREFIX = "custom:"
_TEXT_KINDS = frozenset({"text", "date", "email"})  # KuferField kinds whose values are text (or None) as stored


def mappings_from_settings(settings: Settings) -> list[FieldMapping]:
    """The field mapping stored in the settings ([fields] and [value_maps]), or the manual's default."""
    if not settings.fields:
        return default_mappings()
    out: list[FieldMapping] = []
    for field_id, target in settings.fields.items():
        if field_id not in FIELDS_BY_ID or not target:
            continue
        custom = target.startswith(CUSTOM_PREFIX)
        name = target[len(CUSTOM_PREFIX):] if custom else target.upper()
        value_map = default_value_map(field_id)
        if field_id in settings.value_maps:
            value_map = {k.upper(): (v or None) for k, v in settings.value_maps[field_id].items()}
        out.append(FieldMapping(field_id, name, custom, value_map))
    return out


def mappings_to_settings(mappings: Sequence[FieldMapping], settings: Settings) -> None:
    settings.fields = {m.kufer_field: (CUSTOM_PREFIX + m.maileon_field if m.custom else m.maileon_field)
                       for m in mappings}
    settings.value_maps = {m.kufer_field: {k: v or "" for k, v in m.value_map.items()}
                           for m in mappings if m.value_map}


def mapping_refusal(mappings: Sequence[FieldMapping], import_field: str,
                    segment_fields: Iterable[str] = ()) -> tuple[str, dict[str, str]] | None:
    """Why these mappings must not be sent (a message key and its parameters), or None. Every face and the
    engine ask this one question: a Maileon field filled by two KUFER fields (or by one and the marks kufertui
    sets itself: the import field, a segment's field) would get one's values in the other's place."""
    from kufertui.i18n import field_label

    conflicts = target_conflicts(mappings, reserved=(import_field, *segment_fields))
    if not conflicts:
        return None
    target, writers = next(iter(conflicts.items()))
    labels = ", ".join(field_label(w) for w in writers if w)
    return ("mapping.conflict-import" if "" in writers else "mapping.conflict"), {"target": target, "fields": labels}


def _fields_of(attributes: Sequence[str]) -> Callable[[Contact], tuple[object, ...]]:
    """The contact's values of these attributes in one call (attrgetter gives a bare value for a single name)."""
    if len(attributes) > 1:
        return attrgetter(*attributes)
    if attributes:
        get = attrgetter(attributes[0])
        return lambda contact: (get(contact),)
    return lambda _contact: ()


class ContactMapper:
    """Workspace contact → Maileon contact through the user's field mapping; ImportAPI=true marks this
    run's selection. The mapping is unpacked once: this runs for every contact of every upload."""

    def __init__(self, mappings: Sequence[FieldMapping], import_field: str,
                 segment_marks: Mapping[str, frozenset[str]] | None = None) -> None:
        self.fields = [m.kufer_field for m in mappings]  # the values ``from_values`` takes, in this order
        self.values_of = _fields_of(self.fields)
        self._targets = [(m.maileon_field, m.custom, m.value_map or None) for m in mappings]
        # Every mapped field a standard field holding text as it is (no value map, not a yes/no field): the
        # usual mapping. Its values then go into the standard fields as they are, in one step.
        self.plain = all(not m.custom and not m.value_map and m.kufer_field in FIELDS_BY_ID
                          and FIELDS_BY_ID[m.kufer_field].kind in _TEXT_KINDS for m in mappings)
        self._names = tuple(m.maileon_field for m in mappings)
        self.import_field = import_field
        # a segment refresh: each refreshed segment's field, true for its members (by contact key)
        self.segment_marks = list((segment_marks or {}).items())

    def __call__(self, contact: Contact) -> MaileonContact:
        return self.from_values(contact.key, contact.email, contact.person_no, self.values_of(contact))

    def from_values(self, key: str, email: str, person_no: str | None,
                    values: Sequence[object]) -> MaileonContact:
        """The Maileon contact of a workspace contact given as its key, e-mail, KUFER number and the values of
        ``fields`` (a contact read as a row: ``ContactStore.field_rows``)."""
        standard: dict[str, str | None]
        custom: dict[str, str | bool | int | None]
        if self.plain:
            # values and names are equally long (both from the mapping); zip without strict= is quicker
            standard = dict(zip(self._names, values, strict=False))  # type: ignore[arg-type]
            if "" in standard.values():
                standard = {name: value or None for name, value in standard.items()}
            custom = {self.import_field: True}
        else:
            standard, custom = self._mapped(values)
            custom[self.import_field] = True
        for segment_field, members in self.segment_marks:
            custom[segment_field] = key in members
        return MaileonContact(email, person_no, standard, custom)  # positional: a third faster

    def _mapped(self, values: Sequence[object]) -> tuple[dict[str, str | None], dict[str, str | bool | int | None]]:
        standard: dict[str, str | None] = {}
        custom: dict[str, str | bool | int | None] = {}
        for raw, (name, is_custom, value_map) in zip(values, self._targets, strict=True):
            value: str | None
            if raw is None or raw == "":
                value = None
            else:
                if raw.__class__ is str:
                    value = raw  # type: ignore[assignment]
                elif isinstance(raw, bool):
                    value = "true" if raw else "false"
                else:
                    value = str(raw)
                if value_map is not None:
                    value = value_map.get(value.strip().upper(), value)
            if is_custom:
                custom[name] = value
            else:
                standard[name] = value
        return standard, custom


def to_maileon(contact: Contact, mappings: Sequence[FieldMapping], import_field: str) -> MaileonContact:
    """The Maileon contact for one workspace contact (see ContactMapper, for many contacts)."""
    return ContactMapper(mappings, import_field)(contact)
