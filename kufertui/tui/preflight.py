"""Pre-flight problems of one contact under the current field mappings (core rules, no I/O)."""

from __future__ import annotations

from kufertui.core.contact import Contact
from kufertui.core.fields import FieldMapping
from kufertui.core.validation import Problem, check_contact


def mapped_values(contact: Contact, mappings: list[FieldMapping]) -> tuple[dict[str, str | None],
                                                                           dict[str, object]]:
    standard: dict[str, str | None] = {}
    custom: dict[str, object] = {}
    for m in mappings:
        raw = getattr(contact, m.kufer_field, None)
        value = m.apply(None if raw is None else str(raw))
        if m.custom:
            custom[m.maileon_field] = value
        else:
            standard[m.maileon_field] = value
    return standard, custom


def contact_problems(contact: Contact, mappings: list[FieldMapping], *, suppressed: bool = False) -> list[Problem]:
    standard, custom = mapped_values(contact, mappings)
    problems = check_contact(contact.email, standard, custom, None)
    if suppressed:
        problems.append(Problem(0, "email", "ledger"))
    return problems
