"""Segment names and the Maileon names derived from them (pure rules, no I/O).

Maileon's documented rule for custom field names is only "3–64 characters, not a standard or reserved
name"; which characters it accepts is not documented. So we keep to a strict safe rule: a fixed prefix,
then ASCII letters, digits and underscores only, 64 characters at most. Umlauts and ß are spelt out
(ä → ae), spaces and hyphens become underscores; anything else is refused with the name that would be used.
The target group's name (3–64 letters, digits, spaces) is the field name with spaces for underscores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD_PREFIX = "KUFER_Seg_"
FIELD_MAX = 64  # Maileon: custom field names and target group names have 3 to 64 characters
NAME_MAX = FIELD_MAX - len(FIELD_PREFIX)
_SPELL = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", " ": "_", "-": "_"}
_SAFE = re.compile(r"[A-Za-z0-9_]")
_FIELD_RE = re.compile(r"^[A-Za-z0-9_]{3,64}\Z")


@dataclass(frozen=True, slots=True)
class NameProblem:
    """Why a segment name cannot be used; ``suggestion`` is the field name that would be used instead."""

    key: str  # message key: segment.name-empty | segment.name-chars | segment.name-too-long
    suggestion: str
    detail: str = ""


def _spelt(name: str) -> tuple[str, str]:
    """(the name spelt in safe characters, the characters that had to be dropped)."""
    out: list[str] = []
    dropped: list[str] = []
    for ch in name.strip():
        ch = _SPELL.get(ch, ch)
        if all(_SAFE.match(c) for c in ch):
            out.append(ch)
        elif ch not in dropped:
            dropped.append(ch)
    slug = re.sub(r"_+", "_", "".join(out)).strip("_")
    return slug, "".join(dropped)


def field_name(name: str) -> str:
    """The Maileon custom field of a segment (assumes name_problem(name) is None)."""
    slug, _ = _spelt(name)
    return FIELD_PREFIX + slug[:NAME_MAX]


def target_group_name(field: str) -> str:
    """The contact filter's and target group's name: letters, digits and spaces only."""
    return field.replace("_", " ").strip()


def name_problem(name: str) -> NameProblem | None:
    slug, dropped = _spelt(name)
    suggestion = FIELD_PREFIX + slug[:NAME_MAX] if slug else ""
    if not slug:
        return NameProblem("segment.name-empty", suggestion)
    if dropped:
        return NameProblem("segment.name-chars", suggestion, dropped)
    if len(slug) > NAME_MAX:
        return NameProblem("segment.name-too-long", suggestion, str(NAME_MAX))
    assert _FIELD_RE.match(suggestion)
    return None


def clash(field: str, others: dict[str, str]) -> str | None:
    """The segment whose field equals ``field`` ignoring case (Maileon's case rule is unknown: strict)."""
    for other_name, other_field in others.items():
        if other_field.lower() == field.lower():
            return other_name
    return None
