"""Issue 25 item 6: `kufertui doctor --probe` checks every row of docs/maileon-assumptions.md on the account, over a
socket against the simulator here. In the simulator's default every row it plays holds; each harsh reading (a
mode) makes exactly its rows differ; nothing the probe made stays behind (also when it is killed half way and
cleaned up later), no permission but 1 is ever sent, and it does not start without a domain and a yes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import API_KEY, cli_argv, cli_env, cli_paths, make_settings, run_cli, sim_snapshot

from kufertui.core.probe_ids import is_probe_id
from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import BENCH_ONLY, HARSH, MODES, mode_values, parse_mode
from kufertui.sync.probe import STEPS, ProbeOutcome, Verdict, clean_leftovers, new_names, run_probe

DOMAIN = "probe.vhs-musterstadt.de"
# rows the simulator cannot play on purpose: overload, the filter cap, a permission that mails, the answer size
NEVER_CHECKED = {"3", "R8", "M2", "R10"}
# one value off the default for every mode, and the rows it changes (a test below holds this list to MODES)
MODE_ROWS: dict[str, tuple[str, set[str]]] = {
    "x-pages": ("omit", {"R1"}),
    "anonymous": ("nil", {"R3"}),
    "anonymous-flag": ("off", {"R3"}),
    "exclude-anonymous-default": ("off", {"R2"}),
    "clear-delay": ("1.5", {"R4"}),
    "stale-counts": ("off", {"R9"}),
    "v2-orphan": ("off", {"R7"}),
    "filter-limit": ("0", set()),  # the probe's own filter refused: R8 seen, the filter rows unchecked
    "filter-limit-status": ("409", set()),  # only at the cap, which the probe never fills
    "marker-before-code4": ("off", {"M5"}),
    "strict-media": ("on", {"T1"}),
    "delete-absent-status": ("404", {"1"}),
    "update-sets-external-id": ("off", {"M3"}),
    "update-permission-overwrites": ("off", set()),  # M2 needs a permission that mails: never checked
}


def account() -> SimState:
    """A simulated account with a life of its own: a contact of the VHS, and an unsubscribe so old that
    Maileon has anonymised it (real accounts have those; R2 and R3 need one)."""
    state = SimState.with_key(API_KEY)
    state.log_requests = True
    state.seed_contact("kursleitung@vhs-musterstadt.de", external_id="100978", permission=4)
    gone = state.seed_contact("ehemalig@vhs-musterstadt.de", external_id="100979", permission=4)
    state.unsubscribe_contact(gone)
    state.clock.advance(days=15)
    return state


def lasting(state: SimState) -> dict[str, Any]:
    """Everything of the account the probe must leave as it found it (the report keeps entries for good)."""
    snapshot = sim_snapshot(state)
    snapshot.pop("unsubscriptions")
    with state.lock:
        snapshot["pending_clears"] = len(state.pending_clears)
        snapshot["anonymised_ids"] = sorted(state.anonymised)
    return snapshot


def probe(state: SimState, tmp_path: Path, faults: str | None = None) -> ProbeOutcome:
    with running_simulator(state, faults) as base_url:
        return asyncio.run(run_probe(make_settings(base_url), tmp_path / "ws", new_names(DOMAIN), settle_s=10))


def verdicts(outcome: ProbeOutcome, verdict: Verdict) -> set[str]:
    return {r.row for r in outcome.rows if r.verdict is verdict}


def test_in_the_default_mode_every_row_the_simulator_plays_holds_and_nothing_is_left(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    entries_before = len(state.unsubscriptions)
    outcome = probe(state, tmp_path)
    assert [r.row for r in outcome.rows] == [s.row for s in STEPS]
    assert verdicts(outcome, Verdict.DIFFERS) == set(), [r.to_json() for r in outcome.rows]
    assert verdicts(outcome, Verdict.UNCHECKED) == NEVER_CHECKED
    assert outcome.exit_code == 0 and not outcome.leftovers and outcome.error is None
    # nothing of the probe is left: contacts, fields, filters, target groups, markers, queued clears
    assert lasting(state) == before
    # ... but its unsubscribes in the report, which Maileon keeps: every one under a reserved id
    new_entries = state.unsubscriptions[entries_before:]
    assert len(new_entries) == outcome.report_entries == 3 and all(is_probe_id(u.external_id) for u in new_entries)
    # no permission but 1 (none) ever left kufertui, in a parameter or a body
    with state.lock:
        sent = list(state.request_log)
    permissions = {q.split("=", 1)[1] for r in sent for q in r.query.split("&") if q.startswith("permission=")}
    assert permissions == {"1"}
    assert not any(b"<permission>" in r.body for r in sent)
    assert not (tmp_path / "ws" / "probe").exists() or not list((tmp_path / "ws" / "probe").iterdir())


def test_every_mode_of_the_simulator_is_probed() -> None:
    assert set(MODE_ROWS) == set(MODES) - BENCH_ONLY and not BENCH_ONLY & set(HARSH)


@pytest.mark.parametrize("mode", sorted(MODE_ROWS))
def test_each_harsh_reading_makes_exactly_its_rows_differ(mode: str, tmp_path: Path) -> None:
    value, rows = MODE_ROWS[mode]
    state = account()
    before = lasting(state)
    outcome = probe(state, tmp_path, f"{mode}={value}")
    assert verdicts(outcome, Verdict.DIFFERS) == rows, [r.to_json() for r in outcome.rows if r.row in rows]
    assert outcome.exit_code == (1 if rows else 0)
    assert not outcome.leftovers and lasting(state) == before  # cleaned up in every reading
    if mode == "filter-limit":  # the account at its cap: the refusal is seen and recognised, filter rows unchecked
        by_row = {r.row: r for r in outcome.rows}
        assert by_row["R8"].verdict is Verdict.HOLDS and by_row["R8"].facts["status"] == 400
        assert {"R6", "R7", "R9"} <= verdicts(outcome, Verdict.UNCHECKED)


def test_the_harsh_mode_differs_where_its_readings_are_not_the_default(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    outcome = probe(state, tmp_path, "harsh")
    default = mode_values(SimState())
    changed = {name for name, value in HARSH.items() if parse_mode(name, value)[1] != default[name]}
    assert changed == {"x-pages", "anonymous", "clear-delay", "marker-before-code4", "strict-media",
                       "filter-limit-status"}
    assert verdicts(outcome, Verdict.DIFFERS) == set().union(*(MODE_ROWS[name][1] for name in changed))
    seen = {r.row: r.text() for r in outcome.rows}
    assert "415" in seen["T1"] and "placeholder" in seen["R3"]
    assert outcome.exit_code == 1 and not outcome.leftovers and lasting(state) == before


def test_the_cli_asks_prints_the_table_and_writes_it_for_support(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        de = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes")
        en = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", "--json", "--lang", "en")
    assert de.returncode == 0, de.stdout + de.stderr
    assert "✔ R1   trifft zu" in de.stdout and "– M2   nicht prüfbar" in de.stdout
    assert "20 treffen zu, 0 weichen ab, 4 nicht prüfbar." in de.stdout
    written = Path(de.stdout.strip().splitlines()[-1].split(": ", 1)[1])
    assert written.parent == paths.workspace / "exports" and written.name.startswith("probe-")
    assert written.stat().st_mode & 0o777 == 0o600
    assert written.read_text(encoding="utf-8").splitlines() == de.stdout.strip().splitlines()[:-1]
    report = json.loads(en.stdout)
    assert en.returncode == 0 and report["exit_code"] == 0 and report["cleanup"]["complete"]
    assert [(r["row"], r["step"]) for r in report["rows"]] == [(s.row, s.id) for s in STEPS]
    assert {r["verdict"] for r in report["rows"]} == {"holds", "could-not-check"}
    assert report["rows"][0]["text"].startswith("3 own entries")  # English with --lang en; keys neutral
    for text in (de.stdout, de.stderr, en.stdout, en.stderr, written.read_text(encoding="utf-8")):
        assert API_KEY not in text
    assert lasting(state) == before


def test_a_difference_is_exit_1_and_named_in_the_file(tmp_path: Path) -> None:
    state = account()
    with running_simulator(state, "marker-before-code4=off") as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, lang="en"))
        res = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", "--lang", "en")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "⚠ M5   differs" in res.stdout and "Code 4 before the marker" in res.stdout
    assert "please send the file below to support" in res.stdout


@pytest.mark.parametrize(("args", "key"), [
    ((), "probe.domain-missing"),
    (("--probe-domain", ""), "probe.domain-missing"),
    (("--probe-domain", "example.org"), "probe.domain-reserved"),
    (("--probe-domain", "test.invalid"), "probe.domain-reserved"),
    (("--probe-domain", "not a domain"), "probe.domain-invalid"),
    (("--probe-domain", DOMAIN), "probe.needs-yes"),  # no terminal, no --yes
])
def test_it_does_not_start_without_a_domain_of_ones_own_and_a_yes(args: tuple[str, ...], key: str,
                                                                   tmp_path: Path) -> None:
    state = account()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        res = run_cli(paths, "doctor", "--probe", *args, "--json")
    assert res.returncode == 2, res.stdout + res.stderr
    assert json.loads(res.stdout)["error"] == key
    assert state.request_log == []  # refused before a single request


def test_probe_options_need_probe(tmp_path: Path) -> None:
    state = account()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        res = run_cli(paths, "doctor", "--cleanup", "--json")
        yes = run_cli(paths, "doctor", "--probe-domain", DOMAIN, "--yes", "--json")
    assert res.returncode == 2 and json.loads(res.stdout)["error"] == "probe.cleanup-needs-probe"
    assert yes.returncode == 2 and state.request_log == []


def test_an_unreachable_maileon_is_exit_3_and_leaves_no_record(tmp_path: Path) -> None:
    with running_simulator(account()) as base_url:
        port = base_url.split(":")[2].split("/")[0]
    settings = make_settings(f"http://127.0.0.1:{port}/1.0")  # the simulator is gone: nothing listens there
    paths = cli_paths(tmp_path, settings)
    res = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", "--json")
    assert res.returncode == 3, res.stdout + res.stderr
    assert json.loads(res.stdout)["error"]["hint_id"] == "network"
    assert not (paths.workspace / "probe").exists() or not list((paths.workspace / "probe").iterdir())


def test_a_refused_key_is_exit_2(tmp_path: Path) -> None:
    with running_simulator(account()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        res = run_cli(paths, "doctor", "--probe", "--probe-domain", DOMAIN, "--yes", api_key="not-the-key-00000000")
    assert res.returncode == 2, res.stdout + res.stderr


@pytest.mark.parametrize(("answer", "runs"), [("n", False), ("j", True)])
def test_at_a_terminal_it_shows_what_it_makes_and_asks(answer: str, runs: bool, tmp_path: Path) -> None:
    state = account()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        primary, secondary = os.openpty()  # a terminal on stdin: the probe asks there
        try:
            proc = subprocess.Popen(cli_argv(paths, "doctor", "--probe", "--probe-domain", DOMAIN), stdin=secondary,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(paths), text=True)
            os.write(primary, f"{answer}\n".encode())
            out, err = proc.communicate(timeout=60)
        finally:
            os.close(primary)
            os.close(secondary)
    assert proc.returncode == 0, out + err
    assert "Berechtigung 1 (keine): niemand bekommt Post" in out and f"@{DOMAIN}" in out
    assert "Probe jetzt starten? [j/N]" in out
    if runs:
        assert "20 treffen zu" in out and any(r.method == "POST" for r in state.request_log)
    else:
        assert "Nichts getan." in out and state.request_log == []


def test_a_step_maileon_refuses_is_unchecked_and_the_rest_goes_on(tmp_path: Path) -> None:
    state = account()
    before = lasting(state)
    outcome = probe(state, tmp_path, "400@POST /targetgroups")
    by_row = {r.row: r for r in outcome.rows}
    assert by_row["R6"].verdict is Verdict.UNCHECKED and by_row["R6"].case == "first-refused"
    assert by_row["R7"].verdict is Verdict.UNCHECKED and by_row["R7"].case == "needs-filter"
    assert by_row["R4"].verdict is Verdict.HOLDS and by_row["1"].verdict is Verdict.HOLDS  # later steps ran
    assert outcome.exit_code == 0 and lasting(state) == before


def test_an_error_that_stops_the_probe_and_its_cleanup_leaves_a_record_for_later(tmp_path: Path) -> None:
    """The key is revoked half way: the probe stops (exit 2), cannot delete what it made, and says so; the record
    in the workspace lets --cleanup remove it all once the key works again."""
    state = account()
    before = lasting(state)
    with running_simulator(state, "revoke@POST /contactfilters/v2#1") as base_url:
        settings, root = make_settings(base_url), tmp_path / "ws"
        outcome = asyncio.run(run_probe(settings, root, new_names(DOMAIN), settle_s=10))
        assert outcome.error is not None and outcome.error.hint_id == "key-invalid" and outcome.exit_code == 2
        assert outcome.leftovers and len(list((root / "probe").glob("pending-*.json"))) == 1
        assert {r.case for r in outcome.rows if r.row in ("R4", "1")} == {"not-reached"}
        state.accounts[API_KEY].revoked = False  # the admin fixed the key
        done = asyncio.run(clean_leftovers(settings, root))
    assert (done.removed, done.left, done.exit_code) == (1, [], 0)
    assert lasting(state) == before
