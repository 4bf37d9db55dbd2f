"""The workspace's contact columns as core/fields.py makes them: the import writes them, the queries read them."""

from __future__ import annotations

from kufertui.core.contact import CONTACT_COLUMNS
from kufertui.core.fields import FIELDS_BY_ID

DATA_COLUMNS = tuple(c for c in CONTACT_COLUMNS if c != "email")  # a row's columns after the e-mail, in order
BOOL_COLUMNS = tuple(name for name in DATA_COLUMNS if name in FIELDS_BY_ID and FIELDS_BY_ID[name].kind == "bool")
assert DATA_COLUMNS[0] == "status"
