"""The upload XML file in the workspace (the manual's "data are written into an XML file").

Each batch body is built once: the same bytes go to Maileon and, without their wrapper, into the
file. The file is written under a temporary name and only replaces the old one when complete.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from kufertui import platform
from kufertui.maileon.xml import MaileonContact, build_sync_body
from kufertui.sync.upload_owner import remember_digest

_OPEN = b"<contacts>"
_CLOSE = b"</contacts>"


class UploadFileWriter:
    def __init__(self, path: Path, *, resumed: bool = False) -> None:
        self.path = path
        self.enabled = True
        self._lock = threading.Lock()
        self._tmp = path.with_name(path.name + ".part")
        self._handle = None
        path.parent.mkdir(parents=True, exist_ok=True)
        platform.refuse_shared_folder(path.parent)  # before a .part there is read back into our file
        head = b"<?xml version='1.0' encoding='UTF-8'?>\n" + _OPEN + b"\n"
        if resumed:
            # continue the interrupted run's file (crash: .part; Ctrl+C: .incomplete.xml), so that the
            # finished file holds the batches sent before the interruption too. An upload.xml beside
            # it belongs to an earlier run. Batches in flight at the crash may appear twice.
            incomplete = path.with_name(path.stem + ".incomplete.xml")
            earlier = self._tmp if self._tmp.exists() else incomplete if incomplete.exists() else None
            if earlier is not None:
                data = earlier.read_bytes()
                end = data.rfind(b"</contact>")  # a crash may have cut the last entry short
                if end >= 0:
                    head = data[:end + len(b"</contact>")] + b"\n"
                if earlier == incomplete:
                    incomplete.unlink()
        # a fresh file of ours: a leftover (or planted) .part is removed, never written through
        self._tmp.unlink(missing_ok=True)
        fd = platform.create_private(self._tmp)
        self._handle = os.fdopen(fd, "wb")
        # the file's SHA-256 as it is written: the run records it (upload_owner) without reading 40 MB again
        self._digest = hashlib.sha256()
        self._write(head)

    def _write(self, data: bytes | memoryview) -> None:
        assert self._handle is not None
        self._handle.write(data)
        self._digest.update(data)

    @property
    def part_path(self) -> Path:
        return self._tmp

    def build(self, contacts: Sequence[MaileonContact]) -> bytes:
        """Build one batch body (called in worker threads) and append its contacts to the file."""
        body = build_sync_body(contacts)
        if self._handle is not None:
            start = body.find(_OPEN)
            end = body.rfind(_CLOSE)
            inner = memoryview(body)[start + len(_OPEN):end] if start >= 0 and end > start else b""  # no copy
            with self._lock:
                self._write(inner)
                self._write(b"\n")
                self._handle.flush()  # what a crash leaves behind is continued by --resume
        return body

    def close(self, *, complete: bool) -> Path | None:
        """Move the file into place; returns where it went (None if it stays under its temporary name).

        Another program may hold the old file open (Windows): that never fails a finished upload."""
        if self._handle is None:
            return None
        with self._lock:
            self._write(_CLOSE + b"\n")
            self._handle.close()
            self._handle = None
        # kept for inspection after an interruption, but never as the finished file
        target = self.path if complete else self.path.with_name(self.path.stem + ".incomplete.xml")
        try:
            placed = platform.replace(self._tmp, target, notify=False)
        except OSError:
            return None
        remember_digest(placed, self._digest.hexdigest())
        return placed
