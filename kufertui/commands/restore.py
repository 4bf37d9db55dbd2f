"""`kufertui unsubscribers restore TNR --status J --note …`: the administration records a new consent.

A person who unsubscribed in Maileon under an address kufertui sent with their KUFER number is opted out by
number: no import lifts it, whatever KUFER says. A new consent (a signed form, a new double opt-in) is the
administration's decision, recorded here with the number, the status to restore and a note; the address they
unsubscribed stays suppressed, as Maileon's own marker stays.
"""

from __future__ import annotations

import argparse

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.core.contact import Status
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE
from kufertui.core.terminal import printable
from kufertui.sync.unsubscribes import RestoreRefused, restore_person


def run_restore(ctx: CommandContext, args: argparse.Namespace) -> int:
    number = args.person_no.strip()
    note = args.note.strip()
    if not note:
        return json_error(ctx, args.json, "cli.restore-needs-note", EXIT_USAGE)
    try:
        opted_out = restore_person(ctx.workspace_root, number, Status(args.status), note)
    except RestoreRefused as exc:
        params = {k: printable(v) if k == "number" else v for k, v in exc.params.items()}
        return json_error(ctx, args.json, exc.key, EXIT_USAGE, hint_id=exc.hint_id, **params)
    when = (opted_out.occurred_at or opted_out.recorded_at)[:10]
    if args.json:
        ctx.json({"ok": True, "exit_code": EXIT_OK, "person_no": number, "status": args.status,
                  "unsubscribed_email": opted_out.email, "unsubscribed_on": when, "note": note})
    else:
        ctx.out(i18n.t("cli.restored", number=printable(number), email=printable(opted_out.email), when=when,
                       status=args.status, note=printable(note)))
    return EXIT_OK
