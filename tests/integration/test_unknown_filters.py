"""Issue 25 item 5: contact filters and target groups do not pile up in Maileon. Looked up by name before
anything is created, one filter per field reused, nothing left behind when a create fails, names checked
before a request, counts read after a refresh, the filter cap recognised whatever Maileon answers. Real engine
runs against the simulator over a socket, in its harsh modes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import make_settings, person, run_engine, seed_workspace, set_status, sim_state, sync_options

from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import parse_faults
from kufertui.sync.targetgroup import target_group_name_problem

FIELD = "ImportAPI"


def foreign_filter(state: SimState, name: str) -> int:
    """A filter the VHS's staff made in Maileon (not ours)."""
    fid = state.new_id()
    state.filters[fid] = {"id": fid, "name": name, "rules": []}
    return fid


def test_target_groups_reuse_one_filter_and_a_group_is_refreshed_when_reused(tmp_path: Path) -> None:
    """Three runs with `--target-group` A, B, A: one contact filter in Maileon (before: one per run, until the
    account's cap stops filter creation for everybody), two groups, and the reused group counts the third
    run's contacts, not what its filter held when it was last evaluated (harsh: stale counts until a refresh)."""
    state = sim_state()
    assert state.stale_filter_counts  # the harsh reading is the simulator's default
    seed_workspace(tmp_path, [person(i) for i in range(1, 21)])
    with running_simulator(state) as url:
        settings = make_settings(url)
        first = run_engine(settings, tmp_path, sync_options(target_group="Newsletter A")).report.target_group
        second = run_engine(settings, tmp_path, sync_options(target_group="Newsletter B")).report.target_group
        set_status(tmp_path, [person(i).email for i in range(11, 21)], "N")  # ten objected meanwhile
        third = run_engine(settings, tmp_path, sync_options(target_group="Newsletter A"))
    group = third.report.target_group
    assert first and second and group and "error" not in group, group
    assert len(state.filters) == 1 and len(state.target_groups) == 2
    assert group["reused"] and group["target_group_id"] == first["target_group_id"]
    assert group["count_active_contacts"] == 10 == third.report.updated
    assert "engine.target-group-reused" in third.messages()


def test_a_name_taken_by_someone_elses_group_leaves_no_filter_behind(tmp_path: Path) -> None:
    """Harsh: Maileon's v2 create with a target group makes the filter, then fails on the group's name. The
    run finds the name taken first and creates nothing (before: one orphan filter per try)."""
    state = sim_state()
    assert state.v2_orphan_filter
    staff = foreign_filter(state, "Staff filter")
    gid = state.new_id()
    state.target_groups[gid] = {"id": gid, "name": "Newsletter", "type": "regular", "contact_filter_id": staff,
                                "created_ms": 0}
    seed_workspace(tmp_path, [person(i) for i in range(1, 6)])
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path, sync_options(target_group="Newsletter"))
    assert run.report.target_group == {"name": "Newsletter", "error": "exists"}
    assert list(state.filters) == [staff] and len(state.target_groups) == 1
    assert "engine.target-group-exists" in run.messages()


def test_a_group_that_cannot_be_made_takes_its_new_filter_with_it(tmp_path: Path) -> None:
    """The filter is made, the group refused (400): the filter made for it is deleted again."""
    state = sim_state()
    seed_workspace(tmp_path, [person(i) for i in range(1, 6)])
    with running_simulator(state, parse_faults("400@POST /targetgroups")) as url:
        run = run_engine(make_settings(url), tmp_path, sync_options(target_group="Newsletter Mai"))
    assert run.report.target_group and run.report.target_group["error"] == "bad-request"
    assert state.filters == {} and state.target_groups == {}


def test_the_filter_cap_is_recognised_whatever_maileon_answers(tmp_path: Path) -> None:
    """Harsh: at the cap Maileon answers 409 without saying why. The run reports the filter limit with its
    hint and changes nothing (before: read as "group exists", a wrong hint)."""
    state = sim_state()
    state.max_filters, state.filter_limit_status = 3, 409
    for i in range(3):
        foreign_filter(state, f"Staff {i}")
    seed_workspace(tmp_path, [person(i) for i in range(1, 6)])
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path, sync_options(target_group="Newsletter Juni"))
    assert run.report.target_group and run.report.target_group["error"] == "filter-limit"
    assert len(state.filters) == 3 and state.target_groups == {}


@pytest.mark.parametrize("name", ["ab", "Kurse/Frühjahr", "x" * 65, "Name_mit_Unterstrich"])
def test_a_bad_name_is_refused_before_any_request(tmp_path: Path, name: str) -> None:
    """Maileon documents 3–64 letters, digits and spaces: anything else is refused locally with its hint, and
    no filter or group is asked for (before: sent, and made or refused by Maileon)."""
    assert target_group_name_problem(name) == "target-group-name"
    state = sim_state()
    state.log_requests = True
    seed_workspace(tmp_path, [person(i) for i in range(1, 4)])
    with running_simulator(state) as url:
        run = run_engine(make_settings(url), tmp_path, sync_options(target_group=name))
    assert run.report.target_group and run.report.target_group["error"] == "target-group-name"
    assert not [r for r in state.request_log
                if r.method != "GET" and r.path.startswith(("/contactfilters", "/targetgroups"))]
    assert state.filters == {} and state.target_groups == {}


def test_good_names_pass_the_local_check() -> None:
    assert target_group_name_problem("Newsletter März 2026") is None
    assert target_group_name_problem("abc") is None and target_group_name_problem("x" * 64) is None
