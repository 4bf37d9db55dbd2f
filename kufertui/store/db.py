"""Opening the workspace database safely: clear errors for missing, read-only or corrupt files."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kufertui import platform
from kufertui.store.schema import migrate


class WorkspaceError(Exception):
    """The workspace cannot be used; message_id + params are translated by the UI."""

    def __init__(self, message_id: str, **params: str) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.params = params

    def __str__(self) -> str:
        return f"{self.message_id} ({', '.join(f'{k}={v}' for k, v in self.params.items())})"


# Pages of 8 KiB for a new workspace (SQLite's default: 4 KiB): a contact row is some 300 bytes and the journal adds
# 100,000 rows a run; with twice the page, an import of 100,000 contacts spends some 6 % less (fewer pages to
# split, write to the WAL and copy back).
PAGE_SIZE = 8192


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and migrate) the SQLite file in WAL mode; never overwrites an unreadable file."""
    if path.is_dir():
        raise WorkspaceError("workspace.is-directory", path=str(path))
    if not path.exists():
        if not create:
            raise WorkspaceError("workspace.missing", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.stat().st_size and not _is_sqlite_file(path):
        raise WorkspaceError("workspace.corrupt", path=str(path))
    try:
        new = not path.exists() or not path.stat().st_size
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
        if new:  # set before the first table; an existing workspace keeps the page size it was made with
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        # WAL needs shared memory, which a network share does not give: a rollback journal there
        conn.execute(f"PRAGMA journal_mode={platform.journal_mode(path.absolute())}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn)
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise WorkspaceError("workspace.read-only", path=str(path)) from exc
        raise WorkspaceError("workspace.unusable", path=str(path), detail=str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError("workspace.corrupt", path=str(path)) from exc
    return conn


def _is_sqlite_file(path: Path) -> bool:
    """Read the 16-byte header without dropping this process's SQLite locks.

    Closing *any* descriptor of a file releases every POSIX (fcntl) lock the process holds on it.
    Reading the header with a plain ``open()`` while another connection of this process has the
    database open silently dropped that connection's locks: another process could then delete
    the WAL file under it, and every later commit went into an unlinked file, invisible to other
    processes and lost on a crash. ``os.pread`` on a descriptor SQLite itself does not own has
    the same problem, so the file is opened through SQLite (which shares its locks per inode)."""
    try:
        probe = sqlite3.connect(platform.sqlite_uri(path.resolve(), mode="ro"), uri=True)
    except sqlite3.Error:
        return True  # cannot even open it read-only: let the real connect report why
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return "not a database" not in str(exc).lower() and "malformed" not in str(exc).lower()
    finally:
        probe.close()
    return True


# One write transaction at a time in this process. The pre-flight thread journals its batches on a connection of
# its own while the event loop journals Maileon's answers: SQLite would let the second writer wait in its busy
# handler, which sleeps in steps of milliseconds (and the event loop with it); a lock hands over at once.
# Other processes still meet SQLite's own locking (``timeout`` in ``connect``).
_WRITER = threading.RLock()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all rows or none."""
    with _WRITER:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
