"""`kufertui doctor --probe`: every row of docs/maileon-assumptions.md checked on a real account,
on scratch contacts the probe makes itself and deletes again.

Opt-in; the face asks first (``preview``). Everything made is named by one token: external ids in a range no KUFER
number can be in (``core.probe_ids``), addresses under a domain the admin names, one custom field, filters and target
groups under one name prefix. Contacts get permission 1 (none) and no other. Before the first thing is made, its
names are written to the workspace (``record.py``); a probe that is killed leaves that record, and the next probe or
``--cleanup`` removes what it names.
"""

from __future__ import annotations

from .outcome import CleanupOutcome, ProbeOutcome
from .record import pending_records
from .run import clean_leftovers, new_names, run_probe
from .steps import STEPS, Names, RowResult, Verdict, probe_domain_problem
from .text import render

__all__ = ["STEPS", "CleanupOutcome", "Names", "ProbeOutcome", "RowResult", "Verdict", "clean_leftovers",
           "new_names", "pending_records", "probe_domain_problem", "render", "run_probe"]
