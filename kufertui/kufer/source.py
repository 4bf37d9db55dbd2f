"""The common face of every KUFER source (CSV, XML, SQL): `KuferFile`.

Iterating yields `Contact` objects; rejected rows land in `errors`. When iteration ends,
`rows_read == contacts yielded + len(errors)` (blank rows are not rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from operator import attrgetter
from typing import Any

from kufertui.core.contact import CONTACT_FIELDS, Contact
from kufertui.core.fields import SYNONYM_INDEX, normalise_header
from kufertui.kufer.errors import RowError

_CONTACT_VALUES = attrgetter(*CONTACT_FIELDS)
RUN_ROWS = 500  # contacts per run of value_columns


class KuferFile:
    """Base class: one opened source. Single pass; use as a context manager or call close()."""

    format: str = ""  # "csv", "xml-registration", "xml-flat", "sql"

    def __init__(self, path: str) -> None:
        self.path = path
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.mapping: dict[str, str] = {}  # source header (or XML tag / SQL column) → field id
        self.unmapped: list[str] = []
        self.errors: list[RowError] = []
        self.rows_read = 0
        self.contacts_read = 0
        self.flag_counts: Counter[str] = Counter()

    def __iter__(self) -> Iterator[Contact]:
        raise NotImplementedError

    def value_columns(self) -> Iterator[list[Sequence[Any]]]:
        """Iterate the contacts a run at a time, each run a column per field of Contact (CONTACT_FIELDS order), what
        ContactStore.import_contacts takes as ``columns``. Instead of iterating, not besides it."""
        contacts = map(_CONTACT_VALUES, iter(self))
        while run := list(islice(contacts, RUN_ROWS)):
            yield list(zip(*run, strict=True))

    def close(self) -> None:
        """Release the file handle / cursor. Safe to call twice."""

    def __enter__(self) -> KuferFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def summary(self) -> dict[str, Any]:
        """Plain-data description for the UI, the CLI and the import history."""
        return {
            "path": self.path, "format": self.format, "encoding": self.encoding,
            "delimiter": self.delimiter, "mapping": dict(self.mapping), "unmapped": list(self.unmapped),
            "rows_read": self.rows_read, "contacts": self.contacts_read, "rejected": len(self.errors),
            "flags": dict(self.flag_counts),
        }


def map_columns(columns: Iterable[str], overrides: dict[str, str] | None = None
                ) -> tuple[list[tuple[int, str]], list[int], dict[str, str], list[str]]:
    """Map source column names onto field ids through SYNONYM_INDEX (a profile's `overrides` win;
    an override of "" means "ignore this column").

    Returns (pairs of (column index, field id), indices of further e-mail columns, mapping, unmapped).
    The first column of a field wins; further e-mail columns feed extra_emails, other duplicates
    are reported as unmapped.
    """
    overrides = overrides or {}
    pairs: list[tuple[int, str]] = []
    extra_email: list[int] = []
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    taken: set[str] = set()
    for idx, name in enumerate(columns):
        if name in overrides:
            field_id: str | None = overrides[name] or None
            if field_id is None:
                continue  # deliberately ignored by the profile
        else:
            field_id = SYNONYM_INDEX.get(normalise_header(name))
        if field_id is None:
            if name.strip():
                unmapped.append(name)
            continue
        if field_id in taken:
            if field_id == "email":
                extra_email.append(idx)
                mapping[name] = field_id
            else:
                unmapped.append(name)
            continue
        taken.add(field_id)
        pairs.append((idx, field_id))
        mapping[name] = field_id
    return pairs, extra_email, mapping, unmapped
