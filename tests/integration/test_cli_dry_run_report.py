"""A dry run writes nothing to Maileon, and says what it did do here: the pull, the N, the KUFER file."""

from __future__ import annotations

import json
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


def test_dry_run_report_adds_up_like_a_real_run(tmp_path: Path) -> None:
    """The dry run's line predicts the real one: would-create counts as new, would-update and unchanged as
    updated, so the parts add up to the selection (it used to say 5 of 6 contacts were missing)."""
    state = sim_state()
    contacts = [person(i) for i in range(1, 6)] + [person(9, email="bad@@example.org")]
    for c in contacts[:2]:
        state.seed_contact(c.email)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, contacts)
        dry = run_cli(paths, "sync", "--dry-run", "--json")
        real = run_cli(paths, "sync", "--json", "--yes")
    predicted, done = json.loads(dry.stdout), json.loads(real.stdout)
    assert (predicted["selected"], predicted["new"], predicted["updated"], predicted["invalid"]) == (6, 3, 2, 1)
    assert predicted["reconciled"] is True
    assert {k: done[k] for k in ("selected", "new", "updated", "invalid")} == \
        {k: predicted[k] for k in ("selected", "new", "updated", "invalid")}


def test_asking_for_n_only_is_refused(tmp_path: Path) -> None:
    """`--status N`: N contacts are never sent. It used to select every contact and hold them all back, then
    nobody (exit 0, a cron job none the wiser); now it is a usage error that says why (issue 26.10), and
    Maileon is left as it was."""
    state = sim_state()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(1), person(2, "N"), person(3, "K")])
        before = sim_snapshot(state)
        res = run_cli(paths, "sync", "--status", "N", "--json", "--yes")
    doc = json.loads(res.stdout)
    assert res.returncode == 2 and (doc["error"], doc["hint_id"]) == ("cli.status-not-sent", "status-not-uploadable")
    assert sim_snapshot(state) == before
