"""A workspace full of hostile values (issue 24.1), imported from a CSV through the real importer and synced
against a Maileon simulator that answers with hostile texts: Textual markup and action spans, a lone
closing tag, Markdown links, ESC/OSC sequences, C1 controls and bidi overrides in every field a screen
shows. Shared by the Pilot tests of every screen and the support bundle test."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from kufertui.config import Secret, Settings, save_settings
from kufertui.core.fields import default_mappings
from kufertui.simulator import SimState, create_app
from kufertui.store import ContactFilter, Workspace
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.importing import import_file

KEY = "hostile-key-0000000000000"
CLICK = "[@click=app.screenshot('x.svg','/tmp/kufertui-hostile')]click-me[/]"
BOLD = "[bold]x[/]"
CLOSE = "[/]"
MD_LINK = "[text](https://evil.example)"
OSC = "\x1b]0;title\x07"
CLEAR = "\x1b[2J"
BIDI = "\u202egpj.exe\u2066x\u2069"
C1 = "\x9b31m\x9d"
HTML = "</text><script>alert(1)</script>&amp;"  # for the SVG of a screenshot

# the values as the CSV carries them (the importer blanks C0 controls such as ESC: they come in below)
EMAIL_CLICK = CLICK  # not an address: held back by the pre-flight, shown as an example on Results
EMAIL_CLOSE = f"{CLOSE}@evil.example"
EMAIL_LINK = f"{MD_LINK}@evil.example"
DEPARTMENT = f"{CLOSE}Kurse {BOLD} {MD_LINK}"
ORGANISATION = f"{MD_LINK} {BOLD}{C1}"
LAST_NAME = f"{BOLD}{BIDI}"
FIRST_NAME = f"{CLOSE}{C1}"
GENDER = f"{CLOSE}W"
DOZENT = CLOSE
ESC_NAME = f"Esc{OSC}{CLEAR}{CLOSE}"  # written into the workspace as an older version stored it
SEGMENT = f"Seg {CLICK} {CLOSE}{BIDI}"  # a hand-edited or old workspace: the name rule of today not applied
# from Maileon
REJECT_FIELD = f"FIELD {CLICK} {MD_LINK}"
UNSUB_SOURCE = f"src {CLICK}"
ERROR = f"denied {CLICK} {CLOSE} {MD_LINK} {OSC}{CLEAR}{C1}{BIDI}"

VICTIM = "victim@vhs-test.de"  # Maileon calls this one invalid, with REJECT_FIELD
LEAVER = "leaver@vhs-test.de"  # unsubscribes in Maileon with UNSUB_SOURCE

# what must be seen literally somewhere (ESC and friends as visible escapes)
LITERALS = (CLICK, BOLD, CLOSE, MD_LINK)


@dataclass
class HostileMaileon:
    """The simulator behind a Maileon that answers with hostile texts: the sync report names REJECT_FIELD
    for VICTIM, and every request matching ``refuse`` (method, path prefix) is answered with ``status``
    and ERROR as its message."""

    sim: SimState
    refuse: set[tuple[str, str]] = field(default_factory=set)
    status: int = 400

    def __post_init__(self) -> None:
        self.app = create_app(self.sim)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"].removeprefix("/1.0")
        if any(method == m and path.startswith(p) for m, p in self.refuse):
            body = json.dumps({"message": ERROR}).encode()
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        if not (method == "POST" and path == "/contacts"):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        body = _invalid_victim(b"".join(chunks)) if start.get("status") == 200 else b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self)  # type: ignore[arg-type]


def _invalid_victim(report: bytes) -> bytes:
    """The sync report with VICTIM called invalid (error 19) for the field REJECT_FIELD (the workspace is
    small: one batch holds everybody)."""
    root = etree.fromstring(report)
    group = root.find("invalid_contacts")
    if group is None:
        group = etree.SubElement(root, "invalid_contacts")
    contact = etree.SubElement(group, "contact")
    etree.SubElement(contact, "email").text = VICTIM
    error = etree.SubElement(contact, "error", code="19")
    etree.SubElement(error, "error_field").text = REJECT_FIELD
    count = root.find("count_invalid_contacts")
    if count is not None:
        count.text = str(int(count.text or 0) + 1)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


CSV_HEADER = "TNR;Anrede;Vorname;Name;E-Mail;Geschlecht;Newsletter;Dozent;Fachbereich;Firma"


def _csv_row(tnr: int, email: str, status: str = "J", *, first: str = "Eva", last: str = "Muster",
             gender: str = "W", dozent: str = "", department: str = "Sprachen", organisation: str = "") -> str:
    cells = [str(tnr), "Frau", first, last, email, gender, status, dozent, department, organisation]
    return ";".join('"' + c.replace('"', '""') + '"' for c in cells)


@dataclass
class HostileSetup:
    root: Path
    settings: Settings
    settings_path: Path
    workspace_root: Path
    sim: SimState
    maileon: HostileMaileon
    runs: dict[str, int]


def build(root: Path) -> HostileSetup:
    """Import, sync (a run whose rejects and unsubscribes carry hostile texts), a dry run, a run that
    Maileon stops with a hostile error, and a segment with a hostile name."""
    root.mkdir(parents=True, exist_ok=True)
    rows = [
        _csv_row(1, EMAIL_CLICK, first=FIRST_NAME, last=LAST_NAME, gender=GENDER, dozent=DOZENT,
                 department=DEPARTMENT, organisation=ORGANISATION),
        _csv_row(2, EMAIL_CLOSE, last=BOLD, department=DEPARTMENT),
        _csv_row(3, EMAIL_LINK, last=MD_LINK, department=MD_LINK, organisation=CLICK),
        _csv_row(4, VICTIM, first=FIRST_NAME, last=LAST_NAME, department=DEPARTMENT, organisation=ORGANISATION,
                 gender=GENDER),
        _csv_row(5, LEAVER, last=CLICK, department=DEPARTMENT),
        _csv_row(6, "esc@vhs-test.de", last="Esc", department=DEPARTMENT),
        _csv_row(7, "plain@vhs-test.de", first=HTML, last="Plain"),
    ]
    csv_path = root / "kufer-export.csv"
    csv_path.write_text(CSV_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    workspace_root = root / "workspace"
    with Workspace.open(workspace_root) as ws:
        import_file(ws, csv_path)
        # ESC cannot come through the importer today: as an older version stored it
        ws.conn.execute("UPDATE contacts SET last_name=?, departments=? WHERE email_lc='esc@vhs-test.de'",
                        (ESC_NAME, f"{DEPARTMENT}{OSC}"))
        ws.conn.commit()
        ws.segments.add(SEGMENT, "KUFER_Seg_hostile", ContactFilter(frozenset({"J"}), department=DEPARTMENT,
                                                                    search=CLOSE))

    sim = SimState.with_key(KEY)
    sim.seed_contact(LEAVER, external_id="5", standard={"LASTNAME": "x"})
    sim.recipient_unsubscribes(LEAVER, source=UNSUB_SOURCE)
    maileon = HostileMaileon(sim)
    settings = Settings()
    settings.maileon.api_key = Secret(KEY)
    settings.maileon.base_url = "http://127.0.0.1:9/1.0"
    settings.maileon.requests_per_second = 0
    settings.legal.k_notice_confirmed_on = date.today().isoformat()
    settings_path = root / "config.toml"
    save_settings(settings, settings_path)

    def run(**kw: Any) -> int:
        engine = SyncEngine(settings, workspace_root, transport=maileon.transport())
        options = SyncOptions(selection=ContactFilter(frozenset({"J", "K"})), mappings=default_mappings(),
                              replace_xml=True, **kw)
        try:
            return asyncio.run(engine.run(options)).run_id or 0
        except SyncAborted:  # a run Maileon stops: its id from the journal
            with Workspace.open(workspace_root) as ws:
                return ws.journal.runs(1)[0].id

    runs = {"sync": run(), "dry": run(dry_run=True)}
    with Workspace.open(workspace_root) as ws:  # a segment refresh as the journal holds it
        segment_run = ws.journal.start_run("sync", selection={}, fields={}, options={"segments": [SEGMENT]})
        counts = {"selected": 1, "new": 1, "segments": [
            {"name": SEGMENT, "members": 1, "joined": 1, "left": 0, "marked": 1}],
            "target_group": {"name": SEGMENT, "error": "maileon-error", "detail": ERROR}}
        ws.journal.finish_run(segment_run, "done", counts=counts, report_line="1 neu")
    runs["segment"] = segment_run
    maileon.refuse = {("GET", "/reports/unsubscriptions")}
    runs["failed"] = run()
    maileon.refuse = set()
    return HostileSetup(root, settings, settings_path, workspace_root, sim, maileon, runs)
