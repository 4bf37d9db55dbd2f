"""Errors of the KUFER side as data: a reason code plus parameters, translated by the UI.

Row-level problems never abort a file: they become a `RowError` (file line, reason code, detail).
File-level problems raise `ImportFailure(code, **params)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Row rejections (RowError.reason): the row is skipped and counted.
ROW_REASONS: tuple[str, ...] = (
    "missing-email",  # no e-mail in the row (detail: TNR or name, to find the person)
    "invalid-status",  # newsletter status cell not J/K/N/empty (detail: the cell)
    "nul-byte",  # the line contains NUL bytes (binary garbage, UTF-16 fragment)
    "line-too-long",  # physical line / record longer than the limit (detail: size in bytes)
    "record-too-large",  # XML record past 1000 elements or 1 MB of text (detail: the limit), skipped unread
    "broken-quotes",  # unbalanced or misplaced quotes (detail: parser message / line span)
    "bad-row",  # any other unreadable row (detail: parser message)
)

# Row remarks (Contact.flags): the row is kept.
ROW_FLAGS: tuple[str, ...] = (
    "bad-date",  # birthday not TT.MM.JJJJ or not a real date: stored as None
    "several-emails",  # more than one e-mail: first kept, others in extra_emails
    "organisation",  # GESCHLECHT F = Firma: no gender
    "unknown-gender",  # GESCHLECHT value not in the value map (e.g. "x"): no gender
    "mixed-encoding",  # this line was in another encoding than the rest of the file
    "extra-columns",  # more cells than header columns (a delimiter inside a value?)
    "control-characters",  # control characters (e.g. a vertical tab from Excel) replaced by spaces
)

# File failures (ImportFailure.code) with their params.
FAILURE_CODES: dict[str, tuple[str, ...]] = {
    "file-not-found": ("path",),
    "is-directory": ("path",),
    "permission-denied": ("path",),
    "empty-file": ("path",),
    "header-only": ("path", "columns"),
    "no-email-column": ("path", "columns"),  # columns: the headers (or XML tags) found
    "xml-forbidden": ("path", "construct"),  # construct: "DOCTYPE" or "ENTITY"
    "xml-syntax": ("path", "line", "detail"),
    "xml-encoding": ("path", "encoding"),  # declared (or read) in an encoding not on the allowlist
    "xml-value-too-large": ("path", "limit", "offset"),  # one tag with its attributes, or one value, past the limit
    "xml-too-many-names": ("path", "limit"),  # more distinct tag/attribute/namespace names than the limit
    "unknown-format": ("path", "detail"),  # detail e.g. "xlsx", "xls", "XML in UTF-32"
    "not-an-export": ("path", "kind"),  # kind: the file type its first bytes name ("PNG", "ZIP", "PDF" …)
    "binary-file": ("path",),  # control bytes where a KUFER export has text
    "encoding-mismatch": ("path", "encoding", "found"),  # the profile's encoding; found: what the file is in
    "profile-invalid": ("path", "detail"),
    "sql-not-readonly": ("detail",),  # detail: what was found instead, in SQL terms ("SELECT … INTO", "KILL")
    "sql-unparseable": ("line", "col", "near"),  # the statement is refused unread, never sent to the server
    "sql-error": ("detail",),
    "driver-missing": ("driver",),
    "writeback-invalid": ("detail",),
    "dsn-invalid": ("part",),  # part: scheme, host, port or form – never the password
    "writeback-too-broad": ("rows",),  # one unsubscribe changed more than one row (rows; "?" = not told)
}

# The troubleshooting hint (kufertui.messages.hints) of the failures that have one of their own.
FAILURE_HINTS: dict[str, str] = {"writeback-too-broad": "writeback-too-broad", "dsn-invalid": "config-invalid"}


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: file line (CSV) or element line (XML) / row number (SQL)."""

    line: int
    reason: str
    detail: str = ""


class ImportFailure(Exception):
    """The whole source cannot be read. `code` is one of FAILURE_CODES, `params` its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        self.hint_id: str | None = FAILURE_HINTS.get(code)
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code}: {shown}" if shown else code)

    def text(self) -> str:
        """The failure in the user's language (``import.fail.<code>``)."""
        from kufertui.i18n import t

        return t(f"import.fail.{self.code}", **self.params)
