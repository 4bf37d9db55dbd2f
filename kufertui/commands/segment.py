"""`kufertui segment add|list|remove`: saved selections kept exact in Maileon (see sync/segments.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.core.exitcodes import EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.core.segments import target_group_name
from kufertui.store import ContactFilter, Workspace, WorkspaceError
from kufertui.sync.segments import MaileonError, SegmentError, add_segment, members_of, remove_segment, segment_overview

t = i18n.t


def run_segment(ctx: CommandContext, args: argparse.Namespace) -> int:
    try:
        if args.segment_command == "add":
            return _add(ctx, args)
        if args.segment_command == "list":
            return _list(ctx, args)
        return _remove(ctx, args)
    except SegmentError as exc:
        return json_error(ctx, args.json, exc.key, EXIT_USAGE, **exc.params)
    except WorkspaceError as exc:
        return json_error(ctx, args.json, exc.message_id, EXIT_USAGE, **exc.params)


def _add(ctx: CommandContext, args: argparse.Namespace) -> int:
    dozent = {"yes": True, "ja": True, "no": False, "nein": False}.get((args.dozent or "").lower())
    selection = ContactFilter(args.status, args.department or None, dozent, args.search or "")
    with Workspace.open(ctx.workspace_root) as ws:
        seg = add_segment(ws, args.name, selection)
        members = len(members_of(ws, seg))
    if args.json:
        ctx.json({**seg.to_json(), "members": members, "target_group": target_group_name(seg.field)})
    else:
        ctx.out(t("segment.added", name=seg.name, members=i18n.number(members), field=seg.field,
                  group=target_group_name(seg.field)))
    return EXIT_OK


def _list(ctx: CommandContext, args: argparse.Namespace) -> int:
    with Workspace.open(ctx.workspace_root) as ws:
        rows = segment_overview(ws)
    if args.json:
        ctx.json(rows)
        return EXIT_OK
    if not rows:
        ctx.out(t("segment.none"))
    for row in rows:
        ctx.out(t("segment.list-row", name=row["name"], members=i18n.number(row["members"]), field=row["field"],
                  group=row["target_group"], refreshed=i18n.timestamp(row["refreshed_at"]) if row["refreshed_at"]
                  else t("segment.never")))
    return EXIT_OK


def _remove(ctx: CommandContext, args: argparse.Namespace) -> int:
    with Workspace.open(ctx.workspace_root) as ws:
        seg = ws.segments.get(args.name)
    if seg is None:
        raise SegmentError("segment.unknown", name=args.name)
    group = target_group_name(seg.field)
    if not args.keep_in_maileon and not args.yes:
        if args.json or not sys.stdin.isatty():  # no question on a JSON stdout either
            return json_error(ctx, args.json, "segment.remove-needs-yes", EXIT_USAGE)
        answer = input(t("segment.confirm-remove", name=seg.name, field=seg.field, group=group))
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            ctx.out(t("segment.remove-cancelled"))
            return EXIT_OK
    if not args.keep_in_maileon and not ctx.settings.maileon.api_key:
        return json_error(ctx, args.json, "cli.no-api-key", EXIT_USAGE)
    try:
        result = asyncio.run(remove_segment(ctx.settings, ctx.workspace_root, seg.name,
                                            keep_in_maileon=args.keep_in_maileon))
    except MaileonError as exc:
        from kufertui.sync.engine import failure_detail

        return json_error(ctx, args.json, "engine.maileon-error", EXIT_USAGE if exc.configuration else EXIT_UNREACHABLE,
                          hint_id=exc.hint_id, detail=failure_detail(exc))
    if args.json:
        ctx.json(result)
        return EXIT_OK
    ctx.out(t("segment.removed", name=seg.name))
    if args.keep_in_maileon:
        ctx.out(t("segment.kept-maileon", field=seg.field, group=group))
    else:
        ctx.out(t("segment.removed-maileon", parts=", ".join(t(f"segment.part.{part}")
                                                             for part in result["removed_in_maileon"])))
    return EXIT_OK


def segments_to_refresh(ctx: CommandContext, names: list[str], every: bool, *,
                        as_json: bool = False) -> list[str] | int:
    """`sync --segment NAME…` / `--all-segments`: the names, or the exit code of a usage error."""
    try:
        with Workspace.open(ctx.workspace_root) as ws:
            known = [s.name for s in ws.segments.all()]
    except WorkspaceError as exc:
        return json_error(ctx, as_json, exc.message_id, EXIT_USAGE, **exc.params)
    wanted = list(dict.fromkeys([*(known if every else []), *names]))
    unknown = [n for n in wanted if n not in known]
    if unknown:
        return json_error(ctx, as_json, "segment.unknown", EXIT_USAGE, name=", ".join(unknown))
    if not wanted:
        return json_error(ctx, as_json, "segment.no-segments", EXIT_USAGE)
    return wanted
