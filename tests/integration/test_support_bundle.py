"""The support bundle: everything the helpdesk needs, nothing secret, no contact data unless asked."""

from __future__ import annotations

import asyncio
import zipfile
from pathlib import Path

import httpx

from kufertui.config import Secret
from kufertui.simulator import create_app
from kufertui.store import ContactFilter
from kufertui.sync.bundle import build_bundle
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.eventlog import EventLog
from kufertui.sync.mapping import mappings_from_settings

CANARY = "canary-key-7f3a9c11d2"


def test_bundle_has_no_key_no_password_no_contacts(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 120, seed=5)
    setup.sim.add_key(CANARY)
    setup.settings.maileon.api_key = Secret(CANARY)
    setup.settings.proxy.password = Secret("proxy-canary-pw")
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    transport = httpx.ASGITransport(app=create_app(setup.sim))
    log = EventLog(setup.workspace_root / "logs" / "kufertui.log")
    engine = SyncEngine(setup.settings, setup.workspace_root, transport=transport, on_event=log)
    report = asyncio.run(engine.run(SyncOptions(ContactFilter(frozenset({"J", "K"})),
                                                mappings=mappings_from_settings(setup.settings),
                                                replace_xml=True)))
    out = build_bundle(setup.settings, setup.settings_path, setup.workspace_root, tmp_path / "bundle.zip",
                       transport=transport)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        blob = b"".join(archive.read(n) for n in names).decode("utf-8")
    assert {"doctor.json", "settings.json", "runs.json", "log-tail.txt"} <= names
    assert CANARY not in blob and "proxy-canary-pw" not in blob
    assert "@" not in blob.replace("@{", "")  # no e-mail address of any contact
    assert str(report.selected) in blob  # the run's counts are there
    assert '"connection"' in blob and '"rights"' in blob
