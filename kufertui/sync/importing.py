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


def import_file(ws: Workspace, path: Path, profile: MappingProfile | None = None) -> ImportResult:
    """Raises kufertui.kufer.errors.ImportFailure for files that cannot be read at all."""
    with open_source(path, profile) as source:
        summary = ws.import_contacts(source, str(path), fmt=source.format, encoding=source.encoding or "",
                                     mapping=source.mapping)
        ws.record_import_errors(summary.import_id, source.rows_read,
                                ((e.line, e.reason, e.detail) for e in source.errors))
        return ImportResult(source.summary(), summary, list(source.errors))
