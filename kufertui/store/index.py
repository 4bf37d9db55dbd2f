"""An in-memory index of the workspace for the contact browser: filters 100,000 contacts in milliseconds.

SQLite needs ~100 ms for a substring search over 100k rows; a keystroke must answer faster. The index
holds only what filters need (id, status, departments, Dozent flag, search text) and mirrors the
semantics of ContactFilter.where(), which stays the source of truth for the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kufertui.core.contact import Status
from kufertui.store.contacts import ContactFilter, ContactStore


@dataclass(slots=True)
class ContactIndex:
    ids: list[int]
    statuses: list[str]
    departments: list[str]  # ",a,b," for whole-name matching
    dozent: list[bool]
    search: list[str]

    @classmethod
    def load(cls, store: ContactStore) -> ContactIndex:
        rows = store.conn.execute(
            "SELECT id, status, COALESCE(departments, ''), is_dozent, search FROM contacts WHERE left_at IS NULL "
            "ORDER BY id").fetchall()  # who left KUFER is in no selection (ContactFilter.where)
        return cls([r[0] for r in rows], [r[1] for r in rows],
                   ["," + ",".join(p.strip() for p in r[2].split(",")) + "," for r in rows],
                   [bool(r[3]) for r in rows], [r[4] for r in rows])

    def __len__(self) -> int:
        return len(self.ids)

    def query(self, flt: ContactFilter) -> tuple[list[int], dict[str, int]]:
        """(ids matching the whole filter, counts per status under the filter's other criteria)."""
        # Narrow with one comprehension per criterion (C-speed loops), most selective first.
        rows: Sequence[int] = range(len(self.ids))
        words = flt.search.lower().split()
        if words:
            search = self.search
            rows = [i for i, text in enumerate(search) if words[0] in text]
            for word in words[1:]:
                rows = [i for i in rows if word in search[i]]
        if flt.department:
            dept, departments = f",{flt.department},", self.departments
            rows = [i for i in rows if dept in departments[i]]
        if flt.dozent is not None:
            dozent, wanted = self.dozent, flt.dozent
            rows = [i for i in rows if dozent[i] == wanted]
        statuses = self.statuses
        counts = {s.value: 0 for s in Status}
        counts.update(Counter(statuses[i] for i in rows))
        ids = self.ids
        if flt.statuses:
            wanted_status = flt.statuses
            return [ids[i] for i in rows if statuses[i] in wanted_status], counts
        return [ids[i] for i in rows], counts
