"""A write-back never replaces an earlier write-back file. The files were named by the second, so a second
write-back within the same second (the morning `unsubscribers pull`, then a sync right after it with one
more unsubscribe) replaced the first file, whose unsubscribes the ledger already counted as handed to
KUFER: they never reached KUFER. Found by the month-unattended simulation (issue 23.6)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_state

from kufertui.simulator import running_simulator


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))[1:]


def test_a_write_back_in_the_same_second_as_an_earlier_one_keeps_both_files(tmp_path: Path) -> None:
    state = sim_state()
    contacts = [person(i) for i in range(1, 4)]
    for c in contacts:
        state.seed_contact(c.email, external_id=c.person_no)
    assert state.recipient_unsubscribes(contacts[0].email)
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, contacts)
        folder = paths.workspace / "writeback"
        folder.mkdir(parents=True, exist_ok=True)
        # files of earlier write-backs, named as this second's (and the next seconds') would be
        now = datetime.now()
        earlier = {}
        for s in range(6):
            path = folder / f"kufer-abmelder-{(now + timedelta(seconds=s)):%Y%m%d-%H%M%S}.csv"
            path.write_text(f"E-Mail;TNR;Status;Datum;Quelle\r\nfrueher{s}@vhs-test.de;9{s};N;;Maileon\r\n",
                            encoding="utf-8-sig")
            earlier[path] = path.read_bytes()
        pulled = run_cli(paths, "unsubscribers", "pull", "--json")
        assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    for path, content in earlier.items():
        assert path.read_bytes() == content, f"{path.name} was replaced"
    new = [p for p in folder.glob("kufer-abmelder-*.csv") if p not in earlier]
    assert len(new) == 1
    assert [r[:3] for r in rows(new[0])] == [[contacts[0].email, contacts[0].person_no, "N"]]
