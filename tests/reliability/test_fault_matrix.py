"""Fault matrix: every fault kind the simulator injects × every step of the round trip.

Each cell has one expected outcome (table EXPECTED): the run completes with the same final simulator
state as a clean run, or it stops with exit 3, the given hint and a resumable checkpoint, and after the
fault is removed `--resume` completes to that same state; the journal accounts for every selected
contact once. The "once" column runs with the retry policy as shipped (maileon/options.py, not replaced):
a fault that happens once is ridden out with the attempts, budget and backoff a user's run has. The
"lasting" column uses a quick backoff, so that giving up takes seconds, not the shipped two minutes.
`python scripts/fault_matrix.py` prints the observed matrix (a report, not a test).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import (
    CANARY_KEY,
    RunOutcome,
    journal_accounting,
    make_settings,
    make_workspace,
    run_engine,
    seed_sim,
    selected_keys,
    snapshot,
)

from kufertui.simulator import running_simulator
from kufertui.simulator.faults import parse_faults
from kufertui.simulator.state import SimState

N_CONTACTS, BATCH = 60, 20  # 3 upload batches
READ_TIMEOUT = 0.3

STEPS = {
    # step: (match, when for a one-off fault, when for a lasting fault)
    "pull": ("GET /reports/unsubscriptions", "1", "1+"),
    "fields": ("/contacts/fields/custom*", "2", "2+"),  # #1 is the pre-flight listing
    "upload 2/3": ("POST /contacts", "2", "2+"),
}
KINDS = {
    "429": "429@{m}#{w}:retry-after=0.05",
    "500": "500@{m}#{w}",
    "502": "502@{m}#{w}",
    "503": "503@{m}#{w}",
    "timeout": "delay@{m}#{w}:seconds=" + str(READ_TIMEOUT * 2),
    "drop": "drop@{m}#{w}",
    "malformed": "malformed@{m}#{w}",
    "revoke": "revoke@{m}#{w}",
}
MODES = ("once", "lasting")

# The expected outcome of every cell: DONE = the first run completes to the clean state; a hint id = the
# first run stops with exit 3 and that hint, resumable, and `--resume` (fault removed) completes to the
# clean state. Columns: the steps above, in order. Change a cell only with a reason in the commit.
DONE = "done"
EXPECTED: dict[tuple[str, str], tuple[str, str, str]] = {
    #                        pull                  fields      upload 2/3
    ("429", "once"):        (DONE,                 DONE,       DONE),                  # retried after Retry-After
    ("429", "lasting"):     ("rate-limited",       "rate-limited", "rate-limited"),
    ("500", "once"):        ("server-error",       "server-error", "server-error"),    # 500 is not retried
    ("500", "lasting"):     ("server-error",       "server-error", "server-error"),
    ("502", "once"):        (DONE,                 DONE,       DONE),
    ("502", "lasting"):     ("server-error",       "server-error", "server-error"),
    ("503", "once"):        (DONE,                 DONE,       DONE),
    ("503", "lasting"):     ("server-error",       "server-error", "server-error"),
    ("timeout", "once"):    (DONE,                 DONE,       DONE),
    # the ImportAPI clear is not sent again when its answer is lost (it may have landed): it is read back
    # until it shows (sync/marks.py), so a clear that answers late or not at all but lands still completes
    ("timeout", "lasting"): ("timeout",            DONE,       "timeout"),
    ("drop", "once"):       (DONE,                 DONE,       DONE),
    ("drop", "lasting"):    ("network",            DONE,       "network"),
    # the field step's second call clears ImportAPI: its answer has no body to be malformed
    ("malformed", "once"):    ("malformed-response", DONE,     "malformed-response"),
    ("malformed", "lasting"): ("malformed-response", DONE,     "malformed-response"),
    ("revoke", "once"):     ("key-invalid",        "key-invalid", "key-invalid"),      # stays revoked until re-entered
}

# A DELETE of ImportAPI's values that times out may still be carried out later: here it lands 2 s after it
# was sent, well after a run would have uploaded. The run reads the clear back until it shows (and verifies the
# marks after the upload), so the final state is checked once the simulator has finished every request.
# Each cell lists the kinds whose expected outcome the engine missed before; none today.
LATE_CLEAR_S = 2.0
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}

_CLEAN: dict[str, Any] = {}


def clean_state(root: Path) -> dict[str, Any]:
    if "snap" not in _CLEAN:
        ws_root = make_workspace(root, N_CONTACTS)
        state = seed_sim()
        with running_simulator(state) as url:
            out = run_engine(make_settings(url, batch_size=BATCH, read_timeout=READ_TIMEOUT), ws_root)
        assert out.exit_code == 0, out.failed
        _CLEAN["snap"] = snapshot(state)
    return _CLEAN["snap"]  # type: ignore[no-any-return]


def cases() -> list[Any]:
    return [pytest.param(kind, step, mode, id=f"{kind}-{step.replace(' ', '')}-{mode}",
                         marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(kind, step, mode)])]
                         if (kind, step, mode) in KNOWN_BUGS else [])
            for (kind, mode) in EXPECTED for step in STEPS]


def expected(kind: str, step: str, mode: str) -> str:
    return EXPECTED[(kind, mode)][list(STEPS).index(step)]


@dataclass
class Cell:
    first: RunOutcome
    second: RunOutcome | None
    state: SimState
    ws_root: Path

    def outcome(self) -> str:
        """DONE, or the hint id of the stop (what the EXPECTED table holds)."""
        if self.first.exit_code == 0:
            return DONE
        return self.first.failed.hint_id if self.first.failed else f"exit {self.first.exit_code}"


def run_cell(kind: str, step: str, mode: str, root: Path) -> Cell:
    """One run with the fault; when it stops, the fault is removed and the run resumed."""
    match, once, lasting = STEPS[step]
    spec = KINDS[kind].format(m=match, w=once if mode == "once" else lasting)
    if (kind, step) == ("timeout", "fields"):
        # the held clear lands well after the run (not somewhere in its upload): the same outcome every time
        spec = spec.replace(f"seconds={READ_TIMEOUT * 2}", f"seconds={LATE_CLEAR_S}")
    ws_root = make_workspace(root, N_CONTACTS)
    state = seed_sim()
    faults = parse_faults(spec)
    with running_simulator(state, faults) as url:
        settings = make_settings(url, batch_size=BATCH, read_timeout=READ_TIMEOUT)
        shipped = mode == "once"
        first = run_engine(settings, ws_root, shipped=shipped)
        if first.exit_code == 0:
            return Cell(first, None, state, ws_root)
        # remove the fault (a revoked key: the admin enters a valid key again), then --resume
        faults.rules, faults.delay_s = [], 0.0
        state.accounts[CANARY_KEY].revoked = False
        return Cell(first, run_engine(settings, ws_root, resume=True, shipped=shipped), state, ws_root)


def check_complete(state: Any, ws_root: Path, clean: dict[str, Any]) -> None:
    assert snapshot(state) == clean, "final simulator state differs from a clean run"
    acc = journal_accounting(ws_root)
    assert acc["state"] == "done"
    assert len(acc["keys"]) == len(set(acc["keys"])), "a contact is journalled twice"
    assert set(acc["keys"]) == selected_keys(ws_root), "journal does not account for every contact"
    assert "planned" not in acc["outcomes"].values(), "a contact is still only 'planned'"
    assert set(acc["batches"]) == {"done"}


@pytest.mark.parametrize(("kind", "step", "mode"), cases())
def test_fault_cell(kind: str, step: str, mode: str, tmp_path: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> None:
    clean = clean_state(tmp_path_factory.mktemp("clean"))
    want = expected(kind, step, mode)
    cell = run_cell(kind, step, mode, tmp_path)
    first = cell.first
    assert cell.outcome() == want, f"first run: exit {first.exit_code}, {first.failed}"
    if want == DONE:
        assert cell.second is None
        check_complete(cell.state, cell.ws_root, clean)
        return
    failed = first.failed
    assert first.exit_code == (2 if kind == "revoke" else 3)  # a revoked key is a configuration error
    assert failed is not None and failed.resumable, "stopped without a resumable checkpoint"
    assert CANARY_KEY not in str(failed.params), "the key leaked into the failure text"
    assert cell.second is not None and cell.second.exit_code == 0, cell.second and cell.second.failed
    check_complete(cell.state, cell.ws_root, clean)
