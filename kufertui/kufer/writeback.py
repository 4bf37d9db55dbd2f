"""Hand unsubscribers (status N) back to KUFER: a CSV file for KUFER's import, or an admin's SQL UPDATE."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kufertui.core.contact import Status
from kufertui.core.validation import valid_email
from kufertui.kufer.csvsafe import csv_safe
from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.sqlcheck import to_pyformat, update_as_read
from kufertui.platform import AtomicFile

WRITEBACK_HEADER: tuple[str, ...] = ("E-Mail", "TNR", "Status", "Datum", "Quelle")
_PLAIN_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


@dataclass(frozen=True, slots=True)
class WritebackRow:
    email: str
    person_no: str | None = None
    when: date | datetime | str | None = None  # date of the unsubscribe (ISO string accepted)
    source: str = "Maileon"


def german_date(value: date | datetime | str | None) -> str:
    """TT.MM.JJJJ; ISO strings are converted, anything else is passed through."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y")


def _as_row(item: WritebackRow | Mapping[str, Any]) -> WritebackRow:
    if isinstance(item, WritebackRow):
        return item
    return WritebackRow(email=str(item["email"]), person_no=item.get("person_no"), when=item.get("when"),
                        source=str(item.get("source") or "Maileon"))


def _key_cells(row: WritebackRow) -> list[str]:
    """E-mail and TNR are what KUFER matches on: a valid address (a leading + - = belongs to it) and a
    plain number go out exactly; only something malformed is neutralised like a free-text cell."""
    person_no = row.person_no or ""
    return [row.email if valid_email(row.email) else _free_text(row.email),
            person_no if not person_no or _PLAIN_NUMBER.fullmatch(person_no) else _free_text(person_no)]


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def _free_text(value: str) -> str:
    """A free-text cell (date as given, Maileon's source): line breaks become a space, because a KUFER import
    that reads line by line takes a break inside quotes for the start of another row; formulas neutralised."""
    return _LINE_BREAKS.sub(" ", csv_safe(value))


def write_unsubscribers_csv(path: str | os.PathLike[str],
                            rows: Iterable[WritebackRow | Mapping[str, Any]]) -> int:
    """Write the N list for KUFER: `;`, UTF-8 with BOM (Excel shows umlauts), CRLF.

    The file is for KUFER's import, so valid addresses and plain numbers are written byte-exact; the
    free-text cells (date as given, source) and anything malformed are neutralised against formulas.

    Written to a temporary file in the same folder and moved into place (a crash never leaves half
    a file). Returns the number of rows written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    # Excel or a virus scanner may hold the old list open (Windows): wait briefly; KUFER reads only this name
    with AtomicFile(target, "w", encoding="utf-8-sig", newline="", fallback=False) as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(WRITEBACK_HEADER)
        for item in rows:
            row = _as_row(item)
            out.writerow([*_key_cells(row), Status.N.value, _free_text(german_date(row.when)), _free_text(row.source)])
            count += 1
    return count


def _paramstyle(conn: Any) -> str:
    import importlib

    module = type(conn).__module__.split(".")[0]
    try:
        return str(getattr(importlib.import_module(module), "paramstyle", "named"))
    except ImportError:
        return "named"


MAX_ROWS_PER_UNSUBSCRIBE = 1


def apply_sql_writeback(conn: Any, statement: str, rows: Iterable[WritebackRow | Mapping[str, Any]]) -> int:
    """Run the admin-configured parameterised UPDATE once per unsubscriber, each in its own transaction.

    Named parameters: :email, :person_no, :date (ISO), :status ('N'), :source. Only one parsed, keyed UPDATE
    is accepted (kufer.sqlcheck; ImportFailure "writeback-invalid"); values are always bound, never formatted
    into the SQL. Independent of the parser, a statement that changes more than one row for one unsubscribe
    (or whose driver does not say how many) is rolled back and stops the SQL write-back
    (ImportFailure "writeback-too-broad"); the rows before it stay committed, the write-back file holds all.
    Returns the number of rows the database reports as changed.
    """
    text = update_as_read(statement.strip())  # one keyed UPDATE, as MS SQL reads it; what was checked runs
    if _paramstyle(conn) == "pyformat":
        text = to_pyformat(text)
    params = []
    for item in rows:
        row = _as_row(item)
        when = row.when.isoformat() if isinstance(row.when, date) else (row.when or "")
        params.append({"email": row.email, "person_no": row.person_no, "date": when, "status": Status.N.value,
                       "source": row.source})
    if not params:
        return 0
    changed = 0
    cur = conn.cursor()
    try:
        for values in params:
            try:
                cur.execute(text, values)
                count = cur.rowcount
            except Exception as exc:
                conn.rollback()
                raise ImportFailure("sql-error", detail=str(exc)) from exc
            if count is None or not 0 <= count <= MAX_ROWS_PER_UNSUBSCRIBE:
                conn.rollback()  # one unsubscribe is one person: more rows means the WHERE is not a key
                raise ImportFailure("writeback-too-broad", rows=count if count is not None and count >= 0 else "?")
            conn.commit()
            changed += count
    finally:
        cur.close()
    return changed
