"""Engine events as lines in the workspace log (for the support bundle and after-the-fact questions).

Lines are English message keys with their parameters: a log is for the helpdesk, not a translation.
The API key never reaches an event, so it cannot reach the log either.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from kufertui import platform
from kufertui.sync import events as ev

MAX_BYTES = 2 * 2**20


class EventLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            try:  # a viewer holding the log open (Windows) only postpones the rotation
                platform.replace(path, path.with_suffix(".log.1"), fallback=False, attempts=3)
            except OSError:
                pass

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Progress):
            return  # too chatty; BatchFinished carries the same information
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        name = type(event).__name__
        if isinstance(event, ev.Finished):
            body = json.dumps(event.report.to_json(), default=str)
        else:
            body = json.dumps({k: getattr(event, k) for k in event.__dataclass_fields__}, default=str,
                              ensure_ascii=False)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | platform.O_BINARY, 0o600)
        with os.fdopen(fd, "ab") as handle:  # bytes: LF stays LF on Windows too
            handle.write(f"{stamp} {name} {body}\n".encode())


def tail(path: Path, lines: int = 200) -> str:
    if not path.exists():
        return ""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-lines:])


def fan_out(*sinks: ev.EventSink) -> ev.EventSink:
    def emit(event: ev.Event) -> None:
        for sink in sinks:
            sink(event)

    return emit
