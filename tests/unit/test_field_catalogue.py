"""core/fields.py is the one place of a KUFER field: the Contact, the workspace's columns and the import's
cell order are read from it, and a workspace made before a field was added gets its column at the next open."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from pathlib import Path

from kufertui.core.contact import CONTACT_COLUMNS, DERIVED_FIELDS, Contact, Status
from kufertui.core.fields import KUFER_FIELDS
from kufertui.kufer.normalise import FIELD_ORDER, build_contact
from kufertui.store import Workspace
from kufertui.store.schema import field_columns


def test_contact_import_order_and_columns_follow_the_catalogue() -> None:
    ids = tuple(f.id for f in KUFER_FIELDS)
    assert tuple(f.name for f in fields(Contact)) == (*ids, *(name for name, _, _ in DERIVED_FIELDS))
    assert ids == FIELD_ORDER
    assert set(ids) <= set(CONTACT_COLUMNS) == set(field_columns())
    assert field_columns()["is_dozent"].startswith("INTEGER") and field_columns()["birthday"] == "TEXT"


def test_each_kind_is_read_as_its_kind() -> None:
    cells = {f.id: "" for f in KUFER_FIELDS} | {"email": "a@b.de", "status": "J", "birthday": "01.02.1970",
                                                "is_dozent": "ja", "title": "  Dr. "}
    contact = build_contact(cells, 1)
    assert isinstance(contact, Contact)
    assert (contact.status, contact.birthday, contact.is_dozent, contact.title) == (Status.J, "1970-02-01", True,
                                                                                    "Dr.")
    assert all(getattr(contact, f.id) is None for f in KUFER_FIELDS if f.kind == "text" and f.id != "title")


def test_an_older_workspace_gets_the_column_of_a_new_field(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws"):
        pass
    conn = sqlite3.connect(tmp_path / "ws" / "workspace.sqlite")
    conn.execute("ALTER TABLE contacts DROP COLUMN departments")  # as made before the field existed
    conn.commit()
    conn.close()
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_contacts([Contact("a@b.de", Status.J, person_no="1", departments="Kunst", is_dozent=True)],
                           source="test")
        (_, back), = ws.contacts.iter_contacts()
    assert (back.departments, back.is_dozent) == ("Kunst", True)
