"""Issue 18.7: the workspace lock with its Windows backend (msvcrt, faked here), a holder read without
os.pread, and a lock left by a killed process that Windows releases a moment late."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from kufertui.sync.lock import HOLDER_BYTES, LOCK_OFFSET, FlockBackend, LockHeld, MsvcrtBackend, WorkspaceLock


class FakeMsvcrt:
    """msvcrt.locking semantics: a non-blocking lock on n bytes at the descriptor's position, per file.

    Windows locks are mandatory: a locked byte cannot be read by another descriptor, so reading it
    here raises as well (the holder line must stay outside the locked byte)."""

    LK_UNLCK, LK_NBLCK = 0, 2
    held: ClassVar[dict[tuple[int, int], int]] = {}

    def __init__(self) -> None:
        FakeMsvcrt.held = {}
        self.positions: list[int] = []
        self.refuse_after_release = 0  # Windows: a killed holder's lock lingers this many tries

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        pos = os.lseek(fd, 0, os.SEEK_CUR)
        self.positions.append(pos)
        key = (os.fstat(fd).st_ino, pos)
        if mode == self.LK_NBLCK:
            if self.refuse_after_release > 0:
                self.refuse_after_release -= 1
                raise PermissionError(13, "Permission denied")
            if key in self.held and self.held[key] != fd:
                raise PermissionError(13, "Permission denied")
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            self.held.pop(key, None)


def test_msvcrt_backend_locks_beyond_the_holder_line(tmp_path: Path) -> None:
    fake = FakeMsvcrt()
    path = tmp_path / "sync.lock"
    first = WorkspaceLock(path, backend=MsvcrtBackend(fake))
    first.acquire()
    with pytest.raises(LockHeld) as info:
        WorkspaceLock(path, backend=MsvcrtBackend(fake)).acquire()
    assert info.value.holder == f"pid {os.getpid()}"  # read, not "?"
    assert all(pos >= HOLDER_BYTES for pos in fake.positions) and LOCK_OFFSET >= HOLDER_BYTES
    first.release()
    with WorkspaceLock(path, backend=MsvcrtBackend(fake)):
        assert path.read_bytes() == f"pid {os.getpid()}\n".encode()
    assert not fake.held


def test_holder_is_read_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "pread", raising=False)  # as on Windows
    path = tmp_path / "sync.lock"
    with WorkspaceLock(path, backend=FlockBackend()), pytest.raises(LockHeld) as info:
        WorkspaceLock(path, backend=FlockBackend()).acquire()
    assert info.value.holder == f"pid {os.getpid()}"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_of_a_killed_process_released_late_is_retried(tmp_path: Path) -> None:
    fake = FakeMsvcrt()
    path = tmp_path / "sync.lock"
    path.write_bytes(f"pid {dead_pid()}\n".encode())  # what the killed run left
    fake.refuse_after_release = 3
    slept: list[float] = []
    lock = WorkspaceLock(path, backend=MsvcrtBackend(fake), sleep=slept.append)
    lock.acquire()  # was refused at once: "--resume" right after a kill failed
    lock.release()
    assert len(slept) == 3


def test_a_dead_holder_that_never_lets_go_is_reported(tmp_path: Path) -> None:
    fake = FakeMsvcrt()
    path = tmp_path / "sync.lock"
    pid = dead_pid()
    path.write_bytes(f"pid {pid}\n".encode())
    fake.refuse_after_release = 10_000
    slept: list[float] = []
    with pytest.raises(LockHeld) as info:
        WorkspaceLock(path, backend=MsvcrtBackend(fake), dead_wait_s=1.0, sleep=slept.append).acquire()
    assert info.value.holder == f"pid {pid}" and 9 <= len(slept) <= 11


def test_a_live_holder_is_reported_at_once(tmp_path: Path) -> None:
    fake = FakeMsvcrt()
    path = tmp_path / "sync.lock"
    slept: list[float] = []
    with WorkspaceLock(path, backend=MsvcrtBackend(fake)), pytest.raises(LockHeld):
        WorkspaceLock(path, backend=MsvcrtBackend(fake), sleep=slept.append).acquire()
    assert slept == []
