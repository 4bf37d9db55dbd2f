"""Segments against the simulator over a real socket: each refreshed segment's field ends true for exactly
its sendable members, leavers are cleared, a plain run leaves segment fields alone, a deleted field or
target group is re-made, and a killed refresh resumes to the same end state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sync_helpers import make_settings, person, run_engine, seed_workspace, set_status, sim_state, sync_options

from kufertui.paths import WorkspacePaths
from kufertui.simulator import SimState, running_simulator
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.engine import SyncAborted
from kufertui.sync.segments import SegmentError, SegmentRun, add_segment

F_SPRACHEN = "KUFER_Seg_Sprachen"
F_DOZENTEN = "KUFER_Seg_VHS_Dozenten"


def contacts() -> list:
    """1–10 Sprachen, 6–12 lecturers (6–10 in both), 13–15 neither; 14 is N (never sent)."""
    out = []
    for i in range(1, 16):
        out.append(person(i, "N" if i == 14 else ("K" if i == 3 else "J"),
                          departments="Sprachen" if i <= 10 else "Gesundheit", is_dozent=6 <= i <= 12))
    return out


def true_set(state: SimState, field: str) -> set[str]:
    with state.lock:
        return {e for e, c in state.contacts.items() if str(c.custom.get(field, "")).lower() == "true"}


def emails(*numbers: int) -> set[str]:
    return {f"p{i:05d}@vhs-test.de" for i in numbers}


def add_two(root: Path) -> None:
    with Workspace.open(root) as ws:
        add_segment(ws, "Sprachen", ContactFilter(frozenset({"J", "K"}), "Sprachen"))
        add_segment(ws, "VHS-Dozenten", ContactFilter(frozenset(), None, True))


def test_two_segments_in_one_run_end_with_exactly_their_members_true(tmp_path: Path) -> None:
    state = sim_state()
    state.seed_contact("fremd@vhs-test.de", custom={F_SPRACHEN: "true"})  # from elsewhere: cleared
    state.custom_fields[F_SPRACHEN] = "boolean"
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        result = run_engine(settings, tmp_path, sync_options(segments=["Sprachen", "VHS-Dozenten"]))
        assert true_set(state, F_SPRACHEN) == emails(*range(1, 11))
        assert true_set(state, F_DOZENTEN) == emails(*range(6, 13))
        assert true_set(state, "ImportAPI") == emails(*range(1, 13))  # the run's contacts, as the manual says
        with state.lock:
            assert state.contacts["p00011@vhs-test.de"].custom[F_SPRACHEN] == "false"
        by_name = {s["name"]: s for s in result.report.segments or []}
        assert by_name["Sprachen"]["members"] == 10 and by_name["Sprachen"]["joined"] == 10
        assert by_name["VHS-Dozenten"]["target_group"]["count_active_contacts"] == 7
        assert len(state.target_groups) == 2
        # the second refresh reuses filter and target group
        result = run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert len(state.target_groups) == 2 and len(state.filters) == 2
        assert result.report.segments[0]["joined"] == 0  # type: ignore[index]


def test_a_leaver_is_not_true_after_the_next_refresh_and_other_segments_stay(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        run_engine(settings, tmp_path, sync_options(segments=["Sprachen", "VHS-Dozenten"]))
        # contact 2 moves to another Fachbereich (a KUFER re-import), contact 13 joins
        with Workspace.open(tmp_path) as ws:
            ws.conn.execute("UPDATE contacts SET departments='Gesundheit' WHERE email_lc=?", ("p00002@vhs-test.de",))
            ws.conn.execute("UPDATE contacts SET departments='Sprachen' WHERE email_lc=?", ("p00013@vhs-test.de",))
            ws.conn.commit()
        before_doz = true_set(state, F_DOZENTEN)
        result = run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert true_set(state, F_SPRACHEN) == emails(1, *range(3, 11), 13)
        assert true_set(state, F_DOZENTEN) == before_doz  # not refreshed: untouched
        seg = (result.report.segments or [])[0]
        assert (seg["joined"], seg["left"], seg["members"]) == (1, 1, 10)


def test_a_plain_run_changes_importapi_and_no_segment_field(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        run_engine(settings, tmp_path, sync_options(segments=["Sprachen", "VHS-Dozenten"]))
        before = {f: true_set(state, f) for f in (F_SPRACHEN, F_DOZENTEN)}
        plain = replace(sync_options(), selection=ContactFilter(frozenset({"J"}), "Gesundheit"))
        run_engine(settings, tmp_path, plain)
        assert true_set(state, "ImportAPI") == emails(11, 12, 13, 15)
        assert {f: true_set(state, f) for f in before} == before
        assert b"KUFER_Seg" not in WorkspacePaths(tmp_path).upload_xml.read_bytes()  # not even sent as false


def test_a_member_who_unsubscribed_is_not_sent_and_not_true(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert "p00004@vhs-test.de" in true_set(state, F_SPRACHEN)
        assert state.recipient_unsubscribes("p00004@vhs-test.de")  # in Maileon, between two refreshes
        set_status(tmp_path, ["p00005@vhs-test.de"], "N")  # an objection recorded in KUFER
        result = run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert true_set(state, F_SPRACHEN) == emails(1, 2, 3, *range(6, 11))
        seg = (result.report.segments or [])[0]
        assert seg["marked"] == 8 and seg["target_group"]["count_active_contacts"] == 8


def test_deleted_field_and_target_group_are_made_again(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        with state.lock:  # an admin deletes the field and the target group in Maileon
            del state.custom_fields[F_SPRACHEN]
            for c in state.contacts.values():
                c.custom.pop(F_SPRACHEN, None)
            state.target_groups.clear()
        result = run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert state.custom_fields[F_SPRACHEN] == "boolean"
        assert true_set(state, F_SPRACHEN) == emails(*range(1, 11))
        assert "segment.group-gone" in result.messages() and "segment.field-created" in result.messages()
        assert result.report.segments[0]["target_group"]["count_active_contacts"] == 10  # type: ignore[index]
        assert len(state.target_groups) == 1 and len(state.filters) == 1  # the old filter reused


def test_a_field_of_another_type_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    state = sim_state()
    state.custom_fields[F_SPRACHEN] = "string"
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        with pytest.raises(SyncAborted) as info:
            run_engine(settings, tmp_path, sync_options(segments=["Sprachen"]))
        assert info.value.failed.key == "segment.field-type" and not info.value.failed.resumable
        assert not state.contacts and "ImportAPI" not in state.custom_fields


def test_an_empty_segment_clears_its_field_and_says_so(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        with Workspace.open(tmp_path) as ws:
            add_segment(ws, "Kochen", ContactFilter(frozenset(), "Kochen"))
            add_segment(ws, "Sprachen", ContactFilter(frozenset(), "Sprachen"))
            ws.conn.execute("UPDATE segments SET filter=? WHERE name='Kochen'",
                            ('{"statuses": [], "department": "Sprachen"}',))
            ws.conn.commit()
        run_engine(settings, tmp_path, sync_options(segments=["Kochen"]))
        assert true_set(state, "KUFER_Seg_Kochen") == emails(*range(1, 11))
        with Workspace.open(tmp_path) as ws:
            ws.conn.execute("UPDATE segments SET filter=? WHERE name='Kochen'", ('{"department": "Kochen"}',))
            ws.conn.commit()
        result = run_engine(settings, tmp_path, sync_options(segments=["Kochen"]))
        assert true_set(state, "KUFER_Seg_Kochen") == set()
        assert "segment.empty" in result.messages()


def test_bad_names_and_clashes_are_refused_with_the_name_that_would_be_used(tmp_path: Path) -> None:
    seed_workspace(tmp_path, contacts())
    with Workspace.open(tmp_path) as ws:
        add_segment(ws, "VHS Dozenten", ContactFilter())
        with pytest.raises(SegmentError) as clash:
            add_segment(ws, "vhs-dozenten", ContactFilter())
        assert clash.value.key == "segment.clash" and clash.value.params["other"] == "VHS Dozenten"
        with pytest.raises(SegmentError) as chars:
            add_segment(ws, "Kurse/Sprachen & mehr", ContactFilter())
        assert chars.value.key == "segment.name-chars"
        assert chars.value.params["suggestion"] == "KUFER_Seg_KurseSprachen_mehr"
        with pytest.raises(SegmentError) as long:
            add_segment(ws, "x" * 60, ContactFilter())
        assert long.value.key == "segment.name-too-long" and len(long.value.params["suggestion"]) == 64
        with pytest.raises(SegmentError) as only_n:
            add_segment(ws, "Abgemeldete", ContactFilter(frozenset({"N", ""})))
        assert only_n.value.key == "segment.no-sendable-status"
        assert [s.name for s in ws.segments.all()] == ["VHS Dozenten"]


def test_a_segment_removed_during_an_interrupted_refresh_does_not_stop_the_resume(tmp_path: Path) -> None:
    state = sim_state()
    with running_simulator(state) as url:
        settings = make_settings(url)
        seed_workspace(tmp_path, contacts())
        add_two(tmp_path)
        with Workspace.open(tmp_path) as ws:  # a refresh of both that stopped before its first batch
            run_id = ws.journal.start_run("sync", selection={}, fields={},
                                          options={"segments": ["Sprachen", "VHS-Dozenten"]})
            run = SegmentRun.open(ws, run_id, ["Sprachen", "VHS-Dozenten"], fresh=True)
            ws.journal.save_selection(run_id, run.ids)
            ws.journal.finish_run(run_id, "aborted")
            ws.segments.remove("VHS-Dozenten")
        result = run_engine(settings, tmp_path, sync_options(resume_run_id=run_id))
        assert [s["name"] for s in result.report.segments or []] == ["Sprachen"]
        assert true_set(state, F_SPRACHEN) == emails(*range(1, 11))
        assert F_DOZENTEN not in state.custom_fields
