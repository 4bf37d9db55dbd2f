"""One sync at a time per workspace: an OS file lock that dies with its process.

The OS releases the lock when the holder exits or is killed, so a crash never leaves a stale
lock behind (unlike a pid file). Windows may release a killed process's lock a moment late, so a
lock whose recorded holder is no longer running is retried briefly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from kufertui import platform

# msvcrt locks are mandatory byte ranges: the holder line at offset 0 must stay readable, so the
# locked byte lies beyond it (locking past the end of a file is allowed).
LOCK_OFFSET = 4096
HOLDER_BYTES = 200


class LockHeld(Exception):
    """Another kufertui run holds the workspace."""

    hint_id = "lock-held"

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"workspace locked by {holder}")
        self.path = path
        self.holder = holder


class LockBackend(Protocol):
    def lock(self, fd: int) -> None:
        """Take the lock without waiting; OSError if another process has it."""

    def unlock(self, fd: int) -> None: ...


class FlockBackend:
    def lock(self, fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def unlock(self, fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class MsvcrtBackend:
    """Windows: one byte locked with msvcrt.locking (the module is a parameter for the tests)."""

    def __init__(self, msvcrt: Any = None) -> None:
        if msvcrt is None:  # pragma: no cover - Windows only
            import msvcrt
        self.msvcrt = msvcrt

    def lock(self, fd: int) -> None:
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)  # msvcrt.locking locks from the current position
        self.msvcrt.locking(fd, self.msvcrt.LK_NBLCK, 1)

    def unlock(self, fd: int) -> None:
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        self.msvcrt.locking(fd, self.msvcrt.LK_UNLCK, 1)


def default_backend() -> LockBackend:
    return MsvcrtBackend() if os.name == "nt" else FlockBackend()


def _holder_pid(holder: str) -> int | None:
    parts = holder.split()
    if len(parts) >= 2 and parts[0] == "pid" and parts[1].isdigit():
        return int(parts[1])
    return None


class WorkspaceLock:
    def __init__(self, path: Path, *, backend: LockBackend | None = None, dead_wait_s: float = 3.0,
                 pid_alive: Callable[[int], bool] = platform.pid_alive,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.path = path
        self.backend = backend or default_backend()
        self.dead_wait_s = dead_wait_s
        self.pid_alive = pid_alive
        self.sleep = sleep
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | platform.O_BINARY, 0o600)
        waited = 0.0
        try:
            while True:
                try:
                    self.backend.lock(fd)
                    break
                except OSError:
                    holder = _read_holder(fd)
                    pid = _holder_pid(holder)
                    # a holder that is gone: its lock is on its way out (late on Windows)
                    if pid is None or self.pid_alive(pid) or waited >= self.dead_wait_s:
                        raise LockHeld(self.path, holder or "?") from None
                    self.sleep(0.1)
                    waited += 0.1
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                self.backend.unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    """The holder line, read portably (os.pread does not exist on Windows)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, HOLDER_BYTES).decode("utf-8", "replace").strip()
    except OSError:
        return ""
