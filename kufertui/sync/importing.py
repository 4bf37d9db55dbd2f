"""Load a KUFER export (or SQL query) into the workspace, accounting for every row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kufertui.kufer.errors import RowError
from kufertui.kufer.profile import MappingProfile
from kufertui.kufer.reader import open_source
from kufertui.store.contacts import ImportSummary
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


def import_sql(ws: Workspace, dsn: str, query: str) -> ImportResult:
    """Load contacts from the admin's read-only query (``sqlite:///path`` or ``mssql://user:pw@host/db``)."""
    from kufertui.kufer.dsn import connect
    from kufertui.kufer.sql_source import open_sql

    conn = connect(dsn, read_only=True)
    try:
        with open_sql(conn, query, label="sql") as source:
            summary = ws.import_contacts(source, "sql", fmt="sql", mapping=source.mapping)
            ws.record_import_errors(summary.import_id, source.rows_read,
                                    ((e.line, e.reason, e.detail) for e in source.errors))
            return ImportResult(source.summary(), summary, list(source.errors), warnings=source_warnings(source))
    finally:
        conn.close()


def import_file(ws: Workspace, path: Path, profile: MappingProfile | None = None) -> ImportResult:
    """Raises kufertui.kufer.errors.ImportFailure for files that cannot be read at all."""
    with open_source(path, profile) as source:
        summary = ws.import_contacts(source, str(path), fmt=source.format, encoding=source.encoding or "",
                                     mapping=source.mapping)
        ws.record_import_errors(summary.import_id, source.rows_read,
                                ((e.line, e.reason, e.detail) for e in source.errors))
        result = ImportResult(source.summary(), summary, list(source.errors), warnings=source_warnings(source))
        if profile is None:
            # the detected mapping, as a file the admin can correct and pass back with --profile
            result.profile_path = ws.paths.profiles_dir / f"{Path(path).stem}.toml"
            MappingProfile.from_source(source).save(result.profile_path)
        return result
