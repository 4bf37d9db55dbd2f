"""The support bundle: one zip for the helpdesk, with no API key, password or contact data.

Contents: doctor output, redacted settings, the last runs (counts and report lines), the log tail,
an SVG of every screen (on demo data, so no real contact shows). Contact-level outcomes only with
include_contacts.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kufertui.config import Settings, redacted_dict, secret_forms
from kufertui.core.secrets import scrub
from kufertui.paths import WorkspacePaths
from kufertui.platform import write_atomic
from kufertui.store import Workspace, WorkspaceError
from kufertui.sync.doctor import diagnose
from kufertui.sync.eventlog import tail


def _runs(workspace_root: Path, include_contacts: bool) -> list[dict[str, Any]]:
    try:
        with Workspace.open(workspace_root, create=False) as ws:
            runs = []
            for r in ws.journal.runs(limit=10):
                entry: dict[str, Any] = {"id": r.id, "kind": r.kind, "state": r.state, "started_at": r.started_at,
                                         "finished_at": r.finished_at, "os_user": r.os_user,
                                         "report_line": r.report_line, "error": r.error,
                                         "outcomes": ws.journal.outcome_counts(r.id)}
                counts = {k: v for k, v in (r.counts or {}).items() if k not in ("missing",)}
                if not include_contacts:
                    counts.pop("writeback_file", None)
                entry["counts"] = counts
                if include_contacts:
                    entry["contacts"] = [{"email": o.email, "status": o.status, "outcome": o.outcome,
                                          "code": o.code, "detail": o.detail} for o in ws.journal.outcomes(r.id)]
                runs.append(entry)
            return runs
    except WorkspaceError as exc:
        return [{"error": exc.message_id}]


ScreenRenderer = Callable[[Path], list[Path]]
"""Renders every screen as SVG into a folder (the TUI supplies it; this layer knows no Textual)."""


def build_bundle(settings: Settings, settings_path: Path, workspace_root: Path, out: Path, *,
                 include_contacts: bool = False, render_screens: ScreenRenderer | None = None,
                 transport: Any = None) -> Path:
    forms = secret_forms(settings)  # every secret in every encoding it is sent in
    doctor = diagnose(settings, settings_path, workspace_root, transport)
    files: dict[str, str] = {
        "doctor.json": json.dumps(doctor.to_json(), ensure_ascii=False, indent=2, default=str),
        "settings.json": json.dumps(redacted_dict(settings), ensure_ascii=False, indent=2),
        "runs.json": json.dumps(_runs(workspace_root, include_contacts), ensure_ascii=False, indent=2, default=str),
        "log-tail.txt": tail(WorkspacePaths(workspace_root).log_file, 300),
    }
    if not include_contacts:
        # the log carries e-mails of rejected contacts only in Message params; drop lines that name any
        files["log-tail.txt"] = "\n".join(line for line in files["log-tail.txt"].splitlines() if "@" not in line)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, scrub(text, forms))
        if render_screens is not None:
            with tempfile.TemporaryDirectory() as tmp:
                for svg in render_screens(Path(tmp)):
                    archive.writestr(f"screens/{svg.name}", scrub(svg.read_text(encoding="utf-8"), forms))
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(out, buffer.getvalue())  # owner only, never through a file another user planted
