"""A month unattended (issue 23.6): a VHS running kufertui daily, day after day, in one workspace.

Each simulated day changes both sides and then runs what cron runs, as subprocesses against the simulator
over a real socket:
- KUFER (the test's model, ``month_model.Kufer``): new persons, objections (N), new addresses (also on the
  day of an objection or of an unsubscribe under the old address), persons who left (missing from the
  full export) and some who come back, a new consent ("" → J); the export is written like KUFER's
  (Windows-1252, `;`) and loaded with `kufertui import` (on some days twice);
- Maileon: recipients unsubscribe (before the sync, some under the address KUFER just changed, and some
  after it), and on some day Maileon's retention anonymises the entries of the days before (its clock);
- `kufertui unsubscribers pull` in the morning on some days (some killed before their write-back),
  `kufertui sync --yes` every day, under the
  day's faults (429/503 with and without Retry-After, 5xx, dropped connections, a request that lands after
  the client gave up) and on some days SIGKILLed at a seeded point (a held phase, or the n-th upload or
  objection call), followed by more changes on both sides and `kufertui sync --resume --yes`;
- the admin applies kufertui's write-back files to KUFER, except on the days they forget (then the next
  export still shows J, and the files are applied the day after).

After each day the test checks, from the simulator's state, its request log and the files only (never from
kufertui's report or journal): nobody who unsubscribed or objected is an active contact with a permission
under any address they had or their KUFER number, nor was sent again after their decision; nobody was sent
after they left KUFER; ImportAPI is true on exactly the day's uploadable selection; every unsubscribe
reached KUFER through the write-back files; the report line adds up; the API key is in no file or output.

The default run is short (one seed, four days: part of the normal suite). The long variant, at least eight
days for three seeds, runs only when asked:

    KUFERTUI_MONTH=long python -m pytest tests/reliability/test_month_unattended.py -s
    KUFERTUI_MONTH=long KUFERTUI_MONTH_DAYS=12 KUFERTUI_MONTH_SEEDS=5,6,7 python -m pytest ... -s
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from hold_points import hold_env
from month_model import (
    Day,
    Kufer,
    Person,
    active_against_will,
    import_api_problems,
    leaks,
    log_length,
    plan_days,
    report_figures,
    sends_since,
    sent_against_will,
    valid_address,
)
from rel_helpers import CANARY_KEY, IMPORT_FIELD, PYTHON, cli_env, make_settings, write_config

from kufertui.simulator import SimState, running_simulator

CORPUS = 240
READ_TIMEOUT = 1.5
SHORT = (4, [20261207])
LONG_SEEDS = [int(s) for s in os.environ.get("KUFERTUI_MONTH_SEEDS", "1,2,3").split(",") if s.strip()]
LONG_DAYS = max(8, int(os.environ.get("KUFERTUI_MONTH_DAYS", "8")))
HOLD_PHASES = ("writeback", "preflight", "moves", "report")


@dataclass
class Vhs:
    """One VHS: its KUFER, its workspace and settings, and its Maileon account (the simulator)."""

    root: Path
    state: SimState
    base_url: str
    kufer: Kufer
    config: Path
    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # problems reported already (each once)
    counts: Counter[str] = field(default_factory=Counter)  # what happened, for the summary

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    def control(self, route: str, **params: object) -> httpx.Response:
        """The simulator's control routes (`/_sim/...`): what a recipient, the clock or the faults do."""
        resp = httpx.post(self.base_url.removesuffix("/1.0") + f"/_sim/{route}", params=params, timeout=10)
        assert resp.status_code < 500, resp.text
        return resp

    def argv(self, *args: str) -> list[str]:
        return [PYTHON, "-m", "kufertui", "--config", str(self.config), "--workspace", str(self.workspace), *args]

    def cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True, timeout=timeout)
        self.outputs += [done.stdout, done.stderr]
        self.notes.append(f"{args[0]} {time.monotonic() - started:.1f}s")
        return done


# ------------------------------------------------------------------------------------------- the two sides

def kufer_changes(vhs: Vhs, day: Day, *, mid_kill: bool = False) -> list[Person]:
    """The day's changes in KUFER; returns the persons whose address changed."""
    k, rng = vhs.kufer, vhs.kufer.rng
    changed: list[Person] = []
    for _ in range(day.new if not mid_kill else rng.randint(1, 2)):
        k.new_person(invalid=rng.random() < 0.05)
    if mid_kill:  # between a kill and the resume: people object or leave, nobody moves
        for p in rng.sample([p for p in k.present() if p.status != "N"], 2):
            p.status = "N"
        for p in rng.sample(k.present(), rng.randint(1, 2)):
            p.present = False
            vhs.counts["left KUFER between kill and resume"] += 1
        return changed
    blank = [p for p in k.present() if p.status == ""]
    for p in rng.sample(blank, min(day.signups, len(blank))):
        p.status = "J"
    candidates = [p for p in k.present() if p.status != "N"]
    rng.shuffle(candidates)
    for p in candidates[:day.objections]:
        p.status = "N"
    # an objection and a new address in the same export, of a person Maileon holds under the old one (23.2)
    active = in_maileon(vhs)
    for p in [p for p in candidates[day.objections:] if p.number in active][:day.objection_with_change]:
        p.status = "N"
        k.change_email(p, day.number)
        changed.append(p)
        vhs.counts["objection+new address"] += 1
    movers = [p for p in k.present() if p not in changed]
    for p in rng.sample(movers, day.email_changes):
        k.change_email(p, day.number)
        changed.append(p)
    for p in rng.sample([p for p in k.present() if p not in changed], day.leavers):
        p.present = False
    gone = [p for p in k.persons.values() if not p.present]
    for p in rng.sample(gone, min(day.returners, len(gone))):  # back in KUFER (a filtered export before?)
        p.present = True
        vhs.counts["back in KUFER"] += 1
    vhs.counts["new addresses"] += len(changed)
    vhs.counts["objections"] += day.objections
    vhs.counts["left KUFER"] += day.leavers
    return changed


def in_maileon(vhs: Vhs) -> dict[str, str]:
    """KUFER number → address of the contacts Maileon may mail (a permission), for the model's persons."""
    with vhs.state.lock:
        return {c.external_id: c.email for c in vhs.state.contacts.values()
                if c.permission != 1 and c.email and c.external_id in vhs.kufer.persons}


def click(vhs: Vhs, p: Person, email: str, day: Day, *, late: bool = False) -> None:
    """The recipient unsubscribes in a mailing to ``email``: the person's decision from this moment on."""
    at = log_length(vhs.state)
    if vhs.control("unsubscribe", email=email).status_code != 200:
        return
    if not p.decided:
        p.decision, p.decided_at = "unsubscribed", at
    p.clicked_on, p.clicked_late = day.number, late
    vhs.counts["unsubscribes in Maileon" + (" after the sync" if late else "")] += 1


def maileon_clicks(vhs: Vhs, day: Day, count: int, *, late: bool = False) -> None:
    active = in_maileon(vhs)
    for number in vhs.kufer.rng.sample(sorted(active), min(count, len(active))):
        click(vhs, vhs.kufer.persons[number], active[number], day, late=late)


def old_address_clicks(vhs: Vhs, day: Day, changed: list[Person]) -> None:
    """Issue 23.1: a recipient unsubscribes under the address Maileon has, on the day KUFER has the new one."""
    active = in_maileon(vhs)
    stale = [p for p in changed if p.number in active and active[p.number].lower() != p.email.lower()
             and p.status != "N"]
    for p in stale[:day.old_address_clicks]:
        click(vhs, p, active[p.number], day)
        vhs.counts["unsubscribe under the old address"] += 1


def anonymise(vhs: Vhs, day_start_ms: int) -> None:
    """Maileon's retention passes for every entry from before today: the clock jumps ahead so that exactly
    those are past the window, the report anonymises them (e-mail gone, external id and contact id kept),
    and the clock comes back so that new entries fall into kufertui's pull window again."""
    state = vhs.state
    jump_s = state.retention_days * 86400 - (state.clock.now_ms() - day_start_ms) / 1000
    vhs.control("clock", advance_seconds=jump_s)
    before = sum(1 for u in state.unsubscriptions if u.email is None)
    after = sum(1 for u in state.visible_unsubscriptions() if u.email is None)
    vhs.control("clock", advance_seconds=-jump_s)
    vhs.notes.append(f"anonymised {after - before}")
    vhs.counts["report entries anonymised"] += after - before


# ------------------------------------------------------------------------------------------- the runs

def import_export(vhs: Vhs, tag: str) -> None:
    path = vhs.kufer.write_export(vhs.root / "kufer" / f"export-{tag}.csv")
    done = vhs.cli("import", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    vhs.kufer.imported(log_length(vhs.state))


def requests(state: SimState, method: str, path: str, start: int) -> int:
    """Requests since log position ``start`` to ``path`` (a prefix when it ends in '/')."""
    with state.lock:
        return sum(1 for r in state.request_log[start:] if r.method == method
                   and (r.path.startswith(path) if path.endswith("/") else r.path == path))


def killed(vhs: Vhs, args: tuple[str, ...], until: Callable[[], bool], **env: str
           ) -> subprocess.CompletedProcess[str] | None:
    """A kufertui command SIGKILLed once ``until()`` holds (None); the finished process when it ended first."""
    proc = subprocess.Popen(vhs.argv(*args), env=dict(vhs.env, **env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and not until() and time.monotonic() < deadline:
        time.sleep(0.003)
    stopped = proc.poll() is None
    if stopped:
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    vhs.outputs += [out, err]
    if stopped:
        time.sleep(0.3)  # whatever the dead process had on the wire has landed
        return None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def held(vhs: Vhs, phase: str) -> tuple[Callable[[], bool], dict[str, str]]:
    """The condition and environment that stop a command at a hold point (``tests/hold_hook/sitecustomize.py``)."""
    marker = vhs.root / f"hold-{phase}-{time.monotonic_ns()}"
    return marker.exists, hold_env(phase, marker)


def killed_sync(vhs: Vhs, day: Day, *, resume: bool = False) -> subprocess.CompletedProcess[str] | None:
    """`kufertui sync --yes` (``--resume``), SIGKILLed at the day's point (None); the finished process when the
    run ended before it got there."""
    start = log_length(vhs.state)
    if day.kill in HOLD_PHASES:
        until, env = held(vhs, day.kill)
    else:  # the n-th upload or objection call of the run
        method, path = ("POST", "/contacts") if day.kill == "upload" else ("DELETE", "/contacts/")
        until, env = (lambda: requests(vhs.state, method, path, start) >= day.kill_at), {}
    ended = killed(vhs, ("sync", "--resume", "--yes") if resume else ("sync", "--yes"), until, **env)
    if ended is None:
        drain(vhs, day)  # a request it sent that Maileon holds lands before the decisions that follow
    return ended


def finish(vhs: Vhs, first: subprocess.CompletedProcess[str] | None) -> str:
    """Resume until the run is done, as an admin would after a failure: the faults are off from the second
    attempt on. Returns the stdout of the run that finished."""
    done = first
    for attempt in range(4):
        if done is not None and done.returncode in (0, 1):
            return done.stdout
        if done is not None:
            assert done.returncode in (3, 4), done.stdout + done.stderr
            vhs.notes.append(f"exit {done.returncode}, resumed")
            vhs.counts["runs stopped by faults, resumed"] += 1
        if attempt:
            vhs.control("faults", spec="")
        done = vhs.cli("sync", "--resume", "--yes")
    raise AssertionError(f"the run did not finish: {done.stdout if done else ''}{done.stderr if done else ''}")


def expected_selection(k: Kufer) -> dict[str, str]:
    """The day's uploadable selection by the model's rules: in KUFER, J or K there, never unsubscribed or
    objected, an address Maileon takes. KUFER number → address."""
    return {p.number: p.email for p in k.present()
            if p.status in ("J", "K") and not p.decided and valid_address(p.email)}


def drain(vhs: Vhs, day: Day) -> None:
    """A request held past the client's timeout lands late: wait for it before judging the day."""
    if "timeout" in day.faults:
        time.sleep(READ_TIMEOUT + 1.2)


# ------------------------------------------------------------------------------------------- one day

def live_day(vhs: Vhs, day: Day) -> None:
    state, k = vhs.state, vhs.kufer
    vhs.notes = []
    day_start_ms = state.clock.now_ms()
    vhs.control("faults", spec="")
    changed = kufer_changes(vhs, day) if day.number > 1 else []
    maileon_clicks(vhs, day, day.clicks)
    if day.anonymise:
        anonymise(vhs, day_start_ms)
    vhs.control("faults", spec=day.fault_spec(READ_TIMEOUT))
    if day.pull_alone and day.pull_killed:
        until, env = held(vhs, "writeback")
        stopped = killed(vhs, ("unsubscribers", "pull"), until, **env) is None
        vhs.counts["pulls alone killed before the write-back"] += stopped
    elif day.pull_alone:
        vhs.counts["pulls alone"] += 1
        pulled = vhs.cli("unsubscribers", "pull")
        assert pulled.returncode in (0, 3), pulled.stdout + pulled.stderr  # a failed pull: the sync pulls again
    if day.pull_alone:
        maileon_clicks(vhs, day, 1)  # and one more during the day
    # after the morning pull: the next pull is the sync's, after the import of the new address (issue 23.1)
    old_address_clicks(vhs, day, changed)
    import_export(vhs, f"{day.number}")
    if day.reimport:
        import_export(vhs, f"{day.number}b")
    expected = expected_selection(k)
    tolerated: set[str] = set()
    ended = killed_sync(vhs, day) if day.kill else None
    if ended is not None and ended.returncode in (3, 4):  # a fault stopped it first: the kill hits the resume
        vhs.notes.append(f"exit {ended.returncode}, resumed")
        vhs.control("faults", spec="")
        ended = killed_sync(vhs, day, resume=True)
    if day.kill and ended is None:
        vhs.notes.append(f"killed at {day.kill}" + (f" #{day.kill_at}" if day.kill in ("upload", "push") else ""))
        vhs.counts[f"killed at {day.kill}"] += 1
        present = {p.number for p in k.present()}
        kufer_changes(vhs, day, mid_kill=True)
        maileon_clicks(vhs, day, 1)
        import_export(vhs, f"{day.number}r")
        tolerated = present - {p.number for p in k.present()}  # left after their batch may have been confirmed
        stdout = finish(vhs, None)
    elif day.kill:
        vhs.notes.append(f"kill at {day.kill} missed (the run ended first)")
        stdout = finish(vhs, ended)
    else:
        stdout = finish(vhs, vhs.cli("sync", "--yes"))
    drain(vhs, day)
    vhs.control("faults", spec="")
    expected = {n: e for n, e in expected.items() if not k.persons[n].decided and k.persons[n].present}
    check_day(vhs, day, stdout, expected, tolerated)
    maileon_clicks(vhs, day, day.late_clicks, late=True)
    if not day.forgot_writeback:
        vhs.counts["write-back files applied"] += k.apply_writeback_files(vhs.workspace / "writeback")
        check_writeback(vhs, day)
    else:
        vhs.counts["write-backs forgotten for a day"] += 1


def check_day(vhs: Vhs, day: Day, stdout: str, expected: dict[str, str], tolerated: set[str]) -> None:
    k, state = vhs.kufer, vhs.state
    sends = sends_since(state, 0)
    problems = sent_against_will(k, sends)
    problems += active_against_will(k, state)
    problems += import_api_problems(state, expected, tolerated)
    selected, parts = report_figures(stdout)
    if sum(parts) != selected:
        problems.append(f"report line does not add up: {selected} selected, parts {parts}")
    if not day.kill:  # without changes in the middle of the run: exactly the selection went in
        updated, new = parts[0], parts[1]
        if updated + new != len(expected):
            problems.append(f"report: {updated} updated + {new} new, but {len(expected)} uploadable")
    problems += [f"secret in {where}" for where in leaks(CANARY_KEY, [vhs.root], vhs.outputs)]
    vhs.outputs = []
    vhs.problems += [f"day {day.number}: {p}" for p in problems if p not in vhs.seen]
    vhs.seen.update(problems)
    print(f"day {day.number}: selected {selected} parts {parts}; {', '.join(vhs.notes)}; faults {day.faults}")


def check_writeback(vhs: Vhs, day: Day) -> None:
    """Every unsubscribe made before today's sync has reached KUFER (N there), by address or by number."""
    lost = [p for p in vhs.kufer.persons.values()
            if p.decision == "unsubscribed" and p.present and p.status != "N"
            and p.clicked_on is not None and not (p.clicked_on == day.number and p.clicked_late)]
    vhs.problems += [f"day {day.number}: unsubscribe of {p.number} ({p.addresses}) did not reach KUFER"
                     for p in lost]


# ------------------------------------------------------------------------------------------- the month

def seed_account(state: SimState, k: Kufer) -> None:
    """Maileon before kufertui: an older upload still marked ImportAPI, and contacts the vendor module sent
    for some KUFER persons (with their number), among them persons who objected since."""
    state.custom_fields[IMPORT_FIELD] = "boolean"
    state.seed_contact("old.upload@example.org", external_id="99", custom={IMPORT_FIELD: "true"})
    people = sorted(k.persons.values(), key=lambda p: p.number)
    earlier = [p for p in people if p.status in ("J", "K") and valid_address(p.email)][:10]
    earlier += [p for p in people if p.status == "N"][:3]
    for p in earlier:
        state.seed_contact(p.email, external_id=p.number, permission=4)


def simulate(root: Path, seed: int, days: int, *, stop_after: int | None = None) -> Vhs:
    kufer = Kufer(random.Random(seed))
    for _ in range(CORPUS):
        kufer.new_person(invalid=kufer.rng.random() < 0.03)
    state = SimState.with_key(CANARY_KEY, strict_media=True)
    state.log_requests = True
    seed_account(state, kufer)
    plan = plan_days(seed, days)
    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=25, in_flight=2, read_timeout=READ_TIMEOUT)
        config = write_config(root / "config" / "config.toml", settings)
        vhs = Vhs(root, state, url, kufer, config, cli_env(root / "home"))
        for day in plan[:stop_after]:
            live_day(vhs, day)
    return vhs


def run_month(tmp_path: Path, seed: int, days: int) -> None:
    started = time.monotonic()
    vhs = simulate(tmp_path, seed, days)
    decided = sum(1 for p in vhs.kufer.persons.values() if p.decided)
    left = sum(1 for p in vhs.kufer.persons.values() if not p.present)
    with vhs.state.lock:
        vhs.counts["moves (PUT by the old address)"] = sum(1 for r in vhs.state.request_log
                                                         if r.method == "PUT" and r.path.startswith("/contacts/email/"))
    for decision, rows in vhs.kufer.rows_by_decision.items():  # "objected": kufertui's own push, read back
        vhs.counts[f"write-back rows of persons who {decision}"] = rows
    print(f"seed {seed}, {days} days: {len(vhs.kufer.persons)} persons, {decided} decided, {left} left, "
          f"{time.monotonic() - started:.1f} s; " + ", ".join(f"{k} {v}" for k, v in sorted(vhs.counts.items())))
    unmatched = [f"write-back row KUFER could not match: {name}: {row}" for name, row in vhs.kufer.unmatched_rows]
    assert not vhs.problems, "\n".join(vhs.problems[:40] + unmatched[:10])


@pytest.mark.windows_incompatible(reason="SIGKILL and the hold points of the kill days")
@pytest.mark.parametrize("seed", SHORT[1])
def test_month_unattended(tmp_path: Path, seed: int) -> None:
    run_month(tmp_path, seed, SHORT[0])


@pytest.mark.slow
@pytest.mark.windows_incompatible(reason="SIGKILL and the hold points of the kill days")
@pytest.mark.skipif(os.environ.get("KUFERTUI_MONTH") != "long", reason="the long month: KUFERTUI_MONTH=long")
@pytest.mark.parametrize("seed", LONG_SEEDS)
def test_month_unattended_long(tmp_path: Path, seed: int) -> None:
    run_month(tmp_path, seed, LONG_DAYS)
