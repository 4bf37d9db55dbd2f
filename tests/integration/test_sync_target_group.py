"""Target group in one step: filter "ImportAPI equals true", its target group, and Maileon's count."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from kufertui.simulator import create_app
from kufertui.store import ContactFilter
from kufertui.sync.demo_setup import prepare_demo
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.mapping import mappings_from_settings


def test_target_group_counts_exactly_this_runs_contacts(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo", 200, seed=21)
    setup.settings.maileon.base_url = "http://127.0.0.1/1.0"
    # a contact from an older upload carries ImportAPI=true until this run clears it
    setup.sim.custom_fields["ImportAPI"] = "boolean"
    setup.sim.seed_contact("aelter@vhs-beispiel.de", custom={"ImportAPI": "true"})
    engine = SyncEngine(setup.settings, setup.workspace_root,
                        transport=httpx.ASGITransport(app=create_app(setup.sim)))
    report = asyncio.run(engine.run(SyncOptions(ContactFilter(frozenset({"J", "K"})),
                                                mappings=mappings_from_settings(setup.settings),
                                                replace_xml=True, target_group="Newsletter November 2026")))
    group = report.target_group
    assert group is not None and group["target_group_id"] > 0
    assert group["count_contacts"] == report.new + report.updated
    assert group["count_active_contacts"] == report.new + report.updated
    filt = setup.sim.filters[group["contact_filter_id"]]
    assert filt["rules"][0]["selection"]["criterion"] == {"field_name": "ImportAPI", "operation": "equals",
                                                          "value": "true"}
