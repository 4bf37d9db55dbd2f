"""Issue 25 item 3 and issue 24.6 (Maileon part): the unsubscription report is read without trusting one header,
anonymised entries are never taken for addresses, and what a broken or hostile server sends in its headers or
bodies is bounded and shown escaped. Each test runs against the simulator over a socket in its harsh mode."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from peak_memory import PEAK_MB
from sync_helpers import (
    API_KEY,
    REPO,
    cli_paths,
    make_settings,
    person,
    run_cli,
    run_engine,
    seed_workspace,
    sim_state,
    statuses,
    sync_options,
)

from kufertui.maileon import ClientOptions, MaileonClient
from kufertui.maileon.errors import MaileonError, ProtocolError
from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import parse_faults
from kufertui.store import Workspace
from kufertui.sync import events as ev
from kufertui.sync.engine import SyncAborted
from kufertui.sync.unsubscribes import WATERMARK_KEY, pull_unsubscribes


def unsubscribed_in_maileon(state: SimState, n: int, *, start: int = 1) -> list[str]:
    """``n`` contacts that exist in Maileon and unsubscribed there (KUFER numbers as external ids)."""
    emails = []
    for i in range(start, start + n):
        p = person(i)
        state.seed_contact(p.email, external_id=p.person_no)
        assert state.recipient_unsubscribes(p.email)
        emails.append(p.email)
    return emails


def watermark(root: Path) -> int:
    with Workspace.open(root) as ws:
        return int(ws.get_meta(WATERMARK_KEY) or 0)


def pull(state: SimState, root: Path, faults: str | None = None) -> object:
    """One pull as the daily job runs it, over a socket; returns the PullResult or the error raised."""
    async def go() -> object:
        with running_simulator(state, faults) as url:
            options = ClientOptions(api_key=API_KEY, base_url=url, max_retries=1, backoff_base_s=0.01)
            async with MaileonClient(options) as client:
                with Workspace.open(root) as ws:
                    try:
                        return await asyncio.wait_for(pull_unsubscribes(client, ws), 60)
                    except MaileonError as exc:
                        return exc
    return asyncio.run(go())


# ------------------------------------------------------------------------------------------ paging

def test_report_without_x_pages_is_read_to_its_last_page(tmp_path: Path) -> None:
    """Harsh: no X-Pages. 2300 entries are three pages; before, page 1 alone was read and the watermark moved
    on, so 1300 unsubscribes were lost for good."""
    state = sim_state()
    state.report_x_pages = "omit"
    seed_workspace(tmp_path, [person(i) for i in range(1, 2301)])
    emails = unsubscribed_in_maileon(state, 2300)
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path)
    assert run.report.unsubscribes_seen == 2300 and run.report.unsubscribes_pulled == 2300
    now = statuses(tmp_path)
    assert all(now[e] == "N" for e in emails)
    assert watermark(tmp_path) > 0


def test_watermark_stays_when_a_later_page_fails(tmp_path: Path) -> None:
    """Page 2 keeps failing: nothing of the report is taken and the watermark does not move, so the next pull
    reads everything again (before, with no X-Pages, page 1 alone was taken and the watermark moved on)."""
    state = sim_state()
    state.report_x_pages = "omit"
    seed_workspace(tmp_path, [person(i) for i in range(1, 1201)])
    unsubscribed_in_maileon(state, 1200)
    result = pull(state, tmp_path, "503@GET /reports/unsubscriptions#2+")
    assert isinstance(result, MaileonError) and result.hint_id == "server-error"
    assert watermark(tmp_path) == 0
    with Workspace.open(tmp_path) as ws:
        assert ws.ledger.pending_writeback() == []
    assert set(statuses(tmp_path).values()) == {"J"}


def test_x_pages_that_disagrees_with_the_pages_is_a_protocol_error(tmp_path: Path) -> None:
    """X-Pages says 7, page 2 is short: a protocol error with its hint naming request and page, nothing taken
    (before, the empty pages 3–7 were read and the contradiction went unnoticed)."""
    state = sim_state()
    state.report_x_pages = "7"
    seed_workspace(tmp_path, [person(i) for i in range(1, 1501)])
    unsubscribed_in_maileon(state, 1500)
    result = pull(state, tmp_path)
    assert isinstance(result, ProtocolError) and result.hint_id == "maileon-protocol"
    assert "GET /reports/unsubscriptions" in str(result) and "page 2 of 7" in str(result)
    assert watermark(tmp_path) == 0 and set(statuses(tmp_path).values()) == {"J"}


def test_x_pages_of_a_hundred_million_stops_at_once(tmp_path: Path) -> None:
    """Issue 24.6: ``X-Pages: 100000000`` ends the pull with a protocol error after one request instead of paging
    on for ever (before, the pull requested empty pages until it was killed)."""
    state = sim_state()
    state.report_x_pages = "100000000"
    state.log_requests = True
    seed_workspace(tmp_path, [person(1)])
    unsubscribed_in_maileon(state, 1)
    result = pull(state, tmp_path)
    assert isinstance(result, ProtocolError) and "100000000" in str(result)
    assert sum(1 for r in state.request_log if r.path == "/reports/unsubscriptions") == 1
    assert watermark(tmp_path) == 0


HOSTILE = "9\x9b31m\x85EVIL\x9d"  # C1 controls (CSI, NEL, OSC) as a header can carry them (latin-1 bytes)


def _c1(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"]


def test_hostile_x_pages_is_escaped_in_json_journal_and_log(tmp_path: Path) -> None:
    """Issue 24.6: the server's X-Pages is echoed escaped and short in the error of `unsubscribers pull
    --json`, in the runs table and in the log (before, its control characters went through raw)."""
    state = sim_state()
    state.report_x_pages = HOSTILE
    with running_simulator(state) as url:
        paths = cli_paths(tmp_path, make_settings(url))
        seed_workspace(paths.workspace, [person(1)])
        done = run_cli(paths, "unsubscribers", "pull", "--json")
    assert done.returncode == 3, done.stderr
    out = json.loads(done.stdout)
    assert out["hint_id"] == "maileon-protocol"
    shown = json.dumps(out, ensure_ascii=False)
    assert "\\x9b" in shown and not _c1(shown)
    conn = sqlite3.connect(paths.workspace / "workspace.sqlite")
    try:
        (error,) = conn.execute("SELECT error FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    assert "X-Pages" in json.loads(error)["params"]["detail"] and not _c1(json.loads(error)["params"]["detail"])
    log = (paths.workspace / "logs" / "kufertui.log").read_text(encoding="utf-8")
    decoded = " ".join(json.dumps(json.loads(line.split(" ", 2)[2]), ensure_ascii=False)
                       for line in log.splitlines() if line.strip())
    assert "X-Pages" in decoded and not _c1(decoded)


# ------------------------------------------------------------------------------------------ anonymised

@pytest.mark.parametrize("shape", ["placeholder", "missing", "nil", "empty"])
def test_anonymised_entry_in_every_shape_is_matched_by_kufer_number(tmp_path: Path, shape: str) -> None:
    """Harsh: Maileon leaves anonymised entries out unless asked (the default is undocumented), and an entry's
    e-mail may be absent, nil, empty or a placeholder address. Sent with exclude_anonymous=false, every shape
    is matched by KUFER number; no placeholder lands on the ledger; what matches nothing is counted with its
    hint (before: entries left out, a placeholder taken for an address)."""
    state = sim_state()
    state.report_anonymous = shape
    leaver, stranger = person(3), "fremd@example.org"
    seed_workspace(tmp_path, [person(i) for i in range(1, 6)])
    state.seed_contact(leaver.email, external_id=leaver.person_no)
    state.seed_contact(stranger, external_id="99999")
    for email in (leaver.email, stranger):
        state.clock.advance(days=-20)
        assert state.recipient_unsubscribes(email)
        state.clock.advance(days=20)
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path)
    assert statuses(tmp_path)[leaver.email] == "N"
    with Workspace.open(tmp_path) as ws:
        assert not ws.ledger.contains("anonymous@anonymous.invalid")
        assert ws.ledger.contains(leaver.email)
    unmatched = [e for e in run.events if isinstance(e, ev.Message) and e.key == "engine.anonymised-unmatched"]
    assert len(unmatched) == 1 and unmatched[0].hint_id == "unsub-anonymised-unmatched"
    assert "99999" in unmatched[0].params["ids"]
    assert "unknown.report-anonymised" in run.messages()  # the undocumented shape is said once


# ------------------------------------------------------------------------------------------ bad input

def test_a_400_on_the_report_names_the_request_and_its_hint(tmp_path: Path) -> None:
    state = sim_state()
    seed_workspace(tmp_path, [person(1)])
    with running_simulator(state, parse_faults("400@GET /reports/unsubscriptions")) as url, \
            pytest.raises(SyncAborted) as caught:
        run_engine(make_settings(url), tmp_path)
    failed = caught.value.failed
    assert failed.hint_id == "bad-request" and failed.exit_code == 3
    assert "GET /reports/unsubscriptions" in failed.params["detail"]


# ------------------------------------------------------------------------------------------ body size

MEASURE = PEAK_MB + textwrap.dedent("""
    import asyncio, json, resource, sys
    from kufertui.maileon import ClientOptions, MaileonClient
    from kufertui.maileon.errors import MaileonError

    async def main() -> None:
        opts = ClientOptions(api_key=sys.argv[2], base_url=sys.argv[1], max_retries=0, read_timeout=60)
        async with MaileonClient(opts) as client:
            try:
                await client.unsubscriptions(0)
                outcome = "read"
            except MaileonError as exc:
                outcome = exc.hint_id
        print(json.dumps({"outcome": outcome, "peak_mb": peak_mb()}))

    asyncio.run(main())
""")


@pytest.mark.parametrize("length", ["none", "declared"])
def test_a_huge_answer_is_refused_in_bounded_memory(tmp_path: Path, length: str) -> None:
    """Issue 24.6: a 300 MB answer (streamed, with or without Content-Length) ends in a clear protocol error
    while the process stays small (before, httpx read it whole: RSS grew by the body's size)."""
    state = sim_state()
    spec = f"bloat@GET /reports/unsubscriptions:bytes=300000000,length={length}"
    script = tmp_path / "measure.py"
    script.write_text(MEASURE, encoding="utf-8")
    with running_simulator(state, parse_faults(spec)) as url:
        done = subprocess.run([sys.executable, str(script), url, API_KEY], capture_output=True, text=True,
                              timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "response-too-large"
    assert result["peak_mb"] < 150, result


# ------------------------------------------------------------------------------------------ dry run

def test_dry_run_reads_every_contact_page_without_x_pages(tmp_path: Path) -> None:
    """The dry run's comparison pages through Maileon's contacts by index: without X-Pages it goes on after a
    full page (before, page 1 alone was read and 500 existing contacts came out as "would create"), and an
    X-Pages of 100000000 is a protocol error, not an endless paging."""
    state = sim_state()
    state.report_x_pages = "omit"
    people = [person(i) for i in range(1, 1501)]
    seed_workspace(tmp_path, people)
    for p in people:
        state.seed_contact(p.email, external_id=p.person_no)
    with running_simulator(state) as url:
        settings = make_settings(url)
        run = run_engine(settings, tmp_path, sync_options(dry_run=True))
        with Workspace.open(tmp_path) as ws:
            outcomes = ws.journal.outcome_counts(run.report.run_id)
        assert "would-create" not in outcomes and sum(outcomes.values()) == 1500, outcomes
        state.report_x_pages = "100000000"
        with pytest.raises(SyncAborted) as caught:
            asyncio.run(asyncio.wait_for(asyncio.to_thread(run_engine, settings, tmp_path,
                                                           sync_options(dry_run=True)), 60))
    assert caught.value.failed.hint_id == "maileon-protocol"
