"""`kufertui doctor`: prints the application layer's checks (kufertui.sync.doctor)."""

from __future__ import annotations

import argparse

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.sync.doctor import diagnose

t = i18n.t


def run_doctor(ctx: CommandContext, args: argparse.Namespace) -> int:
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
