"""Segment name rules (pure) and the segment store, including the migration of an older workspace."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kufertui.core.segments import FIELD_MAX, clash, field_name, name_problem, target_group_name
from kufertui.store import ContactFilter, Workspace
from kufertui.store.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.mark.parametrize(("name", "field"), [
    ("VHS-Dozenten", "KUFER_Seg_VHS_Dozenten"),
    ("Sprachen Ü50", "KUFER_Seg_Sprachen_Ue50"),
    ("  Gesundheit  ", "KUFER_Seg_Gesundheit"),
    ("Straße", "KUFER_Seg_Strasse"),
])
def test_field_names_are_ascii_with_a_prefix(name: str, field: str) -> None:
    assert name_problem(name) is None
    assert field_name(name) == field
    assert target_group_name(field) == field.replace("_", " ")


@pytest.mark.parametrize(("name", "key", "suggestion"), [
    ("", "segment.name-empty", ""),
    ("---", "segment.name-empty", ""),
    ("Kurse/Sprachen", "segment.name-chars", "KUFER_Seg_KurseSprachen"),
    ("Café", "segment.name-chars", "KUFER_Seg_Caf"),
    ("x" * 55, "segment.name-too-long", "KUFER_Seg_" + "x" * 54),
])
def test_bad_names_say_the_name_that_would_be_used(name: str, key: str, suggestion: str) -> None:
    problem = name_problem(name)
    assert problem is not None and problem.key == key and problem.suggestion == suggestion
    assert len(problem.suggestion) <= FIELD_MAX


def test_clash_ignores_case() -> None:
    assert clash("KUFER_Seg_ab", {"AB": "KUFER_Seg_AB"}) == "AB"
    assert clash("KUFER_Seg_abc", {"AB": "KUFER_Seg_AB"}) is None


def test_store_keeps_segments_and_members_per_run(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        seg = ws.segments.add("Kunst", "KUFER_Seg_Kunst", ContactFilter(frozenset({"J"}), "Kunst", True, "x"))
        ws.segments.save_members(seg.id, 1, ["a", "b"])
        ws.segments.record_refresh(seg.id, 1)
        ws.segments.save_members(seg.id, 2, ["b"])
        assert ws.segments.members(seg.id, 1) == {"a", "b"} and ws.segments.members(seg.id, 2) == {"b"}
        ws.segments.record_refresh(seg.id, 2)
        assert ws.segments.members(seg.id, 1) == set()  # older member sets are dropped
        ws.segments.set_maileon_ids(seg.id, 7, 8)
        again = ws.segments.get("Kunst")
        assert again is not None and again.filter == seg.filter and again.refreshed_run == 2
        assert (again.contact_filter_id, again.target_group_id) == (7, 8)
        with pytest.raises(sqlite3.IntegrityError):
            ws.segments.add("kunst2", "kufer_seg_KUNST", ContactFilter())  # a field once, ignoring case
        assert ws.segments.remove("Kunst") and ws.segments.all() == []
        assert ws.conn.execute("SELECT COUNT(*) FROM segment_members").fetchone()[0] == 0


def test_an_older_workspace_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "kufertui.sqlite3"
    with Workspace.open(tmp_path) as ws:
        db = ws.paths.database
    db.unlink()
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    conn.close()
    with Workspace.open(tmp_path) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert ws.segments.all() == []
