"""A dry run writes nothing to Maileon, and says what it did do here: the pull, the N, the KUFER file."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_snapshot, sim_state

from kufertui.simulator import running_simulator


def test_dry_run_reports_its_local_work(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 11)]
    for c in contacts[:3]:
        state.seed_contact(c.email)
    state.recipient_unsubscribes(contacts[0].email)
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, contacts)
        dry = run_cli(paths, "sync", "--dry-run", "--lang", "en")
    assert dry.returncode == 0, dry.stderr
    assert "DRY RUN – nothing was changed in Maileon." in dry.stdout
    assert ("Done here – unsubscribes pulled from Maileon: 1 · set to N: 1 · handed back to KUFER: 1"
            in dry.stdout)
    assert "kufer-abmelder-" in dry.stdout
    assert sim_snapshot(state) == before
