"""The state one probe run shares between its steps: the client, the names, what it found so far, and the waits
for Maileon's asynchronous effects (bounded, and ended by a cancel)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kufertui.maileon.errors import MaileonError
from kufertui.maileon.probe_client import EntryShape, ProbeClient
from kufertui.sync.internals.interrupt import CancelRequested

from .record import ProbeRecord
from .steps import Names, RowResult, Verdict

SETTLE_S = 60.0  # how long an asynchronous effect (an unsubscribe in the report, a clear) is waited for at most
POLL_FIRST_S = 0.2
POLL_MAX_S = 2.0
POLL_CLOSELY_S = 3.0
HOUR_MS = 3600 * 1000


class StepFailed(Exception):
    """A step that cannot go on; its rows not yet decided become "could not check" with this case."""

    def __init__(self, case: str, **facts: Any) -> None:
        super().__init__(case)
        self.case = case
        self.facts = facts


@dataclass
class ProbeRun:
    client: ProbeClient
    record: ProbeRecord
    cancel: threading.Event
    settle_s: float = SETTLE_S
    save: Callable[[], None] = lambda: None  # writes the record (new ids) to the workspace
    started_ms: int = 0
    results: dict[str, RowResult] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # role → Maileon contact id
    found: dict[str, Any] = field(default_factory=dict)  # what one step learnt for a later one

    @property
    def names(self) -> Names:
        return self.record.names

    def put(self, step: str, verdict: Verdict, case: str, **facts: Any) -> None:
        self.results.setdefault(step, RowResult(step, verdict, case, facts))

    def holds(self, step: str, case: str, **facts: Any) -> None:
        self.put(step, Verdict.HOLDS, case, **facts)

    def differs(self, step: str, case: str, **facts: Any) -> None:
        self.put(step, Verdict.DIFFERS, case, **facts)

    def unchecked(self, step: str, case: str, **facts: Any) -> None:
        self.put(step, Verdict.UNCHECKED, case, **facts)

    def checkpoint(self) -> None:
        if self.cancel.is_set():
            raise CancelRequested()

    async def until(self, check: Callable[[], Awaitable[bool]], bound_s: float | None = None) -> float | None:
        """Ask ``check`` until it is true: the seconds that took (0.0 at once), or None when it stayed false for
        ``bound_s`` (the settle bound by default)."""
        started = time.monotonic()
        bound = self.settle_s if bound_s is None else bound_s
        delay = POLL_FIRST_S
        while True:
            if await check():
                return round(time.monotonic() - started, 1)
            if time.monotonic() - started >= bound:
                return None
            self.checkpoint()
            await asyncio.sleep(min(delay, max(0.0, bound - (time.monotonic() - started)) + 0.01))
            if time.monotonic() - started >= POLL_CLOSELY_S:  # closely at first: the seconds are shown
                delay = min(delay * 2, POLL_MAX_S)

    def note_filter(self, filter_id: int) -> None:
        if filter_id not in self.record.filter_ids:
            self.record.filter_ids.append(filter_id)
            self.save()

    def note_group(self, group_id: int) -> None:
        if group_id not in self.record.group_ids:
            self.record.group_ids.append(group_id)
            self.save()

    # ------------------------------------------------------------------ the report, around the probe's own entries

    def report_window(self) -> dict[str, Any]:
        """Entries since an hour before the probe began (Maileon's clock may differ from ours), all of them."""
        return {"from_date": max(0, self.started_ms - HOUR_MS), "exclude_anonymous": False}

    async def own_entries(self, *, eids: Sequence[str] = (), emails: Sequence[str] = ()) -> list[EntryShape]:
        """The report entries of the probe's own contacts: asked for by external id and by address (filters
        Maileon documents), and picked out again here in case a filter was not applied."""
        own_eids, own_emails = set(eids), {e.lower() for e in emails}
        seen: dict[tuple[str | None, str | None, str | None], EntryShape] = {}
        for params in ({"eids": list(eids)} if eids else None, {"emails": list(emails)} if emails else None):
            if params is None:
                continue
            _resp, entries = await self.client.report_shapes({**self.report_window(), **params, "page_size": 1000})
            for e in entries:
                if e.external_id in own_eids or (e.email or "").lower() in own_emails:
                    seen[(e.contact_id, e.external_id, e.email)] = e
        return list(seen.values())


def failure_facts(exc: MaileonError) -> dict[str, Any]:
    return {"detail": exc.technical()[:200]}
