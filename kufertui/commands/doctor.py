"""`kufertui doctor`: settings, file rights, key rights, proxy/TLS reachability, unsubscriber window."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass, field
from typing import Any

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.config import redacted_dict
from kufertui.maileon.client import MaileonClient
from kufertui.maileon.errors import MaileonError
from kufertui.paths import is_private
from kufertui.store import Workspace, WorkspaceError
from kufertui.sync.connect import client_options
from kufertui.sync.unsubscribes import pull_age_days

t = i18n.t


@dataclass
class Check:
    name: str
    ok: bool
    text: str
    hint_id: str | None = None
    severity: str = "error"  # error or warning when not ok


@dataclass
class DoctorResult:
    checks: list[Check] = field(default_factory=list)
    rights: dict[str, bool] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        failing = [c for c in self.checks if not c.ok and c.severity == "error"]
        if any(c.name == "connection" for c in failing):
            return 3
        return 2 if failing else 0

    def to_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "rights": self.rights,
                "checks": [c.__dict__ for c in self.checks]}


def diagnose(ctx: CommandContext, transport: Any = None) -> DoctorResult:
    result = DoctorResult()
    s = ctx.settings
    add = result.checks.append
    for key, message_id in s.problems():
        add(Check("settings", False, f"{key}: {t(message_id)}", "config-invalid"))
    if ctx.settings_path.exists():
        private = is_private(ctx.settings_path)
        add(Check("config-file", private, t("doctor.config-file", path=str(ctx.settings_path)) if private
                  else t("config.world-readable", path=str(ctx.settings_path)), None, "warning"))
    else:
        add(Check("config-file", False, t("doctor.no-config", path=str(ctx.settings_path)), None, "warning"))
    try:
        with Workspace.open(ctx.workspace_root) as ws:
            age = pull_age_days(ws)
            contacts = ws.contacts.count_by_status()
        add(Check("workspace", True, t("doctor.workspace", path=str(ctx.workspace_root),
                                       count=sum(contacts.values()))))
        window = s.unsubscribers.retention_days
        if age is None:
            add(Check("retention", False, t("doctor.never-pulled", days=window), "retention-window", "warning"))
        elif age > window:
            add(Check("retention", False, t("doctor.pull-too-old", age=int(age), days=window),
                      "retention-window", "warning"))
        else:
            add(Check("retention", True, t("doctor.pull-recent", age=round(age, 1), days=window)))
    except WorkspaceError as exc:
        add(Check("workspace", False, t(exc.message_id, **exc.params), "workspace-corrupt"))
    if not s.maileon.api_key:
        add(Check("api-key", False, t("cli.no-api-key"), "key-invalid"))
        return result
    add(Check("api-key", True, t("doctor.api-key", masked=s.maileon.api_key.masked())))
    proxy = redacted_dict(s)["proxy"]
    if proxy["host"]:
        add(Check("proxy", True, t("doctor.proxy", host=proxy["host"], port=proxy["port"])))

    async def rights() -> dict[str, bool]:
        options = client_options(s)
        options.max_retries = 1  # a check answers quickly; the sync itself retries patiently
        async with MaileonClient(options, transport=transport) as client:
            return await client.check_rights()

    try:
        result.rights = asyncio.run(rights())
    except MaileonError as exc:
        add(Check("connection", False, t("doctor.connection-failed", detail=str(exc)), exc.hint_id))
        return result
    add(Check("connection", True, t("doctor.connection-ok", url=s.maileon.base_url)))
    missing = [m for m, ok in result.rights.items() if not ok]
    add(Check("rights", not missing, t("doctor.rights-missing", methods=", ".join(missing)) if missing
              else t("doctor.rights-ok"), "key-rights" if missing else None))
    return result


def run_doctor(ctx: CommandContext, args: argparse.Namespace) -> int:
    result = diagnose(ctx)
    if args.json:
        ctx.json(result.to_json())
        return result.exit_code
    for check in result.checks:
        mark = "✔" if check.ok else ("⚠" if check.severity == "warning" else "✖")
        ctx.out(f"{mark} {check.text}")
        if not check.ok and check.hint_id:
            ctx.out(f"    {t('cli.fix')}: {i18n.hint_fix(check.hint_id)}")
    return result.exit_code
