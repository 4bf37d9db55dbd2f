"""Fill the report from the journal and check that every selected contact is accounted for."""

from __future__ import annotations

from kufertui.core.report import RunReport
from kufertui.store.workspace import Workspace
from kufertui.sync.internals.resume import LEFT

# the outcomes whose reason codes the report counts (rejects by cause)
CODED_OUTCOMES = frozenset({"rejected", "invalid", "suppressed", "held"})


def fill_report(ws: Workspace, report: RunReport, run_id: int) -> None:
    by_code = ws.journal.outcome_code_counts(run_id)  # one pass over 100,000 outcomes, not three
    counts: dict[str, int] = {}
    for (outcome, _code), n in by_code.items():
        counts[outcome] = counts.get(outcome, 0) + n
    report.selected = sum(n for outcome, n in counts.items() if outcome != LEFT)  # who left KUFER is out of it
    report.rejected_preflight = counts.get("rejected", 0)
    report.suppressed_by_ledger = counts.get("suppressed", 0)
    report.unsubscribed_now = counts.get("unsubscribed", 0)
    report.held_legal = counts.get("held", 0)
    new = existing = invalid = unsubscribed = 0
    for _no, state, _size, _perm, rep in ws.journal.batches(run_id):
        if state == "done" and rep:
            new += rep.get("new", 0)
            existing += rep.get("existing", 0)
            invalid += rep.get("invalid", 0)
            unsubscribed += rep.get("unsubscribed", 0)
    report.new, report.updated = new, existing
    report.rejected_by_maileon = invalid
    if report.dry_run:  # nothing was sent: the dry run's predictions stand in for Maileon's counts
        report.new = counts.get("would-create", 0)
        report.updated = counts.get("would-update", 0) + counts.get("unchanged", 0)
        report.rejected_by_maileon = counts.get("invalid", 0)
    report.skipped_unsubscribed_in_maileon = unsubscribed
    rejects: dict[str, int] = {}
    for (outcome, code), n in by_code.items():
        if outcome in CODED_OUTCOMES and code is not None:
            rejects[code] = rejects.get(code, 0) + n
    report.rejects_by_code = dict(sorted(rejects.items()))
    report.missing = [o.email for o in ws.journal.outcomes(run_id, "planned")] if counts.get("planned") else []
