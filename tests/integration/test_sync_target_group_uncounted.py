"""Issue 13, item 5: a target group read back before Maileon has counted it (empty counts) or counted as
0 although the run marked contacts: the run still finishes, and the report says what is known."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sync_helpers import (
    API_KEY,
    cli_paths,
    make_settings,
    person,
    run_clis_at_once,
    run_engine,
    seed_workspace,
    sim_state,
    sync_options,
)

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.targetgroup import read_target_group


@pytest.mark.parametrize(("uncounted", "message", "hint"), [
    ("empty", "engine.target-group-uncounted", "target-group-uncounted"),
    ("zero", "engine.target-group-empty", "target-group-empty"),
])
def test_uncounted_target_group_never_aborts_the_finished_run(
        tmp_path: Path, uncounted: str, message: str, hint: str) -> None:
    state = sim_state()
    state.target_group_count_delay_s = 3600
    state.target_group_uncounted = uncounted
    root = tmp_path / "ws"
    seed_workspace(root, [person(i) for i in range(1, 11)])
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url), root, sync_options(target_group="Newsletter Dezember"))
        report = run.report
        assert report.new == 10
        group = report.target_group
        assert group is not None and group["target_group_id"] > 0
        assert group["message"] == message and group["hint"] == hint
        if uncounted == "empty":
            assert "count_active_contacts" not in group  # not counted: no figure at all, not a 0
        else:
            assert group["count_active_contacts"] == 0
        said = [e for e in run.events if isinstance(e, ev.Message) and e.key == message]
        assert len(said) == 1 and said[0].hint_id == hint and said[0].params["marked"] == 10
        assert not any(isinstance(e, ev.Failed) for e in run.events)
        with Workspace.open(root) as ws:
            assert ws.journal.run(report.run_id).state != "aborted"

        # the refresh, once Maileon has counted
        state.clock.advance(seconds=3601)

        async def refresh() -> dict:
            async with MaileonClient(ClientOptions(api_key=API_KEY, base_url=base_url)) as client:
                return await read_target_group(client, dict(group), lambda e: None, marked=10)

        again = asyncio.run(refresh())
    assert again["message"] == "engine.target-group-created" and again["hint"] is None
    assert again["count_active_contacts"] == 10 == again["count_contacts"]


def test_no_connection_hint_names_the_host_in_use(tmp_path: Path) -> None:
    """Item 5: base_url points at a local port nobody listens on; what the admin reads (the CLI's hint
    lines, the --json fix text, doctor) names that host, never api.maileon.com or a raw placeholder."""
    import json
    import socket

    with socket.socket() as probe:  # a free port, closed again: connecting is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    jobs = []
    for lang in ("de", "en"):  # the six runs at once, each in a workspace of its own (a sync holds its lock)
        for i, args in enumerate((("sync", "--yes"), ("sync", "--yes", "--json"), ("doctor",))):
            paths = cli_paths(tmp_path / f"{lang}{i}", make_settings(f"http://127.0.0.1:{port}/1.0"))
            seed_workspace(paths.workspace, [person(1)])
            jobs.append((paths, (*args, "--lang", lang)))
    results = run_clis_at_once(jobs)
    for plain, as_json, doctor in (results[:3], results[3:]):
        assert plain.returncode == as_json.returncode == 3, plain.stderr
        fix = json.loads(as_json.stdout)["fix"]
        assert "[network]" in plain.stderr
        for text in (plain.stderr, fix, doctor.stdout):
            assert f"127.0.0.1:{port}" in text, text
            assert "api.maileon.com" not in text and "{host}" not in text, text


def test_hint_texts_take_the_host_as_a_parameter() -> None:
    from kufertui import i18n
    from kufertui.core.hints import api_host_of
    from kufertui.messages.hints import hint

    assert api_host_of("https://api.maileon.com/1.0") == "api.maileon.com"
    assert api_host_of("https://maileon.example.org:8443/1.0") == "maileon.example.org:8443"
    assert api_host_of("not a url") == "api.maileon.com"
    assert "maileon.example.org" in hint("network").cause("en", "maileon.example.org")
    assert "api.maileon.com" in i18n.hint_cause("network")  # Maileon's own unless told otherwise
    assert "{host}" not in i18n.hint_fix("proxy-socket", "x.example")


def test_client_reads_empty_counts_as_not_counted() -> None:
    state = sim_state()
    state.target_group_count_delay_s = 60
    state.custom_fields["ImportAPI"] = "boolean"

    async def read() -> tuple[int | None, int | None]:
        with running_simulator(state) as base_url:
            async with MaileonClient(ClientOptions(api_key=API_KEY, base_url=base_url)) as client:
                _filter, group = await client.create_contact_filter("Nicht gezaehlt", "ImportAPI")
                assert group is not None
                info = await client.get_target_group(group)
                return info.count_contacts, info.count_active_contacts

    assert asyncio.run(read()) == (None, None)
