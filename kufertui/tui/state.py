"""What the screens share: settings, the workspace, the current selection and field mappings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kufertui.config import Settings
from kufertui.core.contact import UPLOADABLE_STATUSES
from kufertui.core.fields import FieldMapping
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.mapping import mappings_from_settings


@dataclass
class AppState:
    settings: Settings
    settings_path: Path
    workspace_root: Path
    workspace: Workspace  # UI-thread connection: quick indexed queries only
    demo: bool = False
    demo_notice: bool = False  # `kufertui demo`: say at start that quitting deletes the demo's workspace
    read_only: bool = False  # `serve --read-only`: the helpdesk looks, changes nothing
    transport: Any = None  # httpx transport for demo and tests (the simulator in-process)
    selection: ContactFilter = field(default_factory=lambda: ContactFilter(frozenset(UPLOADABLE_STATUSES)))
    selected_ids: set[int] = field(default_factory=set)  # empty: the whole filter
    mappings: list[FieldMapping] = field(default_factory=list)
    last_run_id: int | None = None
    highlighted_id: int | None = None  # the contact under the cursor in the contacts table
    segments: list[str] = field(default_factory=list)  # picked to refresh: the next run refreshes these instead
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # the one clock of the screens
    # the cancel flag of the run under way (None: no run); quitting asks first and lets it checkpoint
    run_cancel: threading.Event | None = None
    # `kufertui demo` still preparing its contacts and simulator (sync.demo_setup.DemoStarter); None once ready
    preparing: Any = None
    # the status counts Contacts shows, with the filter they count under (statuses aside): F4 opens with them
    status_counts: tuple[tuple[str | None, bool | None, str], dict[str, int]] | None = None

    def __post_init__(self) -> None:
        if not self.mappings:
            self.mappings = mappings_from_settings(self.settings)

    def upload_statuses(self) -> frozenset[str]:
        """The statuses a run sends of this selection: J and K of those chosen; none when only N and/or
        empty are chosen (no status chosen at all means J and K)."""
        if not self.selection.statuses:
            return UPLOADABLE_STATUSES
        return self.selection.statuses & UPLOADABLE_STATUSES

    def upload_filter(self) -> ContactFilter:
        """The selection as the engine gets it: only J and K are ever uploaded. An N/empty-only selection is
        passed on as it is: the engine selects nobody for it (an empty status set would mean everybody)."""
        statuses = self.upload_statuses() or self.selection.statuses
        return ContactFilter(frozenset(statuses), self.selection.department, self.selection.dozent,
                             self.selection.search)

    def known_status_counts(self, flt: ContactFilter) -> dict[str, int] | None:
        """The status counts Contacts last showed, if they count under this filter (statuses aside)."""
        if self.status_counts is None or self.status_counts[0] != (flt.department, flt.dozent, flt.search):
            return None
        return dict(self.status_counts[1])

    def upload_ids(self) -> list[int] | None:
        return sorted(self.selected_ids) if self.selected_ids else None
