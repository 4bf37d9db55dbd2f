"""Two KUFER fields into one Maileon field never reach Maileon: the CLI refuses (exit 2) for a [fields]
section and for --fields, and the engine refuses such a run before the lock, the journal or a request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from sync_helpers import (
    cli_paths,
    make_settings,
    person,
    run_cli,
    seed_workspace,
    sim_snapshot,
    sim_state,
    sync_options,
)

from kufertui.config import load_settings, save_settings
from kufertui.core.exitcodes import EXIT_USAGE
from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.simulator import create_app, running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.engine import SyncAborted, SyncEngine
from kufertui.sync.segments import add_segment


def test_engine_refuses_a_doubled_target_before_touching_maileon(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [person(i, departments="Sprachen") for i in range(1, 6)])
    settings = make_settings("http://sim.invalid/1.0")
    engine = SyncEngine(settings, root, transport=httpx.ASGITransport(app=create_app(state)))
    mappings = [*default_mappings(), FieldMapping("departments", "FIRSTNAME")]
    with pytest.raises(SyncAborted) as caught:
        asyncio.run(engine.run(sync_options(mappings)))
    assert caught.value.failed.key == "mapping.conflict"
    assert caught.value.failed.exit_code == EXIT_USAGE
    assert state.requests_seen == 0 and not state.contacts
    with Workspace.open(root) as ws:
        assert ws.journal.runs() == []  # nothing journaled, an older run's resume is not superseded


def test_cli_refuses_fields_section_and_option_with_exit_2(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        paths = cli_paths(tmp_path, make_settings(url))
        seed_workspace(paths.workspace, [person(i, departments="Sprachen") for i in range(1, 6)])
        before = sim_snapshot(state)

        # the settings file maps Department to FIRSTNAME, beside First name
        settings = load_settings(paths.config)
        settings.fields = {"first_name": "FIRSTNAME", "departments": "firstname"}
        save_settings(settings, paths.config)
        done = run_cli(paths, "sync", "--status", "J,K", "--yes", "--lang", "en")
        assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
        assert "FIRSTNAME" in done.stderr and "[fields]" in done.stderr and str(paths.config) in done.stderr

        # only Department → FIRSTNAME in the file; --fields adds First name with its natural FIRSTNAME
        settings.fields = {"departments": "FIRSTNAME"}
        save_settings(settings, paths.config)
        done = run_cli(paths, "sync", "--status", "J,K", "--yes", "--json", "--fields", "first_name,departments")
        assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
        assert '"error": "mapping.in-option"' in done.stdout
        assert state.requests_seen == 0
        assert sim_snapshot(state) == before
        with Workspace.open(paths.workspace) as ws:
            assert ws.journal.runs() == []


def test_engine_refuses_a_mapping_into_a_segments_field(tmp_path: Path) -> None:
    state = sim_state()
    root = tmp_path / "ws"
    seed_workspace(root, [person(i, departments="Sprachen") for i in range(1, 6)])
    with Workspace.open(root) as ws:
        seg = add_segment(ws, "Sprachen", ContactFilter(frozenset({"J", "K"}), "Sprachen"))
    settings = make_settings("http://sim.invalid/1.0")
    engine = SyncEngine(settings, root, transport=httpx.ASGITransport(app=create_app(state)))
    # a plain run writing the segment's flag would change who is in the segment's target group
    mappings = [*default_mappings(), FieldMapping("departments", seg.field, custom=True)]
    with pytest.raises(SyncAborted) as caught:
        asyncio.run(engine.run(sync_options(mappings)))
    assert caught.value.failed.key == "mapping.conflict-import"
    assert state.requests_seen == 0
