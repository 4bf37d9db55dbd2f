"""`kufertui support-bundle`: one zip for the helpdesk, with no API key, password or contact data.

Contents: doctor output, redacted settings, the last runs (counts and report lines), the log tail,
an SVG of every screen (on demo data, so no real contact shows). Contact-level outcomes only with
--include-contacts.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.config import redacted_dict
from kufertui.paths import WorkspacePaths
from kufertui.platform import make_private
from kufertui.store import Workspace, WorkspaceError
from kufertui.sync.eventlog import tail


def _runs(ctx: CommandContext, include_contacts: bool) -> list[dict[str, Any]]:
    try:
        with Workspace.open(ctx.workspace_root, create=False) as ws:
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


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "********")
    return text


def build_bundle(ctx: CommandContext, out: Path, *, include_contacts: bool = False,
                 with_screens: bool = True, transport: Any = None) -> Path:
    from kufertui.commands.doctor import diagnose

    secrets = [ctx.settings.maileon.api_key.get(), ctx.settings.proxy.password.get()]
    files: dict[str, str] = {
        "doctor.json": json.dumps(diagnose(ctx, transport).to_json(), ensure_ascii=False, indent=2, default=str),
        "settings.json": json.dumps(redacted_dict(ctx.settings), ensure_ascii=False, indent=2),
        "runs.json": json.dumps(_runs(ctx, include_contacts), ensure_ascii=False, indent=2, default=str),
        "log-tail.txt": tail(WorkspacePaths(ctx.workspace_root).log_file, 300),
    }
    if not include_contacts:
        # the log carries e-mails of rejected contacts only in Message params; drop lines that name any
        files["log-tail.txt"] = "\n".join(line for line in files["log-tail.txt"].splitlines() if "@" not in line)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, scrub(text, secrets))
        if with_screens:
            from kufertui.commands.screenshots import render_all

            with tempfile.TemporaryDirectory() as tmp:
                for svg in asyncio.run(render_all(Path(tmp), contacts=200, langs=(ctx.lang,))):
                    archive.writestr(f"screens/{svg.name}", scrub(svg.read_text(encoding="utf-8"), secrets))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    make_private(out)
    return out


def run_bundle(ctx: CommandContext, args: argparse.Namespace) -> int:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or Path.cwd() / f"kufertui-support-{stamp}.zip"
    path = build_bundle(ctx, out, include_contacts=args.include_contacts)
    i18n.set_language(ctx.lang)
    ctx.out(i18n.t("bundle.written", path=str(path)))
    return 0
