"""Many rows at once: how many parameters this SQLite binds per statement, and a writer thread for an import."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain

MIN_VARIABLES = 999  # SQLite's lowest limit of bound parameters per statement (before 3.32)
IMPORT_CACHE_KIB = 64 * 1024
MAX_ROWS = 500  # rows per statement by default: some SQLite builds bind 250,000 parameters (a statement of 100 MB)


@contextmanager
def larger_cache(conn: sqlite3.Connection, kib: int = IMPORT_CACHE_KIB) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB for a bulk write, the connection's own size again after. Memory only:
    the transaction and the journal are the same; pages an import writes stay in memory instead of being read
    back for the index builds at its end (100k contacts: some 5 % less CPU, 35 MB more peak memory)."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size={before}")


def max_variables(conn: sqlite3.Connection) -> int:
    """Bound parameters one statement may carry on this SQLite (32766 since 3.32, 999 before)."""
    try:
        return max(MIN_VARIABLES, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):
        return MIN_VARIABLES


def rows_per_statement(conn: sqlite3.Connection, columns: int, most: int = MAX_ROWS) -> int:
    return max(1, min(most, max_variables(conn) // columns))


class RowWriter:
    """Rows written by a thread of its own while the caller reads on: one statement per chunk of rows
    (``statement(n)`` inserts n rows of ``columns`` values), so that SQLite works without the GIL (Python's
    sqlite3 gives it up around each step) while the next rows are parsed. Only this thread uses the connection
    until ``wait`` or ``close`` returns; the caller's transaction holds them all."""

    def __init__(self, conn: sqlite3.Connection, statement: Callable[[int, int], str], columns: int) -> None:
        self.conn = conn
        self.statement = statement
        self.rows_per_statement = rows_per_statement(conn, columns)
        self._queue: queue.Queue[tuple[Sequence[Sequence[object]], int] | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kufertui-row-writer", daemon=True)
        self._thread.start()

    def insert(self, rows: Sequence[Sequence[object]], variant: int = 0) -> None:
        """Write ``rows`` with ``statement(len(rows), variant)``."""
        if self._error is not None:
            raise self._error
        if rows:
            self._queue.put((rows, variant))

    def wait(self) -> None:
        """Until every row handed over is written; re-raises the writer's error."""
        self._queue.join()
        if self._error is not None:
            raise self._error

    def close(self, *, raise_error: bool = True) -> None:
        """Stop the thread after what it holds is written; re-raises its error (``raise_error``)."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and raise_error:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._error is None:
                    rows, variant = item
                    self.conn.execute(self.statement(len(rows), variant), list(chain.from_iterable(rows)))
            except BaseException as exc:  # raised in the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()
