"""Pre-flight as a stream: a worker thread checks the selected contacts in id order and hands each
batch to the event loop as soon as it is full, so that the upload starts after the first thousand
contacts instead of after all of them.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kufertui.core.contact import Status, contact_key
from kufertui.store.journal import ContactOutcome, Journal
from kufertui.store.workspace import Workspace
from kufertui.sync.plan import Planned, Preflight


@dataclass(slots=True)
class PlannedBatch:
    number: int
    permission: int
    contacts: list[Planned]


@dataclass(slots=True)
class StreamItem:
    """What the planner found since the previous item: contacts held back, and a full batch (or None)."""

    held_back: list[ContactOutcome] = field(default_factory=list)
    batch: PlannedBatch | None = None


_END = object()
# While the planner thread computes, the event loop waits for the GIL whenever an answer comes in: up to
# the switch interval (5 ms by default) per hand-over, a few times per request. A shorter interval lets
# the requests in flight be answered and replaced sooner (100,000 contacts: about 0.15 s of 3 s).
PLANNING_SWITCH_INTERVAL_S = 0.001
# A run keeps many objects alive for a while (the batches planned ahead, the journal's rows for the marks): with
# the default thresholds a 100,000-contact run made six full collections, each walking every one of them
# (measured: 0.5-0.8 s of the client's 4.8 s CPU). Full collections 10x rarer while the stream is open; young
# collections and reference counting free everything as before.
PLANNING_GC_OLDEST_THRESHOLD = 100
# Young collections after 20,000 new objects instead of 700: a planned contact is a few objects, so the default
# walked each batch planned ahead some thirty times on its way to the middle generation (100,000 contacts: ~730
# young and ~66 middle collections, 0.15 s; now ~50 and ~4, 0.04 s). The objects are freed by reference counting
# as before; a young generation of 20,000 is a few MB at most.
PLANNING_GC_YOUNG_THRESHOLD = 20_000
# Full batches the planner keeps ready before it waits for the upload to take one: planning all 100,000 contacts
# ahead kept them all alive at once (200 MB, and page faults and collections to pay for it); a few batches ahead
# is enough for the upload never to wait (a batch takes a tenth of the time to plan that it takes to send).
PLANNED_AHEAD = 8


class PlanStream:
    """Runs ``preflight`` over ``ids`` in a thread of its own (its own SQLite connection).

    Batches hold one legal basis each (J and K fill separate batches); numbering starts at
    ``first_batch_no``. Contacts whose key is in ``skip_keys`` (already journaled by the run being
    resumed) are passed over. Counters are written by the thread and only read for estimates.
    """

    def __init__(self, root: Path, ids: Sequence[int], preflight: Preflight, *, batch_size: int,
                 permissions: Mapping[str, int], first_batch_no: int = 1,
                 skip_keys: frozenset[str] | set[str] = frozenset(), ahead: int = PLANNED_AHEAD,
                 run_id: int | None = None) -> None:
        self.root = root
        self.run_id = run_id  # given: the thread journals each item before it hands it over
        self.ids = list(ids)
        self.preflight = preflight
        self.batch_size = batch_size
        self.permissions = dict(permissions)
        self.first_batch_no = first_batch_no
        self.next_batch_no = first_batch_no
        self.in_batches = 0  # sendable contacts already in a full or final batch
        self.skip_keys = skip_keys
        self.processed = 0  # ids looked at (skipped ones included)
        self.selected = 0  # contacts pre-flighted
        self.sendable = 0
        self.held = 0
        self.done = False
        self._stop = threading.Event()
        self._room = threading.Semaphore(max(1, ahead))  # full batches planned and not yet taken
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._switch_interval: float | None = None
        self._gc_thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, PLANNING_SWITCH_INTERVAL_S))
        self._gc_thresholds = gc.get_threshold()
        young, middle, oldest = self._gc_thresholds
        gc.set_threshold(max(young, PLANNING_GC_YOUNG_THRESHOLD), middle, max(oldest, PLANNING_GC_OLDEST_THRESHOLD))
        self._thread = threading.Thread(target=self._work, name="kufertui-preflight", daemon=True)
        self._thread.start()

    async def next(self) -> StreamItem | None:
        """The next item; None when every contact is planned. Re-raises the planner's error."""
        item = await self._queue.get()
        if item is _END:
            self.done = True
            return None
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, StreamItem)
        if item.batch is not None:
            self._room.release()
        return item

    def close(self) -> None:
        """Stop planning (if still running) and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None
        if self._gc_thresholds is not None:
            gc.set_threshold(*self._gc_thresholds)
            self._gc_thresholds = None

    def remaining_estimate(self) -> int:
        """Contacts not yet looked at: an upper bound for what is still to be planned."""
        return 0 if self.done else len(self.ids) - self.processed

    def batches_estimate(self) -> int:
        """Batches this stream will have planned in all (exact once planning is done)."""
        waiting = self.sendable - self.in_batches + self.remaining_estimate()  # in part-filled batches or unread
        return self.next_batch_no - self.first_batch_no + -(-waiting // self.batch_size)

    # --- the worker thread ------------------------------------------------------------------------
    def _put(self, item: object, journal: Journal | None = None) -> None:
        if isinstance(item, StreamItem):
            if item.batch is not None:
                while not self._room.acquire(timeout=0.1):  # as many batches ahead as PLANNED_AHEAD
                    if self._stop.is_set():
                        return
            if journal is not None and self.run_id is not None:
                self._journal(journal, item)
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (the run was torn down): nobody is waiting any more
            self._stop.set()

    def _journal(self, journal: Journal, item: StreamItem) -> None:
        """The batch as planned (and who was held back before it), before the upload may send it: written here
        and not in the event loop, which would wait on it while answers come in (a few ms a batch)."""
        assert self.run_id is not None
        batch = item.batch
        if batch is None:
            journal.record_outcomes(self.run_id, item.held_back)
        else:
            journal.plan_batch(self.run_id, batch.number, batch.permission,
                               [(p.key, p.email, p.status) for p in batch.contacts], item.held_back)

    def _work(self) -> None:
        try:
            with Workspace.open(self.root) as ws:
                if self._plan(ws) and self.run_id is not None:
                    ws.journal.mark_planned(self.run_id)
        except BaseException as exc:
            self._put(exc)
        else:
            self._put(_END)

    def _plan(self, ws: Workspace) -> bool:
        """Plan every contact; False when stopped before the end."""
        buckets: dict[str, list[Planned]] = {Status.J.value: [], Status.K.value: []}
        held: list[ContactOutcome] = []
        skip_keys, journal = self.skip_keys, ws.journal
        for rows in ws.contacts.field_row_chunks(self.ids, self.preflight.fields):
            if self._stop.is_set():
                return False
            self.processed += len(rows)
            if skip_keys:
                rows = [row for row in rows if contact_key(row[3], row[1].lower()) not in skip_keys]
            self.selected += len(rows)
            for checked in self.preflight.check_rows(rows):
                if not isinstance(checked, Planned):
                    held.append(checked)
                    self.held += 1
                    continue
                bucket = buckets[checked.status]
                bucket.append(checked)
                self.sendable += 1
                if len(bucket) == self.batch_size:
                    self._put(StreamItem(held, self._batch(checked.status, bucket)), journal)
                    held, buckets[checked.status] = [], []
                    if self._stop.is_set():
                        return False
        self.processed = len(self.ids)  # ids of contacts deleted meanwhile are not returned
        for status, bucket in buckets.items():
            if bucket:
                self._put(StreamItem(held, self._batch(status, bucket)), journal)
                held = []
        if held:
            self._put(StreamItem(held), journal)
        return not self._stop.is_set()

    def _batch(self, status: str, contacts: list[Planned]) -> PlannedBatch:
        batch = PlannedBatch(self.next_batch_no, self.permissions[status], contacts)
        self.in_batches += len(contacts)
        self.next_batch_no += 1
        return batch
