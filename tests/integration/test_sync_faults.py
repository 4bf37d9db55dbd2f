"""429s, 503s and dropped connections on every step: the run completes and reports what a clean run does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync_helpers import fast_client_factory, make_settings, person, run_engine, seed_workspace, sim_snapshot, sim_state

from kufertui.core.report import RunReport
from kufertui.simulator import SimState, running_simulator

FAULTS = ("429@POST /contacts#2:retry-after=0; 503@POST /contacts#5; 503@*#every 7;"
          " drop@POST /contacts#3:when=before; drop@GET /reports/unsubscriptions#1;"
          " 429@GET /reports/unsubscriptions#2:retry-after=0; 503@GET /contacts/fields/custom#1;"
          " drop@DELETE /contacts/fields/custom/*#1; 503@DELETE /contacts/email/*#1-2;"
          " drop@DELETE /contacts/email/*#3:when=before")


def scenario(tmp_path: Path, name: str) -> tuple[SimState, Path]:
    """60 contacts (20 in Maileon already, one unsubscribed there, one invalid, 3 KUFER objections)."""
    state = sim_state()
    contacts = [person(i) for i in range(1, 61)]
    contacts[10].email = "kaputt@@vhs-test.de"
    for c in contacts[:20]:
        state.seed_contact(c.email, external_id=c.person_no)
    state.recipient_unsubscribes(contacts[5].email)
    objectors = [person(i, "N") for i in (201, 202, 203)]
    state.seed_contact(objectors[0].email)  # one of them is active in Maileon
    root = tmp_path / name
    seed_workspace(root, [*contacts, *objectors])
    return state, root


def comparable(report: RunReport) -> dict[str, Any]:
    data = report.to_json()
    for key in ("run_id", "writeback_file", "upload_xml"):
        data.pop(key)
    return data


def test_faults_do_not_change_the_outcome(tmp_path: Path) -> None:
    clean_state, clean_root = scenario(tmp_path, "clean")
    with running_simulator(clean_state) as base_url:
        settings = make_settings(base_url, batch_size=7)
        clean = run_engine(settings, clean_root, client_factory=fast_client_factory(settings)).report
    assert clean.reconciled and clean.invalid == 1 and clean.unsubscribes == 1 and clean.objections_pushed == 1

    state, root = scenario(tmp_path, "faulty")
    with running_simulator(state, FAULTS) as base_url:
        settings = make_settings(base_url, batch_size=7)
        faulty = run_engine(settings, root, client_factory=fast_client_factory(settings)).report
    assert comparable(faulty) == comparable(clean)
    assert sim_snapshot(state) == sim_snapshot(clean_state)


def test_lost_answer_to_an_upload_is_retried_without_harm(tmp_path: Path) -> None:
    """A dropped connection after Maileon applied the batch: the retry finds the contacts existing.

    The state is the same as a clean run's; only new/updated can shift, their sum cannot.
    """
    clean_state, clean_root = scenario(tmp_path, "clean")
    with running_simulator(clean_state) as base_url:
        settings = make_settings(base_url, batch_size=7)
        clean = run_engine(settings, clean_root, client_factory=fast_client_factory(settings)).report
    state, root = scenario(tmp_path, "faulty")
    with running_simulator(state, "drop@POST /contacts#2; drop@POST /contacts#6") as base_url:
        settings = make_settings(base_url, batch_size=7)
        faulty = run_engine(settings, root, client_factory=fast_client_factory(settings)).report
    assert faulty.reconciled
    assert faulty.new + faulty.updated == clean.new + clean.updated
    assert (faulty.selected, faulty.invalid, faulty.unsubscribes) == (clean.selected, clean.invalid,
                                                                       clean.unsubscribes)
    assert sim_snapshot(state) == sim_snapshot(clean_state)
