"""Connecting to KUFER's database from the settings' DSN: the read-only source and the write-back.

The DSN is read by ``kufertui.core.dsn`` (the one parser, also behind the masks and the settings check,
which lives below the settings layer). Here it becomes a connection; whatever goes wrong – a DSN that
does not parse, a driver that refuses – is an ``ImportFailure``, never a raw driver exception, so that
no run ends in a traceback or stays "running" in the journal.
"""

from __future__ import annotations

from typing import Any

from kufertui.core import secrets
from kufertui.core.dsn import Dsn, DsnError, dsn_password_forms, parse_dsn
from kufertui.kufer.errors import ImportFailure


def read_dsn(text: str) -> Dsn:
    """The parsed DSN, or ImportFailure("dsn-invalid", part=…) naming what is wrong (never the password)."""
    try:
        return parse_dsn(text)
    except DsnError as exc:
        raise ImportFailure("dsn-invalid", part=exc.part) from None


def connect(text: str, *, read_only: bool) -> Any:
    """A DB-API connection for the DSN: read-only for the source query, writable for the write-back."""
    from kufertui.kufer.sql_source import connect_mssql, connect_sqlite

    dsn = read_dsn(text)
    try:
        if dsn.scheme == "sqlite":
            if read_only:
                return connect_sqlite(dsn.path)
            import sqlite3

            return sqlite3.connect(dsn.path)
        return connect_mssql(dsn.host.strip("[]"), dsn.user, dsn.password, dsn.database, dsn.port)
    except ImportFailure:
        raise
    except Exception as exc:  # the driver's own errors (login refused, server unknown, file unusable)
        detail = secrets.scrub(f"{type(exc).__name__}: {exc}", dsn_password_forms(text))
        raise ImportFailure("sql-error", detail=detail) from None
