"""Unreachable Maileon from the command line: the right hint, exit code 3 (2 for a refused key), nothing written."""

from __future__ import annotations

import socket
from pathlib import Path

from sync_helpers import (
    cli_paths,
    make_settings,
    person,
    run_cli,
    run_clis_at_once,
    seed_workspace,
    sim_snapshot,
    sim_state,
)

from kufertui.simulator import running_simulator


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


def test_wrong_proxy_exits_3_and_wrong_key_exits_2_with_hint_and_write_nothing(tmp_path: Path) -> None:
    state = sim_state()
    for i in range(1, 4):
        state.seed_contact(person(i).email)
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        settings = make_settings(base_url)
        settings.proxy.host = "127.0.0.1"
        settings.proxy.port = closed_port()
        paths = cli_paths(tmp_path / "proxy", settings)
        seed_workspace(paths.workspace, [person(i) for i in range(1, 11)])
        proxied = run_cli(paths, "sync", "--lang", "en")
        assert proxied.returncode == 3, proxied.stderr
        assert "proxy-socket" in proxied.stderr
        assert sim_snapshot(state) == before

        paths = cli_paths(tmp_path / "key", make_settings(base_url))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 11)])
        wrong_key = run_cli(paths, "sync", "--json", api_key="not-the-key-0000000000")
        assert wrong_key.returncode == 2, wrong_key.stderr  # a configuration error: the key is refused
        assert "key-invalid" in wrong_key.stdout + wrong_key.stderr
        assert sim_snapshot(state) == before
        # the pull for cron fails the same way
        pull = run_cli(paths, "unsubscribers", "pull", api_key="not-the-key-0000000000")
        assert pull.returncode == 2 and "key-invalid" in pull.stderr
        assert "lehnt den API-Key ab" in pull.stderr
        assert "Umgebungsvariable KUFERTUI_API_KEY" in pull.stderr  # names where the refused key came from
        assert sim_snapshot(state) == before


def test_nothing_listening_exits_3_without_a_traceback(tmp_path: Path) -> None:
    """The pull and the custom-field list fail together; neither failure may go unawaited (it printed
    "Task exception was never retrieved" with a traceback in 2 of 3 runs)."""
    url = f"http://127.0.0.1:{closed_port()}/1.0"
    jobs = []
    for n in range(6):  # six runs at once, each in a workspace of its own (they wait on retries, not on CPU)
        paths = cli_paths(tmp_path / str(n), make_settings(url))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 11)])
        jobs.append((paths, ("sync", "--status", "J,K", "--yes")))
    for result in run_clis_at_once(jobs):
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr and "never retrieved" not in result.stderr, result.stderr


def test_key_refused_during_the_objection_push_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """Several pushes run at once; the key refused to all of them must end in the hint, not in an
    exception group's traceback."""
    state = sim_state()
    objections = [person(i, "N") for i in range(11, 41)]
    for c in objections:
        state.seed_contact(c.email)
    with running_simulator(state, "revoke@DELETE /contacts/email/*#3") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 11)] + objections)
        result = run_cli(paths, "sync", "--yes", "--lang", "en")
    assert result.returncode == 2, result.stderr  # a refused key is a configuration error
    assert "key-invalid" in result.stderr
    assert "Traceback" not in result.stderr and "ExceptionGroup" not in result.stderr, result.stderr
