"""The contact dialog asks the run's own pre-flight: its verdict on a contact is what a real dry run
against the in-process simulator does with that contact (control characters, K without the UWG notice)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from tui_helpers import text, wait_for

from kufertui.core.contact import Contact, Status
from kufertui.i18n import cause_label
from kufertui.simulator import create_app
from kufertui.store import ContactOutcome, Workspace
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.engine import SyncEngine, SyncOptions
from kufertui.sync.plan import Planned
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.contact_detail import ContactDetail

CASES = {
    # a line break from an Excel cell, stored by an older version before the import cleaned them
    "control-character": (Contact("jo.control@example.org", Status.J, person_no="990001", first_name="Jo\x0brg",
                                  last_name="Steuer"), True, "control-characters"),
    "k-without-notice": (Contact("k.kunde@example.org", Status.K, person_no="990002", first_name="Karla",
                                 last_name="Kunde"), False, "k-notice-missing"),
    "clean": (Contact("j.sauber@example.org", Status.J, person_no="990003", first_name="Jana",
                      last_name="Sauber"), True, None),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_dialog_verdict_equals_the_dry_run(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                                 case: str) -> None:
    contact, notice_confirmed, code = CASES[case]
    if not notice_confirmed:
        demo.settings.legal.k_notice_confirmed_on = ""
    with Workspace.open(demo.workspace_root) as ws:
        ws.import_contacts([contact], source="test")
        contact_id = int(ws.conn.execute("SELECT id FROM contacts WHERE email_lc=?",
                                         (contact.email.lower(),)).fetchone()[0])

    app = build_app("de")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ContactDetail(contact_id))
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail)
                       and bool(app.screen.query("#detail-body")))
        dialog = app.screen
        assert isinstance(dialog, ContactDetail)
        body = text(app, "#detail-body")
        mappings = list(app.state.mappings)
    if code is None:
        assert "Vorabprüfung bestanden" in body
    else:
        assert "Vorabprüfung bestanden" not in body and "wird zurückgehalten" in body
        assert cause_label(code) in body and code not in body  # the cause in words, not its id

    engine = SyncEngine(demo.settings, demo.workspace_root,
                        transport=httpx.ASGITransport(app=create_app(demo.sim)))
    report = await engine.run(SyncOptions(ids=[contact_id], mappings=mappings, dry_run=True))
    with Workspace.open(demo.workspace_root) as ws:
        [outcome] = ws.journal.outcomes(report.run_id)
    assert outcome.email == contact.email
    verdict = dialog.verdict
    if code is None:
        assert isinstance(verdict, Planned) and outcome.outcome == "would-create"
    else:
        assert isinstance(verdict, ContactOutcome)
        assert (verdict.outcome, verdict.code) == (outcome.outcome, outcome.code)
        assert outcome.code == code


async def test_a_later_duplicate_is_held_back_in_the_dialog_as_in_the_run(build_app: Callable[..., KuferApp],
                                                                          demo: DemoSetup) -> None:
    """Issue 26.1: the dialog said "no pre-flight problems" for EBOEHM1@gmx.de, which every run holds back as
    a duplicate of eboehm1@gmx.de. It now asks the pre-flight in the run's order and names the contact sent."""
    with Workspace.open(demo.workspace_root) as ws:
        rows = ws.conn.execute("SELECT id, email_lc FROM contacts WHERE status IN ('J','K') ORDER BY id").fetchall()
    first: dict[str, int] = {}
    later = None
    for contact_id, email_lc in rows:
        if email_lc in first:
            later = (contact_id, first[email_lc])
            break
        first[email_lc] = contact_id
    assert later is not None, "the demo data has a duplicate address"
    contact_id, kept_id = later

    app = build_app("de")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ContactDetail(contact_id))
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail) and bool(app.screen.query("#detail-body")))
        body = text(app, "#detail-body")
        mappings = list(app.state.mappings)
        selection, ids = app.state.upload_filter(), app.state.upload_ids()
    assert "Vorabprüfung bestanden" not in body, body
    assert "E-Mail doppelt" in body and f"Kontakt #{kept_id}" in body, body

    engine = SyncEngine(demo.settings, demo.workspace_root,
                        transport=httpx.ASGITransport(app=create_app(demo.sim)))
    report = await engine.run(SyncOptions(selection=selection, ids=ids, mappings=mappings, dry_run=True))
    with Workspace.open(demo.workspace_root) as ws:
        key = ws.contacts.get(contact_id).key  # type: ignore[union-attr]
        outcome = next(o for o in ws.journal.outcomes(report.run_id) if o.contact_key == key)
    assert outcome.code == "preflight:5"


async def test_dialog_names_a_person_opted_out_by_number(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    """Issue 23 item 1: the person unsubscribed in Maileon under the address we sent with their number; KUFER
    has another address now. The dialog says so (date, old address), and the verdict is the run's: held back
    by number, as the dry run holds it back."""
    from kufertui.store.ledger import LedgerEntry

    contact = Contact("anna.neu@example.org", Status.J, person_no="100978", first_name="Anna", last_name="Becker")
    with Workspace.open(demo.workspace_root) as ws:
        ws.import_contacts([contact], source="test")
        ws.ledger.record([LedgerEntry("anna.alt@example.org", "100978", "maileon", "link", "2025-01-08 09:30:00",
                                      by_number=True)])
        contact_id = int(ws.conn.execute("SELECT id FROM contacts WHERE person_no='100978'").fetchone()[0])

    app = build_app("de")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ContactDetail(contact_id))
        await wait_for(pilot, lambda: isinstance(app.screen, ContactDetail)
                       and bool(app.screen.query("#detail-body")))
        dialog = app.screen
        assert isinstance(dialog, ContactDetail)
        body = " ".join(text(app, "#detail-body").split())
        mappings = list(app.state.mappings)
    assert "Als Person gesperrt" in body and "2025-01-08" in body and "anna.alt@example.org" in body
    assert cause_label("opted-out-person") in body and "(opted-out-person)" not in body  # in words (26.1)

    engine = SyncEngine(demo.settings, demo.workspace_root,
                        transport=httpx.ASGITransport(app=create_app(demo.sim)))
    report = await engine.run(SyncOptions(ids=[contact_id], mappings=mappings, dry_run=True))
    with Workspace.open(demo.workspace_root) as ws:
        [outcome] = ws.journal.outcomes(report.run_id)
    assert isinstance(dialog.verdict, ContactOutcome)
    assert (dialog.verdict.outcome, dialog.verdict.code) == (outcome.outcome, outcome.code) == (
        "suppressed", "opted-out-person")
