"""What a probe made in Maileon, written to the workspace before it makes it: a probe that is killed (or whose
cleanup fails) leaves a record, and the next probe or `kufertui doctor --probe --cleanup` removes what it names.

One file per probe (``<workspace>/probe/pending-<token>.json``, owner only, replaced atomically), removed once
everything it names is gone. It holds names and ids, never the API key.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kufertui.paths import ensure_private_dir
from kufertui.platform import write_atomic

from .steps import Names

RECORD_FOLDER = "probe"
_TOKEN = re.compile(r"^[0-9a-f]{8}\Z")


@dataclass(slots=True)
class ProbeRecord:
    token: str
    domain: str
    base_url: str  # which Maileon it was made in: a record is only cleaned up against the same
    started_at: str
    emails: list[str] = field(default_factory=list)
    external_ids: list[str] = field(default_factory=list)
    custom_field: str = ""
    name_prefix: str = ""  # of its contact filters and target groups
    filter_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)

    @classmethod
    def planned(cls, names: Names, base_url: str, started_at: str) -> ProbeRecord:
        """Everything the probe may make, named before the first request."""
        return cls(names.token, names.domain, base_url, started_at, names.all_emails(), names.all_eids(),
                   names.field, names.name_prefix)

    @property
    def names(self) -> Names:
        return Names(self.token, self.domain)


def record_folder(workspace_root: Path) -> Path:
    return Path(workspace_root) / RECORD_FOLDER


def record_path(workspace_root: Path, token: str) -> Path:
    return record_folder(workspace_root) / f"pending-{token}.json"


def save_record(workspace_root: Path, record: ProbeRecord) -> Path:
    folder = record_folder(workspace_root)
    ensure_private_dir(folder)
    data = json.dumps(asdict(record), ensure_ascii=False, indent=1).encode("utf-8")
    return write_atomic(record_path(workspace_root, record.token), data)


def drop_record(workspace_root: Path, token: str) -> None:
    record_path(workspace_root, token).unlink(missing_ok=True)


def _read(path: Path) -> ProbeRecord | None:
    """A record as written by ``save_record``; None for anything else (a file of ours is never trusted blindly:
    it decides what is deleted in Maileon, so every name must still be one the probe would give)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        record = ProbeRecord(**data)
    except (OSError, ValueError, TypeError):
        return None
    if not _TOKEN.match(record.token) or f"pending-{record.token}.json" != path.name:
        return None
    names = record.names
    if not set(record.emails) <= set(names.all_emails()) or not set(record.external_ids) <= set(names.all_eids()) \
            or record.custom_field not in ("", names.field) or record.name_prefix not in ("", names.name_prefix):
        return None
    if not all(isinstance(i, int) for i in (*record.filter_ids, *record.group_ids)):
        return None
    return record


def pending_records(workspace_root: Path) -> list[ProbeRecord]:
    """Every record a probe left (killed, or its cleanup incomplete), oldest first."""
    folder = record_folder(workspace_root)
    if not folder.is_dir():
        return []
    found = [r for p in sorted(folder.glob("pending-*.json")) if (r := _read(p)) is not None]
    return sorted(found, key=lambda r: r.started_at)
