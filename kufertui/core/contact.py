"""The contact as kufertui holds it in the workspace, and the KUFER newsletter statuses."""

from __future__ import annotations

from dataclasses import MISSING, Field, field, fields, make_dataclass
from enum import StrEnum
from typing import Any

from kufertui.core.fields import KUFER_FIELDS


class Status(StrEnum):
    """KUFER newsletter status (the "Verteiler" field)."""

    J = "J"  # direct newsletter sign-up
    K = "K"  # customer relationship (course booking), § 7 Abs. 3 UWG
    EMPTY = ""  # nothing defined: never uploaded
    N = "N"  # objection / unsubscribed: never uploaded, never lifted by an import

    @classmethod
    def parse(cls, raw: str | None) -> Status:
        """Read a KUFER status cell or a ``--status`` word; unknown words raise ValueError."""
        text = (raw or "").strip().upper()
        aliases = {
            "": cls.EMPTY, "J": cls.J, "JA": cls.J, "Y": cls.J, "YES": cls.J, "1": cls.J,
            "K": cls.K, "N": cls.N, "NEIN": cls.N, "NO": cls.N, "0": cls.N,
            "-": cls.EMPTY, "LEER": cls.EMPTY, "EMPTY": cls.EMPTY,
        }
        if text in aliases:
            return aliases[text]
        raise ValueError(f"unknown newsletter status {raw!r}")

    @property
    def uploadable(self) -> bool:
        return self in (Status.J, Status.K)


# The statuses ever sent to Maileon (J, K), in order; Status.uploadable decides. As the values a ContactFilter
# holds: UPLOADABLE_STATUSES.
UPLOADABLE: tuple[Status, ...] = tuple(s for s in Status if s.uploadable)
UPLOADABLE_STATUSES: frozenset[str] = frozenset(s.value for s in UPLOADABLE)


# What a Contact holds besides the KUFER fields: derived at import, never read from a KUFER cell.
DERIVED_FIELDS: tuple[tuple[str, Any, Any], ...] = (
    ("gender", str | None, None),  # m / f / d after the default value map; None for F (Firma) or unknown
    ("extra_emails", str | None, None),  # further e-mail entries of the person, comma separated
    ("source_line", int | None, None),  # line (CSV) or element number (XML) in the import file
    ("flags", list[str], field(default_factory=list)),  # import remarks, e.g. "several-emails"
)
# the attribute type and default of each kind of KUFER field (core/fields.py, KuferField.kind)
_KIND_TYPES: dict[str, tuple[Any, Any]] = {
    "email": (str, MISSING), "status": (Status, Status.EMPTY), "text": (str | None, None),
    "date": (str | None, None),  # ISO yyyy-mm-dd
    "bool": (bool, False),
}


def contact_key(person_no: str | None, email_lc: str) -> str:
    """Identity in the workspace: person number, else the lower-cased e-mail."""
    return f"tnr:{person_no}" if person_no else f"email:{email_lc}"


def _key(self: Any) -> str:
    return contact_key(self.person_no, self.email.lower())


def _contact_class() -> type:
    if KUFER_FIELDS[0].id != "email":  # the one attribute without a default comes first
        raise ValueError("core/fields.py: KUFER_FIELDS must begin with the e-mail")
    spec: list[tuple[Any, ...]] = []
    for f in KUFER_FIELDS:
        kind, default = _KIND_TYPES[f.kind]  # a kind not listed there: KeyError naming it, at import
        spec.append((f.id, kind) if default is MISSING else (f.id, kind, field(default=default)))
    spec.extend((name, kind, default if isinstance(default, Field) else field(default=default))
                for name, kind, default in DERIVED_FIELDS)
    return make_dataclass(
        "Contact", spec, slots=True,
        namespace={"key": property(_key), "__module__": __name__, "__doc__": (
            "One KUFER person as far as the newsletter needs it: an attribute per field of core/fields.py "
            "(KUFER_FIELDS, in that order), then DERIVED_FIELDS. Strings are normalised at import.")})


Contact = _contact_class()


CONTACT_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(Contact) if f.name not in ("flags", "source_line")
)

# A contact as a plain sequence: its fields in Contact's order (KUFER_FIELDS, then DERIVED_FIELDS). The import
# hands contacts to the workspace as columns in this order, without an object per row (kufer/block.py,
# store/contact_import.py).
CONTACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Contact))
