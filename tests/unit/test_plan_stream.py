"""The streamed pre-flight: full batches as soon as they fill, one legal basis per batch, numbering
that continues a resumed run, journaled contacts passed over, and an estimate that ends exact."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import default_mappings
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.internals.stream import PlanStream, StreamItem
from kufertui.sync.plan import Preflight

T = TypeVar("T")


def _workspace(root: Path) -> list[int]:
    people = [Contact(email=f"p{i}@vhs-test.de", status=Status.K if i % 4 == 0 else Status.J,
                      person_no=str(1000 + i), first_name=f"V{i}") for i in range(1, 24)]
    people[4].email = "kaputt@@vhs-test.de"
    with Workspace.open(root) as ws:
        ws.import_contacts(people, source="test")
        return ws.contacts.ids(ContactFilter())


def _drain(stream: PlanStream) -> list[StreamItem]:
    async def run() -> list[StreamItem]:
        stream.start()
        items = []
        while (item := await stream.next()) is not None:
            items.append(item)
        stream.close()
        return items
    return asyncio.run(run())


def _preflight() -> Preflight:
    return Preflight(default_mappings(), import_field="ImportAPI", suppressed=set(), declared_custom={})


def test_batches_hold_one_status_and_every_contact_is_accounted_for(tmp_path: Path) -> None:
    ids = _workspace(tmp_path / "ws")
    stream = PlanStream(tmp_path / "ws", ids, _preflight(), batch_size=4, permissions={"J": 4, "K": 6})
    items = _drain(stream)
    batches = [i.batch for i in items if i.batch is not None]
    assert [b.number for b in batches] == list(range(1, len(batches) + 1))
    for b in batches:
        assert len({p.status for p in b.contacts}) == 1
        assert b.permission == (6 if b.contacts[0].status == "K" else 4)
        assert len(b.contacts) <= 4
    planned = [p.email for b in batches for p in b.contacts]
    held = [o.email for i in items for o in i.held_back]
    assert held == ["kaputt@@vhs-test.de"]
    assert sorted(planned + held) == sorted({*planned, *held}) and len(planned) + len(held) == 23
    assert stream.selected == 23 and stream.batches_estimate() == len(batches)


def test_resume_passes_over_journaled_contacts_and_continues_numbering(tmp_path: Path) -> None:
    ids = _workspace(tmp_path / "ws")
    skip = {f"tnr:{1000 + i}" for i in range(1, 11)}
    stream = PlanStream(tmp_path / "ws", ids, _preflight(), batch_size=5, permissions={"J": 4, "K": 6},
                        first_batch_no=7, skip_keys=skip)
    items = _drain(stream)
    batches = [i.batch for i in items if i.batch is not None]
    assert batches[0].number == 7
    keys = {p.key for b in batches for p in b.contacts}
    assert not keys & skip and len(keys) == 13 and stream.selected == 13


def _while_planning(root: Path, look: Callable[[], T]) -> T:
    """What ``look`` sees while a stream plans (the workspace's contacts, batches of 4)."""
    ids = _workspace(root)
    seen: list[T] = []

    async def run() -> None:
        stream = PlanStream(root, ids, _preflight(), batch_size=4, permissions={"J": 4, "K": 6})
        stream.start()
        seen.append(look())
        while await stream.next() is not None:
            pass
        stream.close()

    asyncio.run(run())
    return seen[0]


def test_the_interpreter_switch_interval_is_shortened_only_while_planning(tmp_path: Path) -> None:
    before = sys.getswitchinterval()
    assert _while_planning(tmp_path / "ws", sys.getswitchinterval) < before
    assert sys.getswitchinterval() == before


def test_the_collector_runs_less_often_only_while_planning(tmp_path: Path) -> None:
    """Issue 27: young collections after 20,000 new objects (not 700) and full ones 10x rarer while the stream is
    open; the process's own thresholds again after it."""
    before = gc.get_threshold()
    young, _middle, oldest = _while_planning(tmp_path / "ws", gc.get_threshold)
    assert young >= 20_000 and oldest >= 100
    assert gc.get_threshold() == before


def test_the_planner_keeps_only_a_few_batches_ahead_of_the_upload(tmp_path: Path) -> None:
    """Planned batches wait for the upload to take them, a few at most (issue 27: planning all 100,000 contacts
    ahead kept every one of them in memory); taken one by one, every contact still ends up in a batch."""
    ids = _workspace(tmp_path / "ws")

    async def run() -> tuple[int, list[StreamItem]]:
        stream = PlanStream(tmp_path / "ws", ids, _preflight(), batch_size=2, permissions={"J": 4, "K": 6}, ahead=2)
        stream.start()
        for _ in range(40):  # the planner runs until it waits for room
            await asyncio.sleep(0.01)
        ahead = stream.next_batch_no - stream.first_batch_no
        items = []
        while (item := await stream.next()) is not None:
            items.append(item)
        stream.close()
        return ahead, items

    ahead, items = asyncio.run(run())
    assert ahead <= 2 + 1  # two handed over, one more built and waiting for room
    planned = [p for i in items if i.batch is not None for p in i.batch.contacts]
    assert len(planned) + sum(len(i.held_back) for i in items) == 23


def test_each_batch_is_journaled_as_planned_before_the_upload_gets_it(tmp_path: Path) -> None:
    """With a run, the planner's thread journals a batch (and those held back before it) before it hands the
    batch over: the event loop never waits on that write, and no batch can be sent unjournaled."""
    ids = _workspace(tmp_path / "ws")
    with Workspace.open(tmp_path / "ws") as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})

    async def run() -> list[tuple[int, list[int], dict[str, str]]]:
        seen = []
        stream = PlanStream(tmp_path / "ws", ids, _preflight(), batch_size=4, permissions={"J": 4, "K": 6},
                            run_id=run_id)
        stream.start()
        with Workspace.open(tmp_path / "ws") as reader:
            while (item := await stream.next()) is not None:
                assert item.batch is not None or item.held_back
                journaled = [no for no, *_rest in reader.journal.batches(run_id)]
                outcomes = {o.email: o.outcome for o in reader.journal.outcomes(run_id)}
                seen.append((item.batch.number if item.batch else 0, journaled, outcomes))
        stream.close()
        return seen

    seen = asyncio.run(run())
    for number, journaled, _outcomes in seen:
        assert number == 0 or number in journaled
    assert seen[-1][2]["kaputt@@vhs-test.de"] == "rejected"
    assert sum(1 for v in seen[-1][2].values() if v == "planned") == 22
    with Workspace.open(tmp_path / "ws") as ws:
        record = ws.journal.run(run_id)
        assert record is not None and record.options.get("planned") is True  # a resume plans nothing new
