"""Load a KUFER export (or SQL query) into the workspace, accounting for every row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kufertui.kufer.errors import RowError
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.reader import open_source
from kufertui.store.contact_import import ImportSummary
from kufertui.store.workspace import Workspace


@dataclass(slots=True)
class ImportResult:
    source: dict[str, Any]  # KuferFile.summary(): format, encoding, mapping, rows, rejected, flags
    summary: ImportSummary
    errors: list[RowError] = field(default_factory=list)
    profile_path: Path | None = None  # where the detected mapping was saved
    warnings: list[str] = field(default_factory=list)  # message ids under "import.warn."


def source_warnings(source: Any) -> list[str]:
    """What the admin must know about a file that imported: without a status column nobody is J or K,
    so nobody would be sent."""
    return [] if "status" in source.mapping.values() else ["no-status-column"]


MANY_MISSING_SHARE = 0.25  # a full export missing more of the known persons than this looks filtered


def presence_warnings(summary: ImportSummary, rejected: int) -> list[str]:
    """What a full export's absentees may mean: a filtered export taken for a full one (many missing), or
    people whose rows were skipped (they are in KUFER, their row was unreadable)."""
    if not summary.full or not summary.missing:
        return []
    out: list[str] = []
    if summary.missing > max(10, MANY_MISSING_SHARE * (summary.missing + summary.total)):
        out.append("many-missing")
    if rejected:
        out.append("missing-with-rejects")
    return out


def import_sql(ws: Workspace, dsn: str, query: str, *, partial: bool = False) -> ImportResult:
    """Load contacts from the admin's read-only query (``sqlite:///path`` or ``mssql://user:pw@host/db``).
    Its rows are all of KUFER unless ``partial`` (see import_file)."""
    from kufertui.kufer.dsn import connect
    from kufertui.kufer.sql_source import open_sql

    conn = connect(dsn, read_only=True)
    try:
        with open_sql(conn, query, label="sql") as source:
            summary = ws.import_contacts(source, "sql", fmt="sql", mapping=source.mapping, full=not partial)
            ws.record_import_errors(summary.import_id, source.rows_read,
                                    ((e.line, e.reason, e.detail) for e in source.errors))
            return ImportResult(source.summary(), summary, list(source.errors),
                                warnings=source_warnings(source) + presence_warnings(summary, len(source.errors)))
    finally:
        conn.close()


def import_file(ws: Workspace, path: Path, profile: MappingProfile | None = None, *,
                partial: bool = False) -> ImportResult:
    """Raises kufertui.kufer.errors.ImportFailure for files that cannot be read at all.

    A KUFER export is all of KUFER (README.md, "People who leave KUFER"): known persons missing from it
    leave the selection, kept in the workspace (History lists them); ``partial`` declares an export of some
    persons only, which changes nobody's presence."""
    with open_source(path, profile) as source:
        summary = ws.import_contacts((), str(path), fmt=source.format, encoding=source.encoding or "",
                                     mapping=source.mapping, full=not partial, columns=source.value_columns())
        ws.record_import_errors(summary.import_id, source.rows_read,
                                ((e.line, e.reason, e.detail) for e in source.errors))
        result = ImportResult(source.summary(), summary, list(source.errors),
                              warnings=source_warnings(source) + presence_warnings(summary, len(source.errors)))
        if profile is None:
            # the detected mapping, as a file the admin can correct and pass back with --profile
            result.profile_path = ws.paths.profiles_dir / f"{Path(path).stem}.toml"
            MappingProfile.from_source(source).save(result.profile_path)
        return result
