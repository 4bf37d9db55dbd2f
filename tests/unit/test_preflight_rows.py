"""The pre-flight of a run reads contacts as rows (``ContactStore.field_rows`` → ``Preflight.check_row``), the
contact dialog and the dry run as Contact objects (``Preflight.check``): both must come to the same verdict,
contact by contact, for every kind of field a mapping can hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from kufertui.core.contact import Contact, Status
from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.plan import Preflight

MAPPINGS = [
    *default_mappings(),
    FieldMapping("is_dozent", "Dozent", True),  # a yes/no field as a custom field: "true"/"false"
    FieldMapping("gender_raw", "GENDER", False, {"W": "f", "M": "m"}),  # a value map
    FieldMapping("birthday", "BIRTHDAY", False),  # a date rule
    FieldMapping("zip", "PLZ", True),  # text into a custom field
]


def _people() -> list[Contact]:
    people = [Contact(email=f"p{i}@vhs-test.de", status=(Status.J, Status.K, Status.N, Status.EMPTY)[i % 4],
                      person_no=str(1000 + i) if i % 5 else None, first_name=f"V{i}", last_name="Groß",
                      is_dozent=i % 3 == 0, gender_raw=("W", "M", "x", "")[i % 4],
                      birthday=("1980-02-29", "1981-02-29", None)[i % 3], zip=("12345", "", None)[i % 3])
              for i in range(1, 41)]
    people[8].email = "kaputt@@vhs-test.de"
    people[12].email = "P5@vhs-test.de"  # the same address as contact 5: a duplicate
    people[3].first_name = "Tab\tin the name"  # a tab is fine in XML
    people[16].last_name = "x" * 300  # too long for Maileon
    return people


def _preflight(**kw: object) -> Preflight:
    return Preflight(MAPPINGS, import_field="ImportAPI", suppressed={"p20@vhs-test.de"},
                     declared_custom={"Dozent": "boolean", "PLZ": "string"}, suppressed_numbers={"1021"},
                     segment_marks={"Seg": frozenset({"tnr:1002", "email:p5@vhs-test.de"})}, **kw)  # type: ignore[arg-type]


def test_a_row_and_a_contact_object_get_the_same_verdict(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(_people(), source="test")
        ids = ws.contacts.ids(ContactFilter())
        by_object = _preflight()
        by_row = _preflight()
        assert by_row.fields == [m.kufer_field for m in MAPPINGS]
        from_objects = [by_object.check(c) for _i, c in ws.contacts.iter_contacts(ids=ids)]
        from_rows = [by_row.check_row(row) for row in ws.contacts.field_rows(ids, by_row.fields)]
    assert from_rows == from_objects
    assert by_row.by_code == by_object.by_code
    codes = {getattr(v, "code", None) for v in from_rows}
    # the sample meets every rule it is meant to: else the comparison proves less than it says
    assert {"unsubscribed-in-maileon", "status-not-uploadable", "suppressed", "opted-out-person", "preflight:3",
            "preflight:5", "preflight:11", "preflight:17"} <= codes
    sent = [v for v in from_rows if getattr(v, "code", "x") is None or not hasattr(v, "code")]
    dozent = {v.contact.custom_fields["Dozent"] for v in sent}  # type: ignore[union-attr]
    assert dozent == {"true", "false"}
    assert {v.contact.custom_fields["Seg"] for v in sent} == {True, False}  # type: ignore[union-attr]


def test_field_rows_refuses_a_column_that_is_not_a_contact_field(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws, pytest.raises(ValueError, match="unknown contact column"):
        list(ws.contacts.field_rows([1], ["email_lc; DROP TABLE contacts"]))


def _plain_people() -> list[Contact]:
    """The usual mapping's contacts: most chunks clean, a few with what only a contact-by-contact look finds."""
    people = [Contact(email=f"q{i}@vhs-test.de", status=(Status.J, Status.K, Status.J, Status.N, Status.EMPTY)[i % 5],
                      person_no=str(2000 + i) if i % 6 else None, salutation=("Frau", "Herr", None)[i % 3],
                      first_name=f"V{i}", last_name="Müller & Söhne" if i % 9 == 0 else "Groß")
              for i in range(1, 71)]
    people[9].email = "kaputt@@vhs-test.de"  # an address Maileon refuses (code 3), in a clean chunk
    people[11].email = "Q7@vhs-test.de"  # a duplicate of contact 7, in a clean chunk
    people[39].last_name = "x" * 256  # too long: its chunk goes contact by contact
    people[54].first_name = "Vertical\x0btab"  # XML cannot carry it: its chunk too
    return people


@pytest.mark.parametrize("chunk", [1, 7, 900])
def test_a_chunk_looked_at_once_gets_the_verdicts_of_a_look_at_each_contact(tmp_path: Path, chunk: int) -> None:
    mappings = default_mappings()
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(_plain_people(), source="test")
        ids = ws.contacts.ids(ContactFilter())
        by_object = Preflight(mappings, import_field="ImportAPI", suppressed={"q20@vhs-test.de"},
                              declared_custom={}, suppressed_numbers={"2021"}, k_allowed=chunk != 7)
        by_chunk = Preflight(mappings, import_field="ImportAPI", suppressed={"q20@vhs-test.de"},
                             declared_custom={}, suppressed_numbers={"2021"}, k_allowed=chunk != 7)
        rows = list(ws.contacts.field_rows(ids, by_chunk.fields))
        from_objects = [by_object.check(c) for _i, c in ws.contacts.iter_contacts(ids=ids)]
    from_chunks = [v for start in range(0, len(rows), chunk) for v in by_chunk.check_rows(rows[start:start + chunk])]
    assert from_chunks == from_objects
    assert by_chunk.by_code == by_object.by_code
    chunks = -(-len(rows) // chunk)
    if chunks > 1:
        assert 0 < by_chunk.chunks_at_once < chunks  # both ways were taken
    else:
        assert by_chunk.chunks_at_once == 0  # one chunk with a contact that needs a look of its own
    codes = {getattr(v, "code", None) for v in from_chunks}
    assert {"preflight:3", "preflight:5", "preflight:11", "control-characters"} <= codes


def test_a_mapping_with_rules_of_form_is_looked_at_contact_by_contact(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts(_people(), source="test")
        rows = list(ws.contacts.field_rows(ws.contacts.ids(ContactFilter()), [m.kufer_field for m in MAPPINGS]))
    preflight = _preflight()
    preflight.check_rows(rows)
    assert preflight.chunks_at_once == 0  # a value map and a date rule: no look at once
