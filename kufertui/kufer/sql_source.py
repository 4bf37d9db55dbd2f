"""Read-only KUFER source through DB-API: an admin's SELECT, its column aliases mapped like CSV headers.

sqlite3 is built in; MS SQL goes through the optional `pymssql` extra, imported only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kufertui.core.contact import Contact
from kufertui.core.dsn import mask_dsn
from kufertui.kufer.errors import ImportFailure, RowError
from kufertui.kufer.normalise import FIELD_ORDER, convert_cells
from kufertui.kufer.source import KuferFile, map_columns
from kufertui.kufer.sqlcheck import check_select, check_update, update_as_read

FETCH_SIZE = 1000


def check_read_only(query: str) -> None:
    """Accept exactly one SELECT (or WITH … SELECT) without INTO, as the T-SQL parser reads it."""
    check_select(query)


@dataclass(frozen=True, slots=True)
class SqlFinding:
    """One line for doctor: a message key of messages/kufer.py with its params; ok False is an error."""

    ok: bool
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)


def sql_findings(query: str, writeback: str = "", dsn: str = "") -> list[SqlFinding]:
    """What doctor says about an SQL source: the connection (password masked), the query and the write-back
    statement as the checks read them – the write-back also as it will run, and the row-count guard around
    it –, and always the advice to connect with a login that has only the rights it needs."""
    found: list[SqlFinding] = []
    if dsn.strip():
        found.append(SqlFinding(True, "sql.dsn", {"dsn": mask_dsn(dsn)}))
    for text, check, ok_id in ((query, check_select, "sql.query-ok"), (writeback, check_update, "sql.writeback-ok")):
        if not text.strip():
            continue
        try:
            names = check(text)
        except ImportFailure as exc:
            found.append(SqlFinding(False, f"import.fail.{exc.code}", dict(exc.params)))
        else:
            found.append(SqlFinding(True, ok_id, {"params": ", ".join(f":{n}" for n in sorted(names or ()))}))
            if check is check_update:
                found.append(SqlFinding(True, "sql.writeback-as-read", {"statement": update_as_read(text)}))
                found.append(SqlFinding(True, "sql.writeback-guard"))
    found.append(SqlFinding(True, "sql.least-privilege"))
    return found


def connect_sqlite(path: str) -> Any:
    """Open an SQLite database read-only."""
    import sqlite3
    from pathlib import Path

    from kufertui.platform import sqlite_uri  # as_uri() turns UNC paths into URIs SQLite refuses

    if not Path(path).is_file():
        raise ImportFailure("file-not-found", path=str(path))
    return sqlite3.connect(sqlite_uri(Path(path).resolve(), mode="ro"), uri=True)


def connect_mssql(server: str, user: str, password: str, database: str, port: int = 1433,
                  timeout: int = 30) -> Any:
    """Open KUFER's MS SQL Server through pymssql (optional extra `kufertui[mssql]`)."""
    try:
        import pymssql  # type: ignore[import-not-found]
    except ImportError:
        raise ImportFailure("driver-missing", driver="pymssql") from None
    return pymssql.connect(server=server, user=user, password=password, database=database, port=port,
                           login_timeout=timeout, timeout=timeout)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SqlSource(KuferFile):
    """Contacts from a read-only query; `source_line` is the 1-based result row number."""

    format = "sql"

    def __init__(self, conn: Any, query: str, params: Any = None, mapping: dict[str, str] | None = None,
                 label: str = "sql") -> None:
        super().__init__(label)
        check_read_only(query)
        self._conn = conn
        self._cursor = conn.cursor()
        try:
            if params is None:
                self._cursor.execute(query)
            else:
                self._cursor.execute(query, params)
        except Exception as exc:
            self._cursor.close()
            raise ImportFailure("sql-error", detail=str(exc)) from exc
        self.columns = [str(d[0]) for d in self._cursor.description or ()]
        self._pairs, self._extra_email, self.mapping, self.unmapped = map_columns(self.columns, mapping)
        if not any(f == "email" for _, f in self._pairs):
            self._cursor.close()
            raise ImportFailure("no-email-column", path=label, columns=self.columns)
        self._iterated = False

    def __iter__(self) -> Iterator[Contact]:
        if self._iterated:
            raise RuntimeError("a KuferFile can be iterated once")
        self._iterated = True
        where = dict((f, i) for i, f in reversed(self._pairs))
        picks = [where.get(f, -1) for f in FIELD_ORDER]
        number = 0
        try:
            while True:
                try:
                    batch = self._cursor.fetchmany(FETCH_SIZE)
                except Exception as exc:
                    raise ImportFailure("sql-error", detail=str(exc)) from exc
                if not batch:
                    return
                for record in batch:
                    number += 1
                    cells = [_text(record[i]) if i >= 0 else "" for i in picks]
                    extra = [_text(record[i]) for i in self._extra_email] or None
                    self.rows_read += 1
                    flags: list[str] = []
                    result = convert_cells(cells, number, extra, flags)
                    if isinstance(result, RowError):
                        self.errors.append(result)
                        continue
                    if flags:
                        self.flag_counts.update(flags)
                    self.contacts_read += 1
                    yield result
        finally:
            self.close()

    def close(self) -> None:
        try:
            self._cursor.close()
        except Exception:
            pass


def open_sql(conn: Any, query: str, params: Any = None, mapping: dict[str, str] | None = None,
             label: str = "sql") -> SqlSource:
    """Run a read-only query on an open DB-API connection; iterate the result for Contacts."""
    return SqlSource(conn, query, params, mapping, label)
