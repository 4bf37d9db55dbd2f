"""From a workspace contact to the contact Maileon receives, through the user's field mapping."""

from __future__ import annotations

from collections.abc import Sequence

from kufertui.config import Settings
from kufertui.core.contact import Contact
from kufertui.core.fields import DEFAULT_GENDER_MAP, FIELDS_BY_ID, FieldMapping, default_mappings
from kufertui.maileon.xml import MaileonContact

CUSTOM_PREFIX = "custom:"


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
        value_map: dict[str, str | None] = {}
        if field_id in settings.value_maps:
            value_map = {k.upper(): (v or None) for k, v in settings.value_maps[field_id].items()}
        elif field_id == "gender_raw":
            value_map = dict(DEFAULT_GENDER_MAP)
        out.append(FieldMapping(field_id, name, custom, value_map))
    return out


def mappings_to_settings(mappings: Sequence[FieldMapping], settings: Settings) -> None:
    settings.fields = {m.kufer_field: (CUSTOM_PREFIX + m.maileon_field if m.custom else m.maileon_field)
                       for m in mappings}
    settings.value_maps = {m.kufer_field: {k: v or "" for k, v in m.value_map.items()}
                           for m in mappings if m.value_map}


def _value(contact: Contact, field_id: str) -> str | None:
    value = getattr(contact, field_id)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return None
    text = str(value)
    return text if text != "" else None


def to_maileon(contact: Contact, mappings: Sequence[FieldMapping], import_field: str) -> MaileonContact:
    """The Maileon contact for one workspace contact; ImportAPI=true marks this run's selection."""
    standard: dict[str, str | None] = {}
    custom: dict[str, str | bool | int | None] = {}
    for m in mappings:
        value = m.apply(_value(contact, m.kufer_field))
        if m.custom:
            custom[m.maileon_field] = value
        else:
            standard[m.maileon_field] = value
    custom[import_field] = True
    return MaileonContact(email=contact.email, external_id=contact.person_no, standard_fields=standard,
                          custom_fields=custom)
