"""Issue 26, "wrong or misleading information" and "one language": History tells a segment refresh's dry run
apart (2), Results say where a cause was found (4), the objection estimate is what the run does (5), the
banner follows a dry run's pull (6), grammar (17), Settings in words and in the handbook's sections (18),
the KUFER number shown as the external id it is (19)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from textual.widgets import DataTable, Select, Static
from tui_helpers import text, wait_for, workers_done

from kufertui.core.contact import Contact, Status
from kufertui.core.report import RunReport, report_line
from kufertui.messages.hints import HINTS
from kufertui.store import ContactFilter, ContactOutcome, Workspace
from kufertui.sync.connect import LEARNED_AT_KEY, LEARNED_RATE_KEY
from kufertui.sync.demo_setup import DemoSetup
from kufertui.sync.segments import add_segment
from kufertui.sync.unsubscribes import objections_to_push
from kufertui.tui.app import KuferApp
from kufertui.tui.modals.hint import HintModal
from kufertui.tui.modals.segments import SegmentsModal
from kufertui.tui.screens.fields import FieldsScreen
from kufertui.tui.screens.history import HistoryScreen
from kufertui.tui.screens.results import ResultsScreen
from kufertui.tui.screens.settings import SettingsScreen
from kufertui.tui.screens.upload import UploadScreen
from kufertui.tui.widgets.banner import RetentionBanner
from kufertui.tui.widgets.dryrun_pane import DryRunPane

SMALL = (80, 24)


async def test_history_tells_a_segment_refreshs_dry_run_from_the_real_one(build_app: Callable[..., KuferApp],
                                                                        demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        for kind, options in (("sync", {"segments": ["Dozenten"]}),
                              ("dry-run", {"segments": ["Dozenten"], "dry_run": True})):
            run_id = ws.journal.start_run(kind, selection={}, fields={}, options=options)
            ws.journal.finish_run(run_id, "done", counts={})
    app = build_app("de")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        table = app.screen.query_one("#runs", DataTable)
        kinds = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]  # newest first
    assert kinds == ["Probelauf Segmente: Dozenten", "Segmente: Dozenten"]


def _run_with_rejects(demo: DemoSetup, by_code: dict[str, int]) -> int:
    report = RunReport(selected=50, new=50 - sum(by_code.values()), rejects_by_code=by_code)
    with Workspace.open(demo.workspace_root) as ws:
        run_id = ws.journal.start_run("sync", selection={}, fields={}, options={})
        report.run_id = run_id
        ws.journal.record_outcomes(run_id, [
            ContactOutcome(f"email:{c}.{i}", f"person{c}.{i}@example.org", "K", "rejected", None, code, "")
            for c, (code, n) in enumerate(by_code.items()) for i in range(n)])
        ws.journal.finish_run(run_id, "done", counts=report.to_json(), report_line=report_line(report))
    return run_id


@pytest.mark.parametrize(("code", "origin", "title"), [
    ("preflight:5", "nie an Maileon gesendet", "Vorabprüfung: E-Mail doppelt"),
    ("k-notice-missing", "nie an Maileon gesendet", "K-Kontakte warten auf Ihre Bestätigung"),
    ("maileon:19", "von Maileon abgelehnt (Maileon-Code 19)", "Maileon-Code 19: Geschlecht ungültig"),
])
async def test_results_say_where_a_cause_was_found(build_app: Callable[..., KuferApp], demo: DemoSetup,
                                                   code: str, origin: str, title: str) -> None:
    """A local pre-flight cause read "Maileon-Code 5: E-Mail-Adresse doppelt" although Maileon never saw the
    contact, and captions showed raw ids ("k-notice-missing · Beispiele:", "Regel 5")."""
    _run_with_rejects(demo, {code: 3})
    app = build_app("de")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen) and bool(app.screen.groups))
        caption = text(app, "#reject-detail")
        assert origin in caption.split(" · ")[0], caption
        assert code not in caption and "Regel" not in caption
        app.screen.query_one("#rejects").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HintModal))
        shown = app.screen.text()  # type: ignore[attr-defined]  # as shown and as F8 copies it
        extra = str(app.screen.query_one("#hint-extra", Static).render())
    assert shown.split("\n")[0] == title, shown.split("\n")[0]
    assert code not in extra and "3 Kontakte" in extra


def _announced(app: KuferApp) -> re.Match[str] | None:
    return re.search(r"zuerst (\d+) Widersprüche aus KUFER an Maileon melden: ([^\n]*)", text(app, "#confirm-text"))


async def test_objections_announced_are_the_ones_the_run_passes_on(build_app: Callable[..., KuferApp],
                                                                  demo: DemoSetup) -> None:
    """169 announced, 166 counted: two N contacts with one address are one objection (the ledger keeps one)."""
    with Workspace.open(demo.workspace_root) as ws:
        ws.import_contacts([Contact("Doppelt.Widerspruch@example.org", Status.N, person_no="990101"),
                            Contact("doppelt.widerspruch@example.org", Status.N, person_no="990102")], source="test")
        expected = objections_to_push(ws)
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        found = _announced(app)
        assert found is not None, text(app, "#confirm-text")
        announced = int(found.group(1))
        assert "Min." not in found.group(2)  # no rate learned yet: no time promised
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen), timeout=60)
        await workers_done(app)
        report = app.screen.report  # type: ignore[attr-defined]
    assert announced == expected
    assert report.objections_pushed + report.objections_not_in_maileon == announced


async def test_objection_time_comes_from_the_learned_rate(build_app: Callable[..., KuferApp],
                                                         demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        ws.set_meta(LEARNED_RATE_KEY, "0.200")  # Maileon allowed 0.2 requests/s on the last run, just now
        ws.set_meta(LEARNED_AT_KEY, datetime.now(UTC).isoformat(timespec="seconds"))
        n = objections_to_push(ws)
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        found = _announced(app)
    assert found is not None
    minutes = max(1, round(n / 0.2 / 60))
    assert found.group(2).startswith(f"etwa {minutes} Min. bei 0,2 Anfragen/s"), found.group(2)


async def test_the_banner_goes_once_a_dry_run_has_pulled(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        banner = app.screen.query_one(RetentionBanner)
        assert banner.has_class("-shown") and "nie abgeholt" in str(banner.render())
        await pilot.press("ctrl+d")
        pane = app.screen.query_one("#dry-pane", DryRunPane)
        await wait_for(pilot, lambda: pane.result is not None, timeout=90)
        await pilot.pause()
        assert isinstance(app.screen, UploadScreen)  # still here, no other screen opened
        assert not banner.has_class("-shown"), str(banner.render())


async def test_one_contact_is_one_kontakt(build_app: Callable[..., KuferApp], demo: DemoSetup) -> None:
    with Workspace.open(demo.workspace_root) as ws:
        email = ws.conn.execute("SELECT email FROM contacts WHERE status='J' ORDER BY id LIMIT 1").fetchone()[0]
        add_segment(ws, "Einzeln", ContactFilter(frozenset({"J", "K"}), None, None, email))
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash", *email, "enter")
        await wait_for(pilot, lambda: "1 J/K-Kontakt" in text(app, "#selection-line"))
        assert "1 J/K-Kontakte" not in text(app, "#selection-line")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, SegmentsModal) and bool(app.screen.members))
        await pilot.pause()
        row = str(app.screen.query_one("#seg-list").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
    assert "Einzeln · 1 Kontakt · " in row, row


async def test_the_language_note_only_when_the_language_changed(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.press("ctrl+o")
        await pilot.pause()
        saved = [n.message for n in app._notifications if n.message.startswith("Gespeichert")]
        assert saved and "Sprache" not in saved[-1]
        app.screen.query_one("#set-ui-language", Select).value = "en"
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        saved = [n.message for n in app._notifications if n.message.startswith("Gespeichert")]
        assert "Die neue Sprache gilt ab dem nächsten Start." in saved[-1]


async def test_english_says_save_and_passes_objections_on(build_app: Callable[..., KuferApp]) -> None:

    app = build_app("en")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        await pilot.pause()
        footer = {k.description: k.key_display for k in app.screen.query("FooterKey")}
        assert footer.get("Save") == "Ctrl+O" and "Keep" not in footer
        await pilot.press("f4")
        await pilot.pause()
        confirm = text(app, "#confirm-text")
    assert re.search(r"first, \d+ objections from KUFER are passed on to Maileon", confirm), confirm
    assert "first pass" not in confirm


def _handbook_sections(lang: str) -> set[str]:
    """The sections of our Settings the handbook sends the reader to ("Einstellungen > Proxy"); Maileon's own
    settings ("in Maileon unter Einstellungen > API-Keys") are not ours."""
    word = "Einstellungen" if lang == "de" else "Settings"
    found: set[str] = set()
    for h in HINTS:
        for part in (h.fix(lang), h.cause(lang)):
            for match in re.finditer(rf"{word}\s*>\s*([\wÄÖÜäöü-]+)", part):
                if "Maileon" not in part[max(0, match.start() - 22):match.start()]:
                    found.add(match.group(1))
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_settings_have_the_handbooks_sections_and_choices_in_words(build_app: Callable[..., KuferApp],
                                                                         lang: str) -> None:
    app = build_app(lang)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        sections = {str(s.render()) for s in app.screen.query(".form-section").results(Static)}
        permission = app.screen.query_one("#set-permissions-J", Select)
        shown = [str(permission._options[i][0]) for i in range(len(permission._options))]
        language = [str(p) for p, _ in app.screen.query_one("#set-ui-language", Select)._options]
    wanted = _handbook_sections(lang)
    assert wanted and wanted <= sections, wanted - sections
    assert ("Double-Opt-in (doi)" if lang == "de" else "double opt-in (doi)") in shown
    assert "doi" not in shown and "other" not in shown  # not the bare codes
    assert any(p.startswith("Deutsch") for p in language) and "de" not in language


async def test_the_kufer_number_is_shown_as_the_external_id_it_is(build_app: Callable[..., KuferApp]) -> None:
    app = build_app("de")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldsScreen))
        await pilot.pause()
        table = app.screen.query_one("#field-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert "<external_id>" in text(app, "#xml-preview")
        await pilot.press("f4")
        await pilot.pause()
        confirm = text(app, "#confirm-text")
    assert rows["Teilnehmernummer"] == "externe ID"
    assert "Teilnehmernummer → externe ID" in confirm and "Anrede → SALUTATION" in confirm
    assert "E-Mail und Anrede" not in confirm


def test_one_member_reads_right_in_the_upload_log() -> None:
    """The engine's segment lines in the Upload log said "1 Mitglieder"; they name the figure after a colon."""
    from kufertui.i18n import t

    for key in ("segment.refreshed", "segment.dry-run"):
        line = t(key, "de", name="Einzeln", members=1, joined=1, left=0, marked=1, field="F", count=1)
        assert "1 Mitglieder" not in line and "Mitglieder: 1" in line, line
