"""`kufertui doctor`: prints the application layer's checks (kufertui.sync.doctor); with `--probe`, the assumptions
about Maileon checked on the real account (kufertui.sync.probe), after asking."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from typing import Any

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error, refuse_unusable_workspace
from kufertui.commands.interrupt import graceful_interrupt
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE
from kufertui.core.terminal import printable
from kufertui.sync.doctor import diagnose
from kufertui.sync.probe import (
    STEPS,
    Names,
    clean_leftovers,
    new_names,
    probe_domain_problem,
    render,
    run_probe,
)
from kufertui.sync.probe.steps import CONTACT_ROLES

t = i18n.t


def run_doctor(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.probe or args.cleanup or args.probe_domain or args.yes:
        return _probe(ctx, args)
    result = diagnose(ctx.settings, ctx.settings_path, ctx.workspace_root)
    if args.json:
        ctx.json(result.to_json())
        return result.exit_code
    for check in result.checks:
        mark = "✔" if check.ok else ("⚠" if check.severity == "warning" else "✖")
        ctx.out(f"{mark} {check.text}")
        if not check.ok and check.hint_id:
            ctx.out(f"    {t('cli.fix')}: {i18n.hint_fix(check.hint_id, ctx.api_host)}")
    return result.exit_code


def _progress(text: str) -> None:
    print(t("probe.cleaning") if text == "cleanup" else t("probe.progress", step=text), file=sys.stderr, flush=True)


def _refusal(ctx: CommandContext, args: argparse.Namespace) -> int | None:
    """Why the probe does not start (exit 2), before anything is sent; None when it may."""
    if not args.probe:
        return json_error(ctx, args.json, "probe.cleanup-needs-probe", EXIT_USAGE)
    refused = refuse_unusable_workspace(ctx, args.json)
    if refused is not None:
        return refused
    problems = ctx.settings.problems()
    if problems:
        key, message_id = problems[0]
        return json_error(ctx, args.json, message_id, EXIT_USAGE, hint_id="config-invalid", key=key)
    if not ctx.settings.maileon.api_key:
        return json_error(ctx, args.json, "cli.no-api-key", EXIT_USAGE, hint_id="key-invalid")
    return None


def _asked(ctx: CommandContext, names: Names) -> bool:
    """Show what the probe makes and deletes; True when the admin says yes."""
    ctx.out(t("probe.preview.heading", count=len(STEPS), url=printable(ctx.settings.maileon.base_url)))
    ctx.out(t("probe.preview.contacts", count=len(CONTACT_ROLES), email=names.email("…"), eid=names.eid("…")))
    ctx.out(t("probe.preview.field", field=names.field))
    ctx.out(t("probe.preview.filters", prefix=names.name_prefix))
    ctx.out(t("probe.preview.markers"))
    ctx.out(t("probe.preview.stays"))
    ctx.out(t("probe.preview.reads"))
    ctx.out(t("probe.preview.time"))
    answer = input(t("probe.confirm"))
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def _probe(ctx: CommandContext, args: argparse.Namespace) -> int:
    refused = _refusal(ctx, args)
    if refused is not None:
        return refused
    if args.cleanup:
        return _cleanup(ctx, args)
    problem = probe_domain_problem(args.probe_domain)
    if problem:
        return json_error(ctx, args.json, problem, EXIT_USAGE, domain=printable(args.probe_domain or "")[:80])
    names = new_names(args.probe_domain)
    if not args.yes:
        if args.json or not sys.stdin.isatty():
            return json_error(ctx, args.json, "probe.needs-yes", EXIT_USAGE)
        if not _asked(ctx, names):
            ctx.out(t("probe.cancelled-by-user"))
            return EXIT_OK
    cancel = threading.Event()
    # the first Ctrl+C, or a SIGTERM (a service stopping), ends the probe after it cleaned up; a second Ctrl+C
    # stops at once (what is left stays recorded for --cleanup)
    with graceful_interrupt(cancel, "probe.stopping", sigterm=True, stream=sys.stderr):
        outcome = asyncio.run(run_probe(ctx.settings, ctx.workspace_root, names, cancel=cancel, say=_progress))
    if args.json:
        ctx.json(outcome.to_json())
        return outcome.exit_code
    for line in render(outcome):
        ctx.out(line)
    if outcome.error is not None:
        ctx.out(f"    {t('cli.fix')}: {i18n.hint_fix(outcome.error.hint_id, ctx.api_host)}")
    if outcome.file is not None:
        ctx.out(t("probe.file", path=str(outcome.file)))
    return outcome.exit_code


def _cleanup(ctx: CommandContext, args: argparse.Namespace) -> int:
    done = asyncio.run(clean_leftovers(ctx.settings, ctx.workspace_root))
    if args.json:
        ctx.json(done.to_json())
        return done.exit_code
    lines: list[Any] = []
    if done.removed:
        lines.append(t("probe.cleanup.done", count=done.removed))
    if done.left:
        lines.append(t("probe.cleanup.left", count=len(done.left)))
        lines += [f"  {printable(item)}" for item in done.left[:20]]
    if done.elsewhere:
        lines.append(t("probe.cleanup.elsewhere", count=done.elsewhere))
    if done.error is not None:
        lines.append(t("probe.stopped-error", detail=printable(done.error.technical())))
    for line in lines or [t("probe.cleanup.none")]:
        ctx.out(line)
    return done.exit_code
