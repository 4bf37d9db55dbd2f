"""The CSV exports of a run's contacts (the dry run's, a run's rejects): one layout for both, as README
("CSV exports") promises. First the columns for people, headed in the user's language with outcomes and causes
in words; then ``outcome`` and ``code`` for tools. Free text is neutralised against spreadsheet formulas; the
file is the owner's alone and never written through a file planted in its place."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kufertui.i18n import cause_label, outcome_label, t
from kufertui.kufer.csvsafe import csv_safe
from kufertui.platform import AtomicFile
from kufertui.store.workspace import Workspace

HUMAN_COLUMNS = ("export.col.email", "export.col.status", "export.col.outcome", "export.col.cause",
                 "export.col.detail")
MACHINE_COLUMNS = ("outcome", "code")


@dataclass(frozen=True, slots=True)
class ExportRow:
    email: str
    status: str
    outcome: str  # would-create, rejected, … (README lists them)
    code: str = ""  # the cause: preflight:3, maileon:19, suppressed, …; "" for none
    detail: str = ""


def header() -> list[str]:
    return [*(t(key) for key in HUMAN_COLUMNS), *MACHINE_COLUMNS]


def write_csv(path: Path, rows: Iterable[ExportRow]) -> int:
    """The rows as an export at ``path``; returns how many."""
    count = 0
    with AtomicFile(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header())
        for row in rows:
            writer.writerow([csv_safe(row.email), csv_safe(row.status), outcome_label(row.outcome),
                             cause_label(row.code) if row.code else "", csv_safe(row.detail), row.outcome,
                             csv_safe(row.code)])
            count += 1
    return count


def export_rejects(workspace_root: Path, run_id: int) -> tuple[Path, int]:
    """Every contact of the run with a cause (rejected, suppressed, held …) as exports/rejects-run-<id>.csv."""
    with Workspace.open(workspace_root) as ws:
        target = ws.paths.exports_dir / f"rejects-run-{run_id}.csv"
        rows = [ExportRow(o.email, o.status or "", o.outcome, o.code or "", o.detail or "")
                for o in ws.journal.outcomes(run_id) if o.code]
    target.parent.mkdir(parents=True, exist_ok=True)
    return target, write_csv(target, rows)
