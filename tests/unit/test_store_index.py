"""The browser's in-memory index must agree with the SQL filter the engine uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kufertui.core.contact import Contact, Status
from kufertui.store import ContactFilter, Workspace
from kufertui.store.index import ContactIndex

STATUSES = [Status.J, Status.K, Status.EMPTY, Status.N]
DEPTS = ["Sprachen", "Gesundheit, Sprachen", "Kultur-Gestalten", None, "Sprachen-Extra"]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace = Workspace.open(tmp_path / "ws")
    workspace.import_contacts([
        Contact(email=f"p{i}@vhs-beispiel.de", status=STATUSES[i % 4], person_no=str(i),
                last_name=["Müller", "Weiß", "Özdemir", "Schmidt"][i % 4], first_name="Jörg" if i % 3 else "Anna",
                departments=DEPTS[i % 5], is_dozent=i % 7 == 0) for i in range(300)], "t")
    return workspace


@pytest.mark.parametrize("flt", [
    ContactFilter(),
    ContactFilter(frozenset({"J", "K"})),
    ContactFilter(frozenset({""})),
    ContactFilter(department="Sprachen"),
    ContactFilter(frozenset({"N"}), department="Gesundheit"),
    ContactFilter(dozent=True),
    ContactFilter(dozent=False, search="jörg"),
    ContactFilter(search="WEIß p1"),
    ContactFilter(search="üller 2"),
    ContactFilter(search="nobody"),
])
def test_index_agrees_with_sql(ws: Workspace, flt: ContactFilter) -> None:
    index = ContactIndex.load(ws.contacts)
    ids, counts = index.query(flt)
    assert ids == ws.contacts.ids(flt)
    assert counts == ws.contacts.count_by_status(flt)
    assert len(index) == 300
