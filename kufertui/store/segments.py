"""Segments in the workspace: a name, a contact filter, the derived Maileon field, the ids of its
Maileon contact filter and target group, and the members of each refresh run."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from kufertui.store.contacts import ContactFilter
from kufertui.store.db import transaction


@dataclass(slots=True)
class Segment:
    id: int
    name: str
    field: str
    filter: ContactFilter
    contact_filter_id: int | None = None
    target_group_id: int | None = None
    created_at: str = ""
    refreshed_at: str | None = None
    refreshed_run: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "field": self.field, "filter": self.filter.to_json(),
                "contact_filter_id": self.contact_filter_id, "target_group_id": self.target_group_id,
                "refreshed_at": self.refreshed_at, "refreshed_run": self.refreshed_run}


_COLUMNS = "id, name, field, filter, contact_filter_id, target_group_id, created_at, refreshed_at, refreshed_run"


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _segment(row: tuple[object, ...]) -> Segment:
    sid, name, field, filt, cf, tg, created, refreshed, run = row
    return Segment(int(str(sid)), str(name), str(field), ContactFilter.from_json(json.loads(str(filt))),
                   _int(cf), _int(tg), str(created), None if refreshed is None else str(refreshed), _int(run))


class SegmentStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self) -> list[Segment]:
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM segments ORDER BY name COLLATE NOCASE").fetchall()
        return [_segment(r) for r in rows]

    def get(self, name: str) -> Segment | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM segments WHERE name=?", (name,)).fetchone()
        return _segment(row) if row else None

    def add(self, name: str, field: str, selection: ContactFilter) -> Segment:
        with transaction(self.conn):
            self.conn.execute("INSERT INTO segments (name, field, filter, created_at) VALUES (?,?,?,?)",
                              (name, field, json.dumps(selection.to_json(), ensure_ascii=False),
                               datetime.now(UTC).isoformat(timespec="seconds")))
        seg = self.get(name)
        assert seg is not None
        return seg

    def remove(self, name: str) -> bool:
        with transaction(self.conn):
            cur = self.conn.execute("DELETE FROM segments WHERE name=?", (name,))
        return cur.rowcount > 0

    def set_maileon_ids(self, segment_id: int, contact_filter_id: int | None, target_group_id: int | None) -> None:
        with transaction(self.conn):
            self.conn.execute("UPDATE segments SET contact_filter_id=?, target_group_id=? WHERE id=?",
                              (contact_filter_id, target_group_id, segment_id))

    # --- members ------------------------------------------------------------------------------
    def save_members(self, segment_id: int, run_id: int, keys: Iterable[str]) -> None:
        with transaction(self.conn):
            self.conn.execute("DELETE FROM segment_members WHERE segment_id=? AND run_id=?", (segment_id, run_id))
            self.conn.executemany("INSERT INTO segment_members (segment_id, run_id, contact_key) VALUES (?,?,?)",
                                  ((segment_id, run_id, k) for k in keys))

    def member_count(self, segment_id: int, run_id: int | None) -> int:
        """How many members a run fixed for the segment (0 for no run)."""
        if run_id is None:
            return 0
        return int(self.conn.execute("SELECT COUNT(*) FROM segment_members WHERE segment_id=? AND run_id=?",
                                     (segment_id, run_id)).fetchone()[0])

    def members(self, segment_id: int, run_id: int | None) -> set[str]:
        """The members a run fixed for the segment (empty for no run)."""
        if run_id is None:
            return set()
        rows = self.conn.execute("SELECT contact_key FROM segment_members WHERE segment_id=? AND run_id=?",
                                 (segment_id, run_id)).fetchall()
        return {str(r[0]) for r in rows}

    def record_refresh(self, segment_id: int, run_id: int) -> None:
        """The run's members become the segment's current members; older member sets are dropped."""
        with transaction(self.conn):
            self.conn.execute("UPDATE segments SET refreshed_at=?, refreshed_run=? WHERE id=?",
                              (datetime.now(UTC).isoformat(timespec="seconds"), run_id, segment_id))
            self.conn.execute("DELETE FROM segment_members WHERE segment_id=? AND run_id<>?", (segment_id, run_id))
