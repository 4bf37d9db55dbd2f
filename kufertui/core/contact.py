"""The contact as kufertui holds it in the workspace, and the KUFER newsletter statuses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum


class Status(StrEnum):
    """KUFER newsletter status (the "Verteiler" field)."""

    J = "J"  # direct newsletter sign-up
    K = "K"  # customer relationship (course booking), § 7 Abs. 3 UWG
    EMPTY = ""  # nothing defined: never uploaded
    N = "N"  # objection / unsubscribed: never uploaded, never lifted by an import

    @classmethod
    def parse(cls, raw: str | None) -> Status:
        """Read a KUFER status cell; unknown words raise ValueError."""
        text = (raw or "").strip().upper()
        aliases = {
            "": cls.EMPTY, "J": cls.J, "JA": cls.J, "Y": cls.J, "YES": cls.J, "1": cls.J,
            "K": cls.K, "N": cls.N, "NEIN": cls.N, "NO": cls.N, "0": cls.N,
            "-": cls.EMPTY,
        }
        if text in aliases:
            return aliases[text]
        raise ValueError(f"unknown newsletter status {raw!r}")

    @property
    def uploadable(self) -> bool:
        return self in (Status.J, Status.K)

    @property
    def label(self) -> str:
        return self.value or "leer"


# The statuses ever sent to Maileon, as the values a ContactFilter holds; Status.uploadable decides.
UPLOADABLE_STATUSES: frozenset[str] = frozenset(s.value for s in Status if s.uploadable)


@dataclass(slots=True)
class Contact:
    """One KUFER person as far as the newsletter needs it. Strings are normalised at import."""

    email: str
    status: Status = Status.EMPTY
    person_no: str | None = None
    salutation: str | None = None
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    gender_raw: str | None = None  # the KUFER GESCHLECHT cell as found (M, W, D, F, "Frau", ...)
    gender: str | None = None  # m / f / d after the default value map; None for F (Firma) or unknown
    organization: str | None = None
    birthday: str | None = None  # ISO yyyy-mm-dd
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    is_dozent: bool = False
    departments: str | None = None  # Fachbereiche, comma separated
    extra_emails: str | None = None  # further e-mail entries of the person, comma separated
    source_line: int | None = None  # line (CSV) or element number (XML) in the import file
    flags: list[str] = field(default_factory=list)  # import remarks, e.g. "several-emails"

    @property
    def key(self) -> str:
        """Identity in the workspace: person number, else the lower-cased e-mail."""
        return f"tnr:{self.person_no}" if self.person_no else f"email:{self.email.lower()}"


CONTACT_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(Contact) if f.name not in ("flags", "source_line")
)
