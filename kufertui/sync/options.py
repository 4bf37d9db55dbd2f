"""What a sync run is asked to do: the faces fill it in (through ``kufertui.sync.engine``), a resumed run
takes the one its start journaled (``internals/run_start.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kufertui.core.fields import FieldMapping
from kufertui.store.contacts import ContactFilter


@dataclass(slots=True)
class SyncOptions:
    selection: ContactFilter = field(default_factory=ContactFilter)
    ids: list[int] | None = None
    mappings: list[FieldMapping] = field(default_factory=list)
    dry_run: bool = False
    replace_xml: bool = False
    resume_run_id: int | None = None
    target_group: str | None = None
    segments: list[str] = field(default_factory=list)  # a segment refresh: the names (selection = their union)
