"""Which run may make the target group "ImportAPI equals true": only the one whose marks Maileon holds now,
the newest upload, once it finished. Real engine runs against the simulator and a real SQLite journal."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sync_helpers import import_api_true, make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.simulator import create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync import events as ev
from kufertui.sync.engine import SyncAborted, SyncEngine
from kufertui.sync.segments import add_segment
from kufertui.sync.targetgroup import create_target_group_from_settings, target_group_refusal

FIELD = "ImportAPI"


def refusal(root: Path, run_id: int) -> str | None:
    with Workspace.open(root) as ws:
        found = target_group_refusal(ws, run_id, FIELD)
    return found[0] if found else None


def holder(root: Path, run_id: int) -> int | None:
    with Workspace.open(root) as ws:
        found = target_group_refusal(ws, run_id, FIELD)
    return found[1].get("holder_id") if found else None


def test_only_the_newest_finished_upload_may_make_the_group(tmp_path: Path) -> None:
    state = sim_state()
    transport = httpx.ASGITransport(app=create_app(state))
    settings = make_settings("http://sim.invalid/1.0", batch_size=10, in_flight=1)
    seed_workspace(tmp_path, [person(i, "N" if i > 60 else "J", departments="Sprachen" if i <= 20 else "Kunst")
                              for i in range(1, 66)])

    older = run_engine(settings, tmp_path, sync_options(ids=[1, 2, 3]), transport=transport).report
    newer = run_engine(settings, tmp_path, sync_options(), transport=transport).report
    assert import_api_true(state) == newer.new + newer.updated == 60
    assert (refusal(tmp_path, older.run_id), holder(tmp_path, older.run_id)) == ("marks.other-run", newer.run_id)
    assert refusal(tmp_path, newer.run_id) is None
    made = asyncio.run(create_target_group_from_settings(settings, "Newest", transport=transport, marked=60))
    assert made["count_active_contacts"] == 60  # exactly the newest run's contacts

    # a dry run marks nothing: the newest upload keeps the right to its group
    dry = run_engine(settings, tmp_path, sync_options(dry_run=True), transport=transport).report
    assert refusal(tmp_path, dry.run_id) == "marks.not-upload"
    assert refusal(tmp_path, newer.run_id) is None

    # a run that sends nothing leaves the marks as they were; its --target-group would hold run #2's people
    groups = len(state.target_groups)
    only_n = replace(sync_options(target_group="Nobody"), selection=ContactFilter(frozenset({"N"})))
    empty = run_engine(settings, tmp_path, only_n, transport=transport)
    assert empty.report.target_group and empty.report.target_group["error"] == "marks-elsewhere"
    assert "marks.sent-nothing" in empty.messages()
    assert len(state.target_groups) == groups and import_api_true(state) == 60
    assert refusal(tmp_path, empty.report.run_id) == "marks.sent-nothing"
    assert refusal(tmp_path, newer.run_id) is None

    # an interrupted upload: its own marks are partial, the older run's are gone
    cancel = threading.Event()

    def stop_in_upload(event: ev.Event) -> None:
        if isinstance(event, ev.Progress) and event.phase == "upload" and event.done:
            cancel.set()

    engine = SyncEngine(settings, tmp_path, transport=transport, on_event=stop_in_upload, cancel=cancel)
    with pytest.raises(SyncAborted) as caught:
        asyncio.run(engine.run(sync_options()))
    stopped = caught.value.failed.run_id
    assert stopped is not None and 0 < import_api_true(state) < 60
    assert refusal(tmp_path, stopped) == "marks.unfinished"
    assert (refusal(tmp_path, newer.run_id), holder(tmp_path, newer.run_id)) == ("marks.other-run-partial", stopped)

    # a segment refresh marks ImportAPI too (all members of its segments): its group is right, older runs' not
    with Workspace.open(tmp_path) as ws:
        add_segment(ws, "Sprachen", ContactFilter(frozenset({"J", "K"}), "Sprachen"))
    seg = run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]), transport=transport).report
    assert import_api_true(state) == 20
    assert refusal(tmp_path, seg.run_id) is None
    assert refusal(tmp_path, newer.run_id) == "marks.other-run"
