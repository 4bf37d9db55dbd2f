"""Segments: saved selections kept exact in Maileon, each with its own boolean field, contact filter and
target group. The use cases of both faces (add, list, remove) and the engine's part of a refresh run.

A refresh is a normal sync run whose selection is the union of the refreshed segments' members. Before
the first batch, each refreshed segment's field is created if missing and cleared; every uploaded contact
carries each refreshed field as true or false. So afterwards a field's true-set is exactly its segment's
sendable members: leavers and held-back members are cleared, not sent. A plain run sends no segment field,
and a refresh sends no field of a segment it does not refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kufertui.config import Settings
from kufertui.core.contact import UPLOADABLE_STATUSES
from kufertui.core.report import RunReport
from kufertui.core.segments import clash, field_name, name_problem, target_group_name
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError, NotFound
from kufertui.store.contacts import ContactFilter
from kufertui.store.segments import Segment
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import open_client
from kufertui.sync.lock import LockHeld, WorkspaceLock
from kufertui.sync.marks import clear_marks
from kufertui.sync.plan import Plan, selection_filter
from kufertui.sync.targetgroup import ensure_group

Say = Callable[..., None]
Emit = Callable[[ev.Event], None]


class SegmentError(Exception):
    """Bad input about a segment: a message key and its parameters (the faces translate it)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# --- the use cases of the faces ------------------------------------------------------------------
def add_segment(ws: Workspace, name: str, selection: ContactFilter) -> Segment:
    """Save a segment; refused (SegmentError) for a bad name, a name taken or a field name clash."""
    name = name.strip()
    problem = name_problem(name)
    if problem is not None:
        raise SegmentError(problem.key, name=name, suggestion=problem.suggestion, detail=problem.detail)
    if ws.segments.get(name) is not None:
        raise SegmentError("segment.exists", name=name)
    if selection.statuses and not selection.statuses & UPLOADABLE_STATUSES:
        raise SegmentError("segment.no-sendable-status", name=name)
    derived = field_name(name)
    other = clash(derived, {s.name: s.field for s in ws.segments.all()})
    if other is not None:
        raise SegmentError("segment.clash", name=name, other=other, field=derived)
    return ws.segments.add(name, derived, selection)


def _member_filter(segment: Segment) -> ContactFilter | None:
    """The contacts the segment selects now; None for nobody. N and empty never belong (never uploaded)."""
    if segment.filter.statuses and not segment.filter.statuses & UPLOADABLE_STATUSES:
        return None  # only N/empty asked for: nobody (an empty status set would mean everybody)
    return selection_filter(segment.filter)


def members_of(ws: Workspace, segment: Segment) -> list[tuple[int, str]]:
    """(id, key) of the contacts the segment selects now."""
    flt = _member_filter(segment)
    if flt is None:
        return []
    rows = ws.contacts.page(flt, 0, -1, columns=("id", "key"))
    return [(int(r[0]), str(r[1])) for r in rows]  # type: ignore[call-overload]


def segment_overview(ws: Workspace) -> list[dict[str, Any]]:
    """Every segment with its members now and at its last refresh (for `segment list` and the TUI).
    Counted in SQL: the list opens on a keypress, and reading every member took 60 ms per segment at 100k."""
    out = []
    for seg in ws.segments.all():
        flt = _member_filter(seg)
        out.append({**seg.to_json(), "members": ws.contacts.count(flt) if flt else 0,
                    "members_at_refresh": ws.segments.member_count(seg.id, seg.refreshed_run),
                    "target_group": target_group_name(seg.field)})
    return out


async def remove_segment(settings: Settings, root: Path, name: str, *, keep_in_maileon: bool,
                         transport: httpx.AsyncBaseTransport | None = None) -> dict[str, Any]:
    """Remove a segment; unless kept, its target group, contact filter and field in Maileon first (a
    part already gone there counts as removed). A Maileon failure leaves the segment in the workspace.
    Refused (segment.busy) while a run holds the workspace: a refresh under way would mark a field that
    this removal deletes in Maileon."""
    lock = WorkspaceLock(root / "sync.lock")
    try:
        lock.acquire()
    except LockHeld as exc:
        raise SegmentError("segment.busy", name=name, holder=exc.holder) from None
    try:
        return await _remove_locked(settings, root, name, keep_in_maileon=keep_in_maileon, transport=transport)
    finally:
        lock.release()


async def _remove_locked(settings: Settings, root: Path, name: str, *, keep_in_maileon: bool,
                         transport: httpx.AsyncBaseTransport | None) -> dict[str, Any]:
    with Workspace.open(root) as ws:
        seg = ws.segments.get(name)
    if seg is None:
        raise SegmentError("segment.unknown", name=name)
    removed: list[str] = []
    if not keep_in_maileon:
        async with open_client(settings, transport) as client:
            steps: list[tuple[str, Callable[[], Any]]] = []
            if seg.target_group_id:
                steps.append(("target_group", lambda: client.delete_target_group(seg.target_group_id or 0)))
            if seg.contact_filter_id:
                steps.append(("contact_filter", lambda: client.delete_contact_filter(seg.contact_filter_id or 0)))
            steps.append(("field", lambda: client.delete_custom_field(seg.field)))
            for what, call in steps:
                try:
                    await call()
                except NotFound:
                    pass
                removed.append(what)
    with Workspace.open(root) as ws:
        ws.segments.remove(name)
    return {"name": name, "field": seg.field, "removed_in_maileon": removed}


# --- the engine's part of a refresh run ----------------------------------------------------------
@dataclass(slots=True)
class Refreshed:
    segment: Segment
    members: dict[str, int]  # contact key → id, fixed at the run's start
    previous: set[str]  # the members of the last finished refresh

    def figures(self) -> dict[str, Any]:
        now = set(self.members)
        return {"name": self.segment.name, "field": self.segment.field, "members": len(now),
                "joined": len(now - self.previous) if self.segment.refreshed_run else len(now),
                "left": len(self.previous - now)}


@dataclass(slots=True)
class SegmentRun:
    run_id: int
    refreshed: list[Refreshed] = field(default_factory=list)

    @staticmethod
    def unknown(ws: Workspace, names: Sequence[str]) -> list[str]:
        return [n for n in names if ws.segments.get(n) is None]

    @classmethod
    def open(cls, ws: Workspace, run_id: int, names: Sequence[str], *, fresh: bool) -> SegmentRun:
        """Fix each segment's members for this run (fresh), or read those the run fixed (resumed)."""
        run = cls(run_id)
        for name in dict.fromkeys(names):
            seg = ws.segments.get(name)
            if seg is None and fresh:
                raise SegmentError("segment.unknown", name=name)
            if seg is None:
                continue  # removed since the interrupted run began: the resumed run refreshes the others
            if fresh:
                members = dict((k, i) for i, k in members_of(ws, seg))
                ws.segments.save_members(seg.id, run_id, members)
            else:
                # the run's own members, whatever the filter selects now (its selection is fixed as well)
                members = dict.fromkeys(ws.segments.members(seg.id, run_id), -1)
            run.refreshed.append(Refreshed(seg, members, ws.segments.members(seg.id, seg.refreshed_run)))
        return run

    @property
    def ids(self) -> list[int]:
        return sorted({i for r in self.refreshed for i in r.members.values() if i >= 0})

    @property
    def marks(self) -> dict[str, frozenset[str]]:
        """Field → member keys: what the contact mapper sets true (every other refreshed field false)."""
        return {r.segment.field: frozenset(r.members) for r in self.refreshed}

    def type_conflicts(self, declared: Mapping[str, str]) -> list[tuple[str, str]]:
        """Segment fields that exist in Maileon with another type than boolean (refused, nothing changed)."""
        by_lower = {k.lower(): (k, v) for k, v in declared.items()}
        out = []
        for r in self.refreshed:
            name, kind = by_lower.get(r.segment.field.lower(), (None, "boolean"))
            if name is not None and kind.lower() != "boolean":
                out.append((name, kind))
        return out

    async def prepare_fields(self, client: MaileonClient, declared: Mapping[str, str] | None, say: Say, *,
                             cancelled: Callable[[], bool] = lambda: False) -> None:
        """The field step of a refresh: each field created if missing, else cleared and read back until the
        clear has landed (``marks.py``)."""
        existing = []
        for r in self.refreshed:
            if not await client.ensure_custom_field(r.segment.field, "boolean", known=declared):
                existing.append(r.segment.field)
        await clear_marks(client, existing, say, cancelled=cancelled)
        for r in self.refreshed:
            say("segment.field-cleared" if r.segment.field in existing else "segment.field-created",
                field=r.segment.field, name=r.segment.name)
            if not r.members:
                say("segment.empty", "warning", name=r.segment.name, field=r.segment.field)

    def dry_run_report(self, plan: Plan, report: RunReport, say: Say) -> None:
        sendable = {p.key for p in plan.sendable}
        report.segments = []
        for r in self.refreshed:
            figures = {**r.figures(), "marked": len(sendable & set(r.members))}
            report.segments.append(figures)
            say("segment.dry-run", **figures)

    async def finish(self, client: MaileonClient, ws: Workspace, report: RunReport, emit: Emit,
                     declared: Mapping[str, str] | None) -> None:
        """After the upload: the field step if no batch ran it (nothing to send), the filter and target
        group of each segment (made once, re-made if gone), the count read back, the refresh recorded."""
        say = _sayer(emit)
        if not any(state == "done" for _no, state, *_rest in ws.journal.batches(self.run_id)):
            await self.prepare_fields(client, declared, say)
        emit(ev.PhaseStarted("targetgroup"))
        sent = {o.contact_key for o in ws.journal.outcomes(self.run_id, "sent")}
        report.segments = []
        for r in self.refreshed:
            figures = {**r.figures(), "marked": len(sent & set(r.members))}
            figures["target_group"] = await _ensure_group(client, ws, r.segment, say)
            ws.segments.record_refresh(r.segment.id, self.run_id)
            report.segments.append(figures)
            say("segment.refreshed", name=r.segment.name, members=figures["members"], joined=figures["joined"],
                left=figures["left"], count=figures["target_group"].get("count_active_contacts", "?"))


def _sayer(emit: Emit) -> Say:
    def say(key: str, level: str = "info", hint_id: str | None = None, **params: Any) -> None:
        emit(ev.Message(level, key, params, hint_id))
    return say


async def _ensure_group(client: MaileonClient, ws: Workspace, seg: Segment, say: Say) -> dict[str, Any]:
    """The segment's target group: reused while Maileon has it (or a group of its name on its filter), else
    re-made (with a note) on its filter if that is still there; its filter evaluated again before the counts
    are read (``targetgroup.ensure_group``: nothing left behind, nothing piled up)."""
    name = target_group_name(seg.field)
    if seg.target_group_id:
        try:
            await client.get_target_group(seg.target_group_id)
        except NotFound:
            say("segment.group-gone", "warning", name=seg.name, group=name)
    made = await ensure_group(client, group_name=name, filter_name=name, field=seg.field,
                              group_id=seg.target_group_id, filter_id=seg.contact_filter_id)
    if made.error == "exists":
        say("segment.group-name-taken", "warning", "target-group-exists", name=seg.name, group=name)
        return {"name": name, "error": "exists"}
    if made.error:
        say("segment.group-failed", "warning", made.error, name=seg.name, group=name, detail=made.detail)
        return {"name": name, "error": made.error}
    ws.segments.set_maileon_ids(seg.id, made.filter_id, made.group_id)
    result: dict[str, Any] = {"name": name, "id": made.group_id, "contact_filter_id": made.filter_id,
                              "created": not made.reused, "count_contacts": made.counts[0],
                              "count_active_contacts": made.counts[1]}
    if not made.reused:
        say("segment.group-created", name=seg.name, group=name, id=made.group_id or 0)
    return result


def refresh_size(ws: Workspace, names: Sequence[str]) -> int:
    """How many contacts a refresh of ``names`` selects (the union of their members now)."""
    segments = [ws.segments.get(name) for name in names]
    filters = [flt for seg in segments if seg is not None and (flt := _member_filter(seg)) is not None]
    return ws.contacts.count_any(filters)


__all__ = ["MaileonError", "SegmentError", "SegmentRun", "add_segment", "members_of", "refresh_size",
           "remove_segment", "segment_overview"]
