"""One workspace folder: its SQLite file and the files written beside it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kufertui import platform
from kufertui.core.contact import Contact
from kufertui.paths import WorkspacePaths, ensure_private_dir
from kufertui.store.contacts import ContactStore, ImportSummary
from kufertui.store.db import WorkspaceError, connect, transaction
from kufertui.store.journal import Journal
from kufertui.store.ledger import Ledger
from kufertui.store.segments import SegmentStore


def check_root(root: Path) -> None:
    """Refuse a workspace path that is a file or lies inside one, before anything is created under it
    (a log folder, the lock) and fails with an OSError instead of this clear message."""
    for folder in (root, *root.parents):
        try:
            exists = folder.exists()
        except OSError as exc:  # a folder on the way we may not look into, a name too long
            raise WorkspaceError("workspace.unusable", path=str(root), detail=exc.strerror or str(exc)) from None
        if exists:  # the nearest part that exists decides
            if not folder.is_dir():
                raise WorkspaceError("workspace.not-a-folder", path=str(folder))
            return


class Workspace:
    """The local state of kufertui. Open one per process; close it when done."""

    def __init__(self, root: Path, conn: sqlite3.Connection) -> None:
        self.paths = WorkspacePaths(root)
        self.conn = conn
        self.contacts = ContactStore(conn)
        self.ledger = Ledger(conn)
        self.journal = Journal(conn)
        self.segments = SegmentStore(conn)

    @classmethod
    def open(cls, root: Path, *, create: bool = True) -> Workspace:
        root = Path(root)
        check_root(root)
        if create:
            try:
                ensure_private_dir(root)
                wp = WorkspacePaths(root)
                for folder in (wp.upload_xml.parent, wp.writeback_dir, wp.exports_dir, wp.log_file.parent,
                               wp.profiles_dir):
                    ensure_private_dir(folder)  # owner only: uploads and write-backs hold personal data
            except OSError as exc:
                raise WorkspaceError("workspace.read-only", path=str(root)) from exc
        db = WorkspacePaths(root).database
        created = not db.exists()
        conn = connect(db, create=create)
        if db.exists() and (os.name == "posix" or created):  # Windows: one icacls when the file is new
            try:
                platform.make_private(db)
            except OSError:
                pass  # read-only media: the file mode is then not ours to change
        return cls(root, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- meta ----------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with transaction(self.conn):
            self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                              "value=excluded.value", (key, value))

    # --- imports -------------------------------------------------------------------------------
    def import_contacts(self, contacts: Iterable[Contact], source: str, *, fmt: str = "",
                        encoding: str = "", mapping: dict[str, Any] | None = None,
                        full: bool = False, columns: Iterable[Sequence[Sequence[Any]]] | None = None
                        ) -> ImportSummary:
        """Import contacts and record the import; N contacts and ledger addresses stay N. ``full``: the
        contacts are all of KUFER, so known persons missing from them have left (ContactStore). ``columns``:
        the contacts as runs of columns instead (ContactStore.import_contacts)."""
        with transaction(self.conn):
            cur = self.conn.execute(
                "INSERT INTO imports (started_at, source, format, encoding, mapping) VALUES (?,?,?,?,?)",
                (datetime.now(UTC).isoformat(timespec="seconds"), source, fmt, encoding,
                 json.dumps(mapping or {}, ensure_ascii=False)))
            import_id = int(cur.lastrowid or 0)
        summary = self.contacts.import_contacts(contacts, import_id=import_id, suppressed=self.ledger.emails(),
                                                full=full, columns=columns)
        summary.import_id = import_id
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE imports SET inserted=?, updated=?, unchanged=?, kept_n=?, full_export=?, missing=? "
                "WHERE id=?", (summary.inserted, summary.updated, summary.unchanged, summary.kept_n, int(full),
                               summary.missing, import_id))
        return summary

    def record_import_errors(self, import_id: int, rows_read: int,
                             errors: Iterable[tuple[int | None, str, str]]) -> None:
        errors = list(errors)
        with transaction(self.conn):
            self.conn.executemany("INSERT INTO import_errors (import_id, line, reason, detail) VALUES (?,?,?,?)",
                                  [(import_id, line, reason, detail) for line, reason, detail in errors])
            self.conn.execute("UPDATE imports SET rows_read=?, rejected=? WHERE id=?",
                              (rows_read, len(errors), import_id))
