"""`kufertui import PATH`: load a KUFER export and show what was found."""

from __future__ import annotations

import argparse

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE
from kufertui.core.terminal import printable
from kufertui.kufer.errors import ImportFailure
from kufertui.store import Workspace, WorkspaceError
from kufertui.sync.importing import ImportResult, import_file, import_sql

t = i18n.t


def run_import(ctx: CommandContext, args: argparse.Namespace) -> int:
    profile = None
    try:
        if args.profile:
            from kufertui.kufer.profile import MappingProfile

            profile = MappingProfile.load(args.profile)
        src = ctx.settings.source
        if args.sql:
            if not (src.sql_dsn and src.sql_query):
                return json_error(ctx, args.json, "import.no-sql", EXIT_USAGE)
            with Workspace.open(ctx.workspace_root) as ws:
                result = import_sql(ws, src.sql_dsn, src.sql_query, partial=args.partial)
        elif args.path is None:
            return json_error(ctx, args.json, "import.no-path", EXIT_USAGE)
        else:
            with Workspace.open(ctx.workspace_root) as ws:
                result = import_file(ws, args.path, profile, partial=args.partial)
    except ImportFailure as exc:
        return json_error(ctx, args.json, f"import.fail.{exc.code}", EXIT_USAGE, hint_id="import-failed",
                          **{k: _show(v) for k, v in exc.params.items()})
    except WorkspaceError as exc:
        return json_error(ctx, args.json, exc.message_id, EXIT_USAGE, **exc.params)
    if args.json:
        ctx.json(import_json(result))
    else:
        print_import(ctx, result)
    return EXIT_OK


def _show(value: object) -> str:
    """A failure's parameter as shown: from the file, so control characters are escaped."""
    if isinstance(value, list | tuple):
        return ", ".join(printable(v) for v in value)
    return printable(value)


def import_json(result: ImportResult) -> dict[str, object]:
    s = result.summary
    return {"source": result.source, "inserted": s.inserted, "updated": s.updated, "unchanged": s.unchanged,
            "kept_n": s.kept_n, "duplicates": s.duplicates, "by_status": s.by_status,
            "partial": not s.full, "missing": s.missing, "returned": s.returned, "left": s.left,
            "duplicate_examples": [{"person_no": tnr or None, "earlier_line": earlier, "line": line}
                                   for tnr, earlier, line in s.duplicate_examples],
            "warnings": list(result.warnings),
            "profile": str(result.profile_path) if result.profile_path else None,
            "rejected": [{"line": e.line, "reason": e.reason, "detail": e.detail} for e in result.errors]}


def print_import(ctx: CommandContext, result: ImportResult) -> None:
    src, s = result.source, result.summary
    # headers and the path come from the input: printed with control characters escaped
    if src.get("delimiter"):
        ctx.out(t("import.file", path=printable(src["path"]), format=src["format"],
                  encoding=src.get("encoding") or "-", delimiter=repr(src["delimiter"])))
    else:  # XML: no delimiter, and its encoding is what the file declares
        ctx.out(t("import.file-xml", path=printable(src["path"]), format=src["format"]))
    ctx.out(t("import.mapping"))
    for header, field_id in src["mapping"].items():
        label = i18n.field_label(field_id)
        ctx.out(f"  {printable(header):<24} → {label}")
    if src.get("unmapped"):
        ctx.out(t("import.unmapped", columns=_show(src["unmapped"])))
    if result.profile_path:
        ctx.out(t("import.profile-saved", path=printable(result.profile_path)))
    ctx.out(t("import.counts", rows=i18n.number(src["rows_read"]), inserted=i18n.number(s.inserted),
              updated=i18n.number(s.updated), unchanged=i18n.number(s.unchanged)))
    if s.kept_n:
        ctx.out(t("import.kept-n", count=s.kept_n))
    print_presence(ctx, result)
    if s.duplicates:
        print_duplicates(ctx, s.duplicates, s.duplicate_examples)
    for warning in result.warnings:
        ctx.out(t("import.warn." + warning, count=s.missing))
    bs = s.by_status
    ctx.out(t("import.by-status", j=i18n.number(bs.get("J", 0)), k=i18n.number(bs.get("K", 0)),
              empty=i18n.number(bs.get("", 0)), n=i18n.number(bs.get("N", 0))))
    if result.errors:
        ctx.out(t("import.rejected", count=len(result.errors)))
        for e in result.errors[:50]:
            ctx.out(f"  {t('import.line')} {e.line}: {t('import.reason.' + e.reason)}"
                    + (f" ({printable(e.detail)})" if e.detail else ""))
        if len(result.errors) > 50:
            ctx.out(t("import.more", count=len(result.errors) - 50))
    flags = src.get("flags") or {}
    for flag, count in sorted(flags.items()):
        ctx.out(f"  {t('import.flag.' + flag)}: {i18n.number(count)}")


def print_presence(ctx: CommandContext, result: ImportResult) -> None:
    """How many known persons the export missed and what that did to the selection (sync/leavers.py)."""
    s = result.summary
    if not s.full:
        ctx.out(t("import.presence.partial", count=s.missing))
        return
    ctx.out(t("import.presence.full", count=s.missing) if s.missing else t("import.presence.full-none"))
    if s.returned:
        ctx.out(t("import.presence.returned", count=s.returned))
    if s.left:
        ctx.out(t("import.presence.left", count=s.left))


def print_duplicates(ctx: CommandContext, count: int, examples: list[tuple[str, int | None, int | None]]) -> None:
    ctx.out(t("import.duplicates", count=count))
    for tnr, earlier, line in examples:
        if tnr:
            ctx.out("  " + t("import.duplicate.tnr", tnr=printable(tnr), earlier=earlier or "?", line=line or "?"))
        else:
            ctx.out("  " + t("import.duplicate.email", earlier=earlier or "?", line=line or "?"))
    if count > len(examples):
        ctx.out("  " + t("import.duplicates-more", count=count - len(examples)))
