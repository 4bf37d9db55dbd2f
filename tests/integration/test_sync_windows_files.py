"""Issue 18.4: on Windows, replacing a file another program holds open (the upload XML in Excel or a
viewer, the event log in an editor) raises PermissionError (winerror 32). A finished upload must
never be reported as failed for it: the file goes beside the old one, with a note."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from kufertui.paths import WorkspacePaths
from kufertui.simulator import create_app
from kufertui.store import ContactFilter
from kufertui.sync import eventlog
from kufertui.sync import events as ev
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings


def held_open(*targets: Path):  # type: ignore[no-untyped-def]
    """os.replace as Windows does it while another program has one of targets open."""
    real = os.replace

    def replace(src: object, dst: object) -> None:
        if Path(dst) in targets:  # type: ignore[arg-type]
            exc = PermissionError(13, "The process cannot access the file because it is being used by "
                                      "another process")
            exc.winerror = 32  # type: ignore[attr-defined]
            raise exc
        real(src, dst)  # type: ignore[arg-type]

    return replace


def test_finished_upload_with_the_xml_held_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setup = prepare_demo(tmp_path / "demo", 60, seed=5)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    transport = httpx.ASGITransport(app=create_app(setup.sim))
    options = SyncOptions(ContactFilter(frozenset({"J", "K"})), mappings=mappings_from_settings(setup.settings),
                          replace_xml=True)
    xml = WorkspacePaths(setup.workspace_root).upload_xml
    asyncio.run(SyncEngine(setup.settings, setup.workspace_root, transport=transport).run(options))
    earlier = xml.read_bytes()

    monkeypatch.setattr(os, "replace", held_open(xml))
    events: list[ev.Event] = []
    engine = SyncEngine(setup.settings, setup.workspace_root, transport=transport, on_event=events.append)
    report = asyncio.run(engine.run(options))  # not SyncAborted

    assert report.reconciled and report.updated + report.new > 0, report
    assert xml.read_bytes() == earlier  # the open file is left alone
    written = Path(report.upload_xml or "")
    assert written != xml and written.parent == xml.parent and written.exists()
    assert written.read_bytes().rstrip().endswith(b"</contacts>")
    notes = [e for e in events if isinstance(e, ev.Message) and e.key == "platform.replaced-elsewhere"]
    assert len(notes) == 1 and notes[0].level == "warning"
    assert notes[0].params == {"path": str(xml), "other": str(written)}


def test_log_rotation_waits_for_a_later_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "logs" / "kufertui.log"
    log.parent.mkdir()
    log.write_bytes(b"x" * (eventlog.MAX_BYTES + 1))
    monkeypatch.setattr(os, "replace", held_open(log.with_suffix(".log.1")))
    sink = eventlog.EventLog(log)  # did raise PermissionError and abort the run before it began
    sink(ev.Message("info", "engine.pulled", {"seen": 1}))
    assert log.read_bytes().endswith(b"\n") and b"\r" not in log.read_bytes()[-200:]


def test_writeback_list_waits_for_a_scanner_holding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kufertui.kufer.writeback import write_unsubscribers_csv

    target = tmp_path / "abmelder.csv"
    target.write_bytes(b"old")
    busy = held_open(target)
    real, tries = os.replace, []

    def briefly_held(src: object, dst: object) -> None:
        tries.append(dst)
        (busy if len(tries) <= 2 else real)(src, dst)

    monkeypatch.setattr(os, "replace", briefly_held)
    rows = [{"email": "a@vhs-test.de", "person_no": "1", "when": "2026-11-30", "source": "maileon"}]
    assert write_unsubscribers_csv(target, rows) == 1  # raised PermissionError on the first try
    assert len(tries) == 3 and target.read_bytes().startswith(b"\xef\xbb\xbfE-Mail;")
    assert [p.name for p in tmp_path.iterdir()] == ["abmelder.csv"]  # KUFER reads only this name
