"""Dry run against live Maileon: what an upload would do, per contact, without writing anything."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from kufertui.core.report import RunReport
from kufertui.maileon.client import MaileonClient
from kufertui.platform import write_atomic
from kufertui.store.journal import ContactOutcome
from kufertui.store.workspace import Workspace
from kufertui.sync import events as ev
from kufertui.sync.exports import ExportRow, write_csv
from kufertui.sync.internals.moves import CONFLICT_CODE, TARGET_UNSUBSCRIBED_CODE
from kufertui.sync.objections import objection_targets
from kufertui.sync.plan import Plan

# changed addresses whose unsubscription marker the dry run asks for, at most (one request each)
MOVE_MARKER_CHECKS = 200


async def remote_contacts(client: MaileonClient, fields: list[str], emit: Callable[[ev.Event], None],
                          owners: dict[str, list[str]] | None = None) -> dict[str, dict[str, str | None]]:
    """Every contact in Maileon (e-mail → the standard fields we map), 1000 per page; ``owners`` is
    filled with external id → e-mails, for the moves of changed addresses."""
    out: dict[str, dict[str, str | None]] = {}
    page, pages = 1, 1
    emit(ev.PhaseStarted("dryrun"))
    while page <= pages:
        contacts, pages = await client.get_contacts_page(page, 1000, standard_fields=fields)
        for c in contacts:
            if c.email:
                out[c.email.lower()] = dict(c.standard_fields)
                if owners is not None and c.external_id:
                    owners.setdefault(c.external_id, []).append(c.email)
        emit(ev.Progress("dryrun", page, max(pages, 1)))
        page += 1
    return out


async def compare_with_maileon(client: MaileonClient, ws: Workspace, plan: Plan, report: RunReport,
                               emit: Callable[[ev.Event], None], *,
                               objections: Sequence[tuple[str, str | None]] = ()) -> None:
    fields = sorted({name for p in plan.sendable for name in p.contact.standard_fields})
    owners: dict[str, list[str]] = {}
    remote = await remote_contacts(client, fields, emit, owners)
    outcomes: list[ContactOutcome] = []
    rows: list[dict[str, str]] = []
    marker_checks = MOVE_MARKER_CHECKS
    for p in plan.sendable:
        have = remote.get(p.email.lower())
        held_by = owners.get(p.contact.external_id or "", []) if have is None else []
        if len(held_by) == 1 and held_by[0].lower() not in ws.journal.earlier_emails(p.key, report.run_id):
            held_by = []  # held by an address we never sent for this person: a real run leaves it alone
        refused = False
        if len(held_by) == 1 and marker_checks > 0:
            # a real run refuses to move a contact onto an address Maileon keeps unsubscribed (moves.py)
            marker_checks -= 1
            refused = await client.has_unsubscription_marker(p.email)
        if refused:
            outcome, detail = "invalid", f"{held_by[0]} → {p.email}"
        elif len(held_by) == 1:  # e-mail changed in KUFER: a real run moves the contact (see moves.py)
            outcome, detail = "would-move", held_by[0]
        elif len(held_by) > 1:  # several contacts with our KUFER number: reported, not guessed
            outcome, detail = "move-conflict", ", ".join(held_by[:3])
        elif have is None:
            outcome, detail = "would-create", ""
        else:
            changed = [name for name, value in p.contact.standard_fields.items()
                       if (value or None) != (have.get(name) or None)]
            outcome, detail = ("would-update", ",".join(changed)) if changed else ("unchanged", "")
        # the results pane knows create/update: a move is an update whose detail names the old address
        journaled = {"would-move": "would-update", "move-conflict": "invalid"}.get(outcome, outcome)
        code = {"move-conflict": CONFLICT_CODE, "invalid": TARGET_UNSUBSCRIBED_CODE}.get(outcome)
        outcomes.append(ContactOutcome(p.key, p.email, p.status, journaled, None, code, detail or None))
        rows.append({"email": p.email, "status": p.status, "outcome": outcome, "detail": detail, "code": code or ""})
    for held in plan.held_back:
        rows.append({"email": held.email, "status": held.status, "outcome": held.outcome,
                     "detail": held.detail or "", "code": held.code or ""})
    # KUFER objections: a real run unsubscribes those Maileon has (by KUFER number and by every address sent for
    # the person, see objections.py); the others it finds nothing to unsubscribe
    calls = objection_targets(ws, list(objections))
    found = 0
    for email, _person_no in objections:
        known = any(value.lower() in remote if kind == "email" else bool(owners.get(value))
                    for kind, value in calls.get(email.lower(), [("email", email)]))
        found += known
        rows.append({"email": email, "status": "N", "outcome": "would-unsubscribe" if known else
                     "objection-not-in-maileon", "detail": "", "code": ""})
    if objections:
        report.objections_pending = found
        report.objections_not_in_maileon = len(objections) - found
    ws.journal.record_outcomes(report.run_id, outcomes)
    export_dir = ws.paths.exports_dir
    export_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    csv_path = export_dir / f"dry-run-{stamp}.csv"
    write_csv(csv_path, (ExportRow(r["email"], r["status"], r["outcome"], r["code"], r["detail"]) for r in rows))
    write_atomic(export_dir / f"dry-run-{stamp}.json", json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8"))
    report.upload_xml = None
    report.dry_run_export = str(csv_path)
    emit(ev.DryRunWritten(str(csv_path)))
