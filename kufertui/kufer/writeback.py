"""Hand unsubscribers (status N) back to KUFER: a CSV file for KUFER's import, or an admin's SQL UPDATE."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kufertui.core.validation import valid_email
from kufertui.kufer.csvsafe import csv_safe
from kufertui.kufer.errors import ImportFailure
from kufertui.kufer.sqlcheck import check_update, to_pyformat
from kufertui.platform import replace

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
    return [row.email if valid_email(row.email) else csv_safe(row.email),
            person_no if not person_no or _PLAIN_NUMBER.fullmatch(person_no) else csv_safe(person_no)]


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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            out.writerow(WRITEBACK_HEADER)
            for item in rows:
                row = _as_row(item)
                out.writerow([*_key_cells(row), "N", csv_safe(german_date(row.when)), csv_safe(row.source)])
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        # Excel or a virus scanner may hold the old list open (Windows): wait briefly; KUFER reads only this name
        replace(Path(tmp_name), target, fallback=False)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    return count


def _paramstyle(conn: Any) -> str:
    import importlib

    module = type(conn).__module__.split(".")[0]
    try:
        return str(getattr(importlib.import_module(module), "paramstyle", "named"))
    except ImportError:
        return "named"


def apply_sql_writeback(conn: Any, statement: str, rows: Iterable[WritebackRow | Mapping[str, Any]]) -> int:
    """Run the admin-configured parameterised UPDATE once per unsubscriber, in one transaction.

    Named parameters: :email, :person_no, :date (ISO), :status ('N'), :source. Only one parsed UPDATE is
    accepted (kufer.sqlcheck; ImportFailure "writeback-invalid"); values are always bound, never formatted
    into the SQL.
    Returns the number of rows the database reports as changed (-1 if the driver does not tell).
    """
    text = statement.strip().rstrip(";").strip()
    check_update(text)  # one UPDATE keyed by :email/:person_no, as MS SQL would read it
    if _paramstyle(conn) == "pyformat":
        text = to_pyformat(text)
    params = []
    for item in rows:
        row = _as_row(item)
        when = row.when.isoformat() if isinstance(row.when, date) else (row.when or "")
        params.append({"email": row.email, "person_no": row.person_no, "date": when, "status": "N",
                       "source": row.source})
    if not params:
        return 0
    cur = conn.cursor()
    try:
        cur.executemany(text, params)
        changed = cur.rowcount
        conn.commit()
    except Exception as exc:
        conn.rollback()
        raise ImportFailure("sql-error", detail=str(exc)) from exc
    finally:
        cur.close()
    return int(changed) if changed is not None else -1
