"""Whose upload file lies in the workspace, and whether a new run may replace it without asking.

A finished run's file (or a superseded or refused run's) is ours: the next run replaces it and keeps it as
`maileon-upload.prev.xml`. A file that belongs to the run that can still be resumed, or that no run of ours wrote
(or that was changed since), is only replaced on request (`--yes`, or "Yes" in the app).

Recognised by the SHA-256 a run records in the workspace (meta `upload_xml`: run id and hash) when it ends
with the file in place, with the file's size and modification time: while both are unchanged the file is not
read again (a change that kept both to the nanosecond would take the file for ours: it is then set aside as
`.prev.xml`, not lost). A workspace from before that record: the newest sync run whose report names the
file, if the file is not younger than that run's end.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kufertui import platform
from kufertui.core.report import RunReport
from kufertui.store.workspace import Workspace

RECORD_KEY = "upload_xml"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class UploadFileOwner:
    state: str  # "absent", "finished" (ours, replaceable), "unfinished" (the resumable run's), "foreign"
    run_id: int | None = None

    @property
    def needs_consent(self) -> bool:
        return self.state in ("unfinished", "foreign")

    prev: str = ""  # the name the replaced file is kept under

    def question(self) -> tuple[str, dict[str, Any]] | None:
        """The message (key, params) that asks before replacing the file; None when nobody needs to be asked."""
        if self.state == "unfinished":
            return "engine.xml-replace-unfinished", {"run": self.run_id, "prev": self.prev}
        if self.state == "foreign":
            return "engine.xml-replace-foreign", {"prev": self.prev}
        return None


# path → ((size, mtime_ns), digest): the Upload screen asks on every refresh; 100k contacts are ~50 MB
_digests: dict[Path, tuple[tuple[int, int], str]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _sha256(path: Path) -> str:
    stamp = _stamp(path)
    known = _digests.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    _digests[path] = (stamp, digest.hexdigest())
    return digest.hexdigest()


def remember_digest(path: Path, digest: str) -> None:
    """The SHA-256 of a file this process has just written and moved into place (UploadFileWriter hashes what it
    writes), known as long as its size and modification time stay the same."""
    try:
        _digests[path] = (_stamp(path), digest)
    except OSError:
        pass  # hashed from the file when it is asked for


def prev_path(ws: Workspace) -> Path:
    path = ws.paths.upload_xml
    return path.with_name(path.stem + ".prev.xml")


def record_upload_file(ws: Workspace, run_id: int, report: RunReport) -> None:
    """After a run (however it ended): if it moved its file into place, remember the file as this run's."""
    path = ws.paths.upload_xml
    if not report.upload_xml or Path(report.upload_xml).name != path.name or not path.is_file():
        return
    try:
        size, mtime_ns = _stamp(path)
        ws.set_meta(RECORD_KEY, json.dumps({"run_id": run_id, "sha256": _sha256(path), "size": size,
                                            "mtime_ns": mtime_ns}))
    except OSError:
        pass  # unreadable now: the next run asks before replacing it, nothing is lost


def upload_file_owner(ws: Workspace) -> UploadFileOwner:
    path = ws.paths.upload_xml
    if not path.is_file():
        return UploadFileOwner("absent")
    prev = prev_path(ws).name
    run_id = _recorded_run(ws, path)
    if run_id is None:
        return UploadFileOwner("foreign", None, prev)
    resumable = ws.journal.resumable_run()
    if resumable is not None and resumable.id == run_id:
        return UploadFileOwner("unfinished", run_id, prev)
    return UploadFileOwner("finished", run_id, prev)


def _recorded_run(ws: Workspace, path: Path) -> int | None:
    raw = ws.get_meta(RECORD_KEY)
    if raw:
        try:
            record = json.loads(raw)
            # the same size and modification time (to the nanosecond) as recorded: the file the run wrote, not
            # read again (40 MB at 100,000 contacts); anything else is hashed
            same = ([record.get("size"), record.get("mtime_ns")] == list(_stamp(path))
                    or record.get("sha256") == _sha256(path))
        except (ValueError, AttributeError, OSError):
            return None
        return int(record["run_id"]) if same and isinstance(record.get("run_id"), int) else None
    return _legacy_run(ws, path)


def _legacy_run(ws: Workspace, path: Path) -> int | None:
    """A workspace from before the record: the newest sync run that reported this file, if the file is not
    younger than that run's end (then nobody changed it since)."""
    for record in ws.journal.runs():
        if record.kind != "sync" or not record.counts.get("upload_xml"):
            continue
        if Path(str(record.counts["upload_xml"])).name != path.name or not record.finished_at:
            return None
        try:
            finished = datetime.fromisoformat(record.finished_at)
            written = datetime.fromtimestamp(path.stat().st_mtime, tz=finished.tzinfo)
        except (ValueError, OSError):
            return None
        return record.id if written <= finished + timedelta(seconds=2) else None
    return None


def set_aside(ws: Workspace) -> Path | None:
    """Keep a copy of the upload file as `maileon-upload.prev.xml` (replacing an older one); where it went.

    A copy, not a move: on Windows the file may be open in Excel, which lets it be read but not moved; the
    run's own file then goes beside it as before (platform.replace). None when there is no file."""
    path = ws.paths.upload_xml
    if not path.is_file():
        return None
    part = path.with_name(path.name + ".prev.part")
    shutil.copyfile(path, part)
    return platform.replace(part, prev_path(ws), notify=False)
