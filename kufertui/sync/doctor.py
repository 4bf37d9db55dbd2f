"""The doctor's checks: settings, file rights, key rights, proxy/TLS reachability, unsubscriber window."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kufertui import i18n
from kufertui.config import Settings, redacted_dict
from kufertui.core.exitcodes import EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from kufertui.core.legal import KNotice, k_notice_state
from kufertui.kufer.sql_source import sql_findings
from kufertui.maileon.errors import MaileonError
from kufertui.paths import is_private
from kufertui.store import Workspace, WorkspaceError
from kufertui.sync.connect import check_rights, key_origin
from kufertui.sync.probe.record import pending_records
from kufertui.sync.unsubscribes import pull_age_days

t = i18n.t


@dataclass
class Check:
    name: str
    ok: bool
    text: str
    hint_id: str | None = None
    severity: str = "error"  # error or warning when not ok
    unreachable: bool = False  # a failure of the way to Maileon (exit 3), not of the settings (exit 2)


@dataclass
class DoctorResult:
    checks: list[Check] = field(default_factory=list)
    rights: dict[str, bool] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        failing = [c for c in self.checks if not c.ok and c.severity == "error"]
        if any(c.unreachable for c in failing):
            return EXIT_UNREACHABLE
        return EXIT_USAGE if failing else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "rights": self.rights,
                "checks": [c.__dict__ for c in self.checks]}


def diagnose(settings: Settings, settings_path: Path, workspace_root: Path, transport: Any = None) -> DoctorResult:
    """Every check of `kufertui doctor`, as data; the faces print or show it."""
    result = DoctorResult()
    s = settings
    add = result.checks.append
    for key, message_id in s.problems():
        add(Check("settings", False, f"{key}: {t(message_id)}", "config-invalid"))
    notice = k_notice_state(s.legal.k_notice_confirmed_on)  # the pre-flight's rule (core.legal)
    if notice in (KNotice.CONFIRMED, KNotice.FUTURE):
        ok = notice is KNotice.CONFIRMED
        add(Check("k-notice", ok, t("doctor.k-notice-ok" if ok else "doctor.k-notice-future",
                                    date=s.legal.k_notice_confirmed_on), None if ok else "k-notice-missing",
                  "warning"))
    if settings_path.exists():
        private = is_private(settings_path)
        add(Check("config-file", private, t("doctor.config-file", path=str(settings_path)) if private
                  else t("config.world-readable", path=str(settings_path)), None, "warning"))
    else:
        add(Check("config-file", False, t("doctor.no-config", path=str(settings_path)), None, "warning"))
    try:
        with Workspace.open(workspace_root) as ws:
            age = pull_age_days(ws)
            contacts = ws.contacts.count_by_status()
        add(Check("workspace", True, t("doctor.workspace", path=str(workspace_root),
                                       count=sum(contacts.values()))))
        window = s.unsubscribers.retention_days
        if age is None:
            add(Check("retention", False, t("doctor.never-pulled", days=window), "retention-window", "warning"))
        elif age > window:
            add(Check("retention", False, t("doctor.pull-too-old", age=int(age), days=window),
                      "retention-window", "warning"))
        else:
            days_ago = int(age)  # whole days, as people count them ("vor 0,0 Tagen" read as a glitch)
            add(Check("retention", True, t("doctor.pull-today", days=window) if days_ago == 0
                      else t("doctor.pull-recent", age=days_ago, days=window)))
        leftovers = pending_records(workspace_root)  # a probe killed before it cleaned up (sync/probe/cleanup.py)
        if leftovers:
            add(Check("probe-leftovers", False, t("probe.doctor-leftovers", count=len(leftovers)), None, "warning"))
    except WorkspaceError as exc:
        hint_id = {"workspace.not-a-folder": "workspace-not-a-folder",
                   "workspace.read-only": "workspace-read-only",
                   "workspace.unusable": "workspace-read-only"}.get(exc.message_id, "workspace-corrupt")
        add(Check("workspace", False, t(exc.message_id, **exc.params), hint_id))
    if s.source.kind == "sql":  # the statements as the checks read them, and the least-privilege advice
        for finding in sql_findings(s.source.sql_query, s.source.sql_writeback, s.source.sql_dsn):
            add(Check("sql", finding.ok, t(finding.message_id, **finding.params), None,
                      "error" if not finding.ok else "warning"))
    if not s.maileon.api_key:
        add(Check("api-key", False, t("cli.no-api-key"), "key-invalid"))
        return result
    key_env = s.env_source("maileon.api_key")
    masked = s.maileon.api_key.masked(tail=True)
    add(Check("api-key", True, t("doctor.api-key-env", masked=masked, var=key_env) if key_env
              else t("doctor.api-key", masked=masked)))
    overridden = sorted(filter(None, (s.env_source(where) for where in s.from_env)))
    if overridden:
        add(Check("environment", True, t("doctor.from-env", names=", ".join(overridden))))
    proxy = redacted_dict(s)["proxy"]
    via = {"host": proxy["host"], "port": proxy["port"]}
    try:
        result.rights = asyncio.run(check_rights(s, transport, quick=True))
    except MaileonError as exc:
        if exc.hint_id in ("proxy-socket", "proxy-auth"):  # the proxy itself stopped us
            add(Check("proxy", False, t("doctor.proxy-failed", detail=exc.technical(), **via), exc.hint_id,
                      unreachable=not exc.configuration))
            return result
        if proxy["host"] and exc.status is not None:  # Maileon answered through the proxy
            add(Check("proxy", True, t("doctor.proxy", **via)))
        if exc.configuration:  # Maileon answered: the connection works, the key or its rights do not
            add(Check("api-key", False, t("doctor.key-refused", detail=exc.technical(), origin=key_origin(s)),
                      exc.hint_id))
        else:
            add(Check("connection", False, t("doctor.connection-failed", detail=exc.technical()), exc.hint_id,
                      unreachable=True))
        return result
    if proxy["host"]:
        add(Check("proxy", True, t("doctor.proxy", **via)))
    secure = s.maileon.base_url.lower().startswith("https://")
    add(Check("connection", True, t("doctor.connection-ok" if secure else "doctor.connection-ok-plain",
                                    url=s.maileon.base_url)))
    missing = [m for m, ok in result.rights.items() if not ok]
    add(Check("rights", not missing, t("doctor.rights-missing", methods=", ".join(missing)) if missing
              else t("doctor.rights-ok"), "key-rights" if missing else None))
    return result
