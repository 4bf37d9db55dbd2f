"""Which run may be resumed (issue 16, bug 2): only the newest sync run, only while it is unfinished.
A newer run supersedes the older unfinished ones; `kufertui sync --resume` says "nothing to resume"
(exit 2) otherwise and never re-sends an old selection."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_state, sync_options

from kufertui.simulator import running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.engine import SyncAborted, SyncEngine


def stopped_run(settings: object, root: Path, statuses: frozenset[str]) -> int:
    """A sync run cancelled before its upload (as after a failed attempt)."""
    import asyncio
    import threading

    cancel = threading.Event()
    cancel.set()
    engine = SyncEngine(settings, root, cancel=cancel)  # type: ignore[arg-type]
    with pytest.raises(SyncAborted) as stopped:
        asyncio.run(engine.run(replace(sync_options(), selection=ContactFilter(statuses))))
    assert stopped.value.failed.resumable
    return int(stopped.value.failed.run_id or 0)


def test_only_the_newest_unfinished_run_is_resumed(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        paths = cli_paths(tmp_path, settings)
        seed_workspace(paths.workspace, [person(i) for i in range(1, 21)] +
                       [person(i, "K") for i in range(21, 31)])
        first = stopped_run(settings, paths.workspace, frozenset({"K"}))
        second = stopped_run(settings, paths.workspace, frozenset({"K"}))
        with Workspace.open(paths.workspace) as ws:
            assert ws.journal.run(first).state == "superseded"  # type: ignore[union-attr]
            assert ws.journal.resumable_run().id == second  # type: ignore[union-attr]
        done = run_cli(paths, "sync", "--status", "J", "--yes", "--json")
        assert done.returncode == 0, done.stderr
        marked = {e for e, c in state.contacts.items() if c.custom.get("ImportAPI") == "true"}
        assert len(marked) == 20

        again = run_cli(paths, "sync", "--resume", "--json", "--lang", "en")
        assert again.returncode == 2, again.stdout + again.stderr
        assert "nothing to resume" in (again.stdout + again.stderr).lower()
        # the newer run's selection stays in Maileon: the K run was not re-sent
        assert {e for e, c in state.contacts.items() if c.custom.get("ImportAPI") == "true"} == marked
        with Workspace.open(paths.workspace) as ws:
            assert [r.state for r in reversed(ws.journal.runs())] == ["superseded", "superseded", "done"]
            assert ws.journal.resumable_run() is None
        # naming an old run explicitly does not resume it either
        from kufertui.core.exitcodes import EXIT_USAGE

        engine = SyncEngine(settings, paths.workspace)
        with pytest.raises(SyncAborted) as refused:
            import asyncio

            asyncio.run(engine.run(sync_options(resume_run_id=second)))
        assert refused.value.failed.exit_code == EXIT_USAGE
        assert refused.value.failed.key == "engine.nothing-to-resume"
