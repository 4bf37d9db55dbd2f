"""The vendor manual's own report, reproduced end to end over a socket:
1297 selected · 621 updated · 13 new · 657 filtered as invalid · 6 unsubscribes taken over."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import import_api_true, make_settings, person, run_engine, seed_workspace, sim_state, sync_options

from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.core.report import report_line
from kufertui.simulator import running_simulator
from kufertui.store import Workspace

EXISTING, NEW, BAD_GENDER, EXT_ID_TAKEN, UNSUBSCRIBED = 621, 13, 650, 7, 6


def test_manual_example_report(tmp_path: Path) -> None:
    state = sim_state()
    contacts = []
    i = 0
    for _ in range(EXISTING + UNSUBSCRIBED):  # known to Maileon from an earlier transfer
        i += 1
        c = person(i)
        contacts.append(c)
        state.seed_contact(c.email, external_id=c.person_no, standard={"LASTNAME": "alt"})
    for _ in range(NEW):
        i += 1
        contacts.append(person(i))
    for _ in range(BAD_GENDER):  # Geschlecht "w" sent without value map: Maileon code 19
        i += 1
        contacts.append(person(i, gender_raw="w"))
    for _ in range(EXT_ID_TAKEN):  # person number already used by another Maileon contact: code 4
        i += 1
        c = person(i)
        contacts.append(c)
        state.seed_contact(f"other{i}@elsewhere.de", external_id=c.person_no)
    for c in contacts[EXISTING:EXISTING + UNSUBSCRIBED]:  # unsubscribed in Maileon before this run
        assert state.recipient_unsubscribes(c.email)
    assert len(contacts) == 1297
    root = tmp_path / "ws"
    seed_workspace(root, contacts)

    mappings = [*default_mappings(), FieldMapping("gender_raw", "GENDER", False, {})]
    with running_simulator(state) as base_url:
        run = run_engine(make_settings(base_url, batch_size=50), root, sync_options(mappings))
    r = run.report

    assert report_line(r, "de") == ("1297 ausgewählt · 621 aktualisiert · 13 neu · 657 ungültig ausgefiltert"
                                    " · 6 Abmelder übernommen")
    assert report_line(r, "en") == ("1297 selected · 621 updated · 13 new · 657 filtered as invalid"
                                    " · 6 unsubscribes taken over")
    assert r.reconciled and not r.missing
    assert r.rejects_by_code == {"maileon:4": EXT_ID_TAKEN, "preflight:19": BAD_GENDER}
    assert r.unsubscribed_now == UNSUBSCRIBED and r.unsubscribes_pulled == UNSUBSCRIBED
    # the manual's check: as many ImportAPI=true contacts in Maileon as updated + new
    assert import_api_true(state) == r.updated + r.new == 634
    with Workspace.open(root) as ws:
        record = ws.journal.run(r.run_id)
        assert record is not None and record.state == "done"
        assert record.report_line == report_line(r, "de")
        assert sum(ws.journal.outcome_counts(r.run_id).values()) == 1297
        assert ws.journal.outcomes(r.run_id, "planned") == []
        assert ws.contacts.count_by_status()["N"] == UNSUBSCRIBED
