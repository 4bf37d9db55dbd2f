"""Settings and options that doctor rejects are refused by every command before any request: exit 2, a
text naming the key, no traceback, the simulated account untouched and no run left "running". The UWG
gate opens only on a real date that is not in the future."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sync_helpers import (
    CliPaths,
    cli_paths,
    make_settings,
    person,
    run_cli,
    seed_workspace,
    sim_snapshot,
    sim_state,
)

from kufertui.config import Settings
from kufertui.simulator import SimState, running_simulator
from kufertui.store import Workspace

CONTACTS = [person(i, "K" if i <= 4 else "J") for i in range(1, 13)]  # 4 K, 8 J


def _runs(paths: CliPaths) -> list[str]:
    with Workspace.open(paths.workspace) as ws:
        return [r.state for r in ws.journal.runs()]


def _prepared(tmp_path: Path, name: str, base_url: str, change: Any) -> CliPaths:
    settings: Settings = make_settings(base_url, batch_size=5)
    change(settings)
    paths = cli_paths(tmp_path / name, settings)
    seed_workspace(paths.workspace, CONTACTS)
    return paths


def _assert_refused(state: SimState, before: dict[str, Any], paths: CliPaths, key: str, *args: str,
                    env: dict[str, str] | None = None) -> str:
    result = run_cli(paths, *args, "--lang", "en", timeout=30, **(env or {}))
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert f'"{key}"' in result.stderr, result.stderr
    assert sim_snapshot(state) == before
    assert state.requests_seen == 0  # refused before the first request, not after a pull
    assert _runs(paths) == []
    return result.stderr


def test_sync_and_dry_run_refuse_what_doctor_rejects_before_any_request(tmp_path: Path) -> None:
    state = sim_state()
    state.seed_contact("already@vhs-test.de")
    before = sim_snapshot(state)

    def perm(s: Settings) -> None:
        s.permissions.J = "foo"

    def batch0(s: Settings) -> None:
        s.maileon.batch_size = 0

    def batch_big(s: Settings) -> None:
        s.maileon.batch_size = 100000

    def in_flight0(s: Settings) -> None:
        s.maileon.batches_in_flight = 0

    cases = [("perm", perm, "permissions.J", "Unknown permission. Allowed: none, soi, coi, doi, doi+, other."),
             ("batch0", batch0, "maileon.batch_size", "between 1 and 1000"),
             ("batchbig", batch_big, "maileon.batch_size", "between 1 and 1000"),
             ("inflight", in_flight0, "maileon.batches_in_flight", "Batches in flight: 1 to 16.")]
    with running_simulator(state) as base_url:
        state.requests_seen = 0
        for name, change, key, text in cases:
            paths = _prepared(tmp_path, name, base_url, change)
            for args in (("sync", "--yes"), ("sync", "--dry-run"), ("unsubscribers", "pull"), ("doctor",)):
                stderr = _assert_refused(state, before, paths, key, *args)
                assert text in stderr and str(paths.config) in stderr and "line " in stderr
        # the other faces start from the same load: the TUI and the browser server refuse it too
        paths = _prepared(tmp_path, "faces", base_url, batch0)
        for args in ((), ("serve", "--port", "0")):
            _assert_refused(state, before, paths, "maileon.batch_size", *args)
        # the same value from the environment names the variable instead of the file
        paths = _prepared(tmp_path, "env", base_url, lambda s: None)
        stderr = _assert_refused(state, before, paths, "maileon.batch_size", "sync", "--yes",
                                 env={"KUFERTUI_MAILEON__BATCH_SIZE": "100000"})
        assert "KUFERTUI_MAILEON__BATCH_SIZE" in stderr
        garbled = run_cli(paths, "sync", "--yes", "--lang", "en", KUFERTUI_MAILEON__BATCH_SIZE="viele")
        assert garbled.returncode == 2 and "Traceback" not in garbled.stderr
        assert "KUFERTUI_MAILEON__BATCH_SIZE" in garbled.stderr
        # German by default, in the language the file asks for when it names one
        paths = _prepared(tmp_path, "de", base_url, batch0)
        german = run_cli(paths, "sync", "--yes")
        assert german.returncode == 2 and "Die Stapelgröße muss zwischen 1 und 1000 liegen." in german.stderr
    assert state.requests_seen == 0 and sim_snapshot(state) == before


def test_an_api_address_without_scheme_is_a_settings_error_not_a_lost_connection(tmp_path: Path) -> None:
    state = sim_state()
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        bare = base_url.removeprefix("http://")  # "127.0.0.1:PORT/1.0"
        for name, url in (("bare", bare), ("nohost", "https:///1.0"), ("plain", "http://maileon.example/1.0")):
            paths = _prepared(tmp_path, name, base_url, lambda s, url=url: setattr(s.maileon, "base_url", url))
            stderr = _assert_refused(state, before, paths, "maileon.base_url", "sync", "--yes")
            assert "httpx" not in stderr.lower() and "ConnectError" not in stderr
            assert "https://" in stderr  # the expected form


def test_the_uwg_confirmation_must_be_a_date_not_in_the_future(tmp_path: Path) -> None:
    state = sim_state()
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        for value in ("nein", "false", "gestern", "2026-02-30", "20261001"):
            paths = _prepared(tmp_path, f"v{value}", base_url,
                              lambda s, v=value: setattr(s.legal, "k_notice_confirmed_on", v))
            for args in (("sync", "--yes"), ("sync", "--dry-run"), ("doctor",)):
                stderr = _assert_refused(state, before, paths, "legal.k_notice_confirmed_on", *args)
                assert "YYYY-MM-DD" in stderr
        paths = _prepared(tmp_path, "env", base_url, lambda s: None)
        stderr = _assert_refused(state, before, paths, "legal.k_notice_confirmed_on", "sync", "--yes",
                                 env={"KUFERTUI_LEGAL__K_NOTICE_CONFIRMED_ON": "false"})
        assert "KUFERTUI_LEGAL__K_NOTICE_CONFIRMED_ON" in stderr

        # a future date is well-formed but does not hold yet: K stays back, doctor warns
        paths = _prepared(tmp_path, "future", base_url,
                          lambda s: setattr(s.legal, "k_notice_confirmed_on", "2099-01-01"))
        doctor = run_cli(paths, "doctor", "--json", "--lang", "en")
        notice = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}["k-notice"]
        assert notice["ok"] is False and notice["severity"] == "warning" and "2099-01-01" in notice["text"]
        done = run_cli(paths, "sync", "--yes", "--json")
        assert done.returncode == 0, done.stderr
    sent = {email for email in state.contacts}
    assert sent == {c.email for c in CONTACTS if c.status.value == "J"}


def test_status_typos_are_usage_errors_naming_the_accepted_values(tmp_path: Path) -> None:
    state = sim_state()
    before = sim_snapshot(state)
    with running_simulator(state) as base_url:
        paths = _prepared(tmp_path, "status", base_url, lambda s: None)
        for raw in ("X", "J;K", "J,Q", ""):
            for args, accepted in ((("sync", "--dry-run", "--status", raw), "Accepted: J and K"),
                                   (("segment", "add", "Neu", "--status", raw), "Accepted: J, K, N and empty")):
                result = run_cli(paths, *args, "--lang", "en")
                assert result.returncode == 2, (args, result.stdout, result.stderr)
                assert accepted in result.stderr, result.stderr
        german = run_cli(paths, "sync", "--dry-run", "--status", "J;K")
        assert german.returncode == 2 and "Erlaubt sind J und K" in german.stderr
        fine = run_cli(paths, "sync", "--dry-run", "--status", "j", "--json")
        assert fine.returncode == 0, fine.stderr
        assert json.loads(fine.stdout)["selected"] == 8  # the J contacts
    assert sim_snapshot(state) == before
    with Workspace.open(paths.workspace) as ws:
        assert ws.segments.all() == []


def test_a_proxy_that_cannot_work_is_a_settings_error_not_a_traceback(tmp_path: Path) -> None:
    """Issue 24.6: `proxy.local:abc`, `socks5://…` and `ftp://…` ended in an uncaught httpx traceback."""
    cases = {"port-word": ("proxy.local:abc", 3128), "socks": ("socks5://proxy.local", 1080),
             "ftp": ("ftp://proxy.local", 21), "two-ports": ("proxy.local:8080", 3128), "range": ("proxy", 70000)}
    state = sim_state()
    with running_simulator(state) as base_url:
        before = sim_snapshot(state)
        for name, (host, port) in cases.items():
            def change(s: Settings, host: str = host, port: int = port) -> None:
                s.proxy.host, s.proxy.port = host, port

            paths = _prepared(tmp_path, name, base_url, change)
            for command in (("doctor",), ("sync", "--yes", "--json"), ("unsubscribers", "pull")):
                done = run_cli(paths, "--lang", "en", *command)
                text = done.stdout + done.stderr
                assert done.returncode == 2, (name, command, text)
                assert "Traceback" not in text and "proxy.host" in text, (name, command, text)
            assert _runs(paths) == []
        assert sim_snapshot(state) == before
