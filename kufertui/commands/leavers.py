"""`kufertui leavers list|remove`: people who left KUFER, and their explicit removal from Maileon."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.commands.interrupt import graceful_interrupt
from kufertui.core.exitcodes import EXIT_OK, EXIT_REJECTS, EXIT_USAGE
from kufertui.core.terminal import printable
from kufertui.store import Workspace, WorkspaceError
from kufertui.store.contacts import Leaver
from kufertui.sync.leavers import LeaversError, leaver_json, leavers, removable, remove_leavers

t = i18n.t
PREVIEW_ROWS = 50  # the preview names this many; the count covers all


def run_leavers(ctx: CommandContext, args: argparse.Namespace) -> int:
    try:
        with Workspace.open(ctx.workspace_root) as ws:
            people = leavers(ws)
    except WorkspaceError as exc:
        return json_error(ctx, args.json, exc.message_id, EXIT_USAGE, **exc.params)
    if args.leavers_command == "list":
        return _list(ctx, args, people)
    return _remove(ctx, args, people)


def _row(p: Leaver) -> str:
    """One person as the terminal shows them: the values come from KUFER, control characters escaped."""
    if p.in_maileon:
        sent = t("leavers.sent.yes") if p.person_no else t("leavers.sent.no-number")
    else:
        sent = t("leavers.sent.removed") if p.sent else t("leavers.sent.no")
    return t("leavers.row", number=printable(p.person_no or "–"), email=printable(p.email),
             since=i18n.timestamp(p.left_at)[:10], sent=sent)


def _list(ctx: CommandContext, args: argparse.Namespace, people: list[Leaver]) -> int:
    if args.json:
        ctx.json({"left": len(people), "removable": len(removable(people)),
                  "persons": [leaver_json(p) for p in people]})
        return EXIT_OK
    if not people:
        ctx.out(t("leavers.none"))
        return EXIT_OK
    ctx.out(t("leavers.heading", count=len(people)))
    for p in people:
        ctx.out("  " + _row(p))
    count = len(removable(people))
    ctx.out(t("leavers.removable", count=count) if count else t("leavers.nothing-to-remove"))
    return EXIT_OK


def _remove(ctx: CommandContext, args: argparse.Namespace, people: list[Leaver]) -> int:
    chosen = removable(people)
    if not chosen:
        if args.json:
            ctx.json({"ok": True, "run_id": None, "deleted": 0, "not_in_maileon": 0, "failed": 0})
        else:
            ctx.out(t("leavers.nothing-to-remove"))
        return EXIT_OK
    if not args.yes:
        if args.json or not sys.stdin.isatty():
            return json_error(ctx, args.json, "leavers.remove-needs-yes", EXIT_USAGE)
        ctx.out(t("leavers.preview", count=len(chosen)))
        for p in chosen[:PREVIEW_ROWS]:
            ctx.out("  " + _row(p))
        if len(chosen) > PREVIEW_ROWS:
            ctx.out("  " + t("leavers.preview-more", count=len(chosen) - PREVIEW_ROWS))
        answer = input(t("leavers.confirm", count=len(chosen)))
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            ctx.out(t("leavers.cancelled-by-user"))
            return EXIT_OK
    if not ctx.settings.maileon.api_key:
        return json_error(ctx, args.json, "cli.no-api-key", EXIT_USAGE)
    cancel = threading.Event()
    try:
        with graceful_interrupt(cancel):
            result = asyncio.run(remove_leavers(ctx.settings, ctx.workspace_root, cancel=cancel,
                                                only=[p.person_no or "" for p in chosen]))
    except LeaversError as exc:
        message = t(exc.key, **exc.params)
        ctx.err(message)
        if exc.hint_id:
            ctx.err(i18n.hint_fix(exc.hint_id, ctx.api_host))
        if args.json:
            ctx.json({"ok": False, "error": exc.key, "message": message, "exit_code": int(exc.exit_code),
                      "run_id": exc.params.get("run")})
        return int(exc.exit_code)
    code = EXIT_REJECTS if result.failed else EXIT_OK
    if args.json:
        ctx.json({"ok": not result.failed, **result.to_json()})
        return code
    ctx.out(t("leavers.done", run=result.run_id, deleted=len(result.deleted),
              absent=len(result.not_in_maileon), failed=len(result.failed)))
    for number, why in result.failed[:PREVIEW_ROWS]:
        ctx.out("  " + t("leavers.failed-row", number=printable(number), detail=printable(why)))
    if result.unsubscribes_pulled:
        ctx.out(t("leavers.pulled", count=result.unsubscribes_pulled))
    return code
