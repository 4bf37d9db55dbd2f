"""The test's own model of a VHS for `test_month_unattended.py`: KUFER (its persons, the export it writes,
the write-back files its admin applies), who decided what and when, the seeded plan of each day, and the
checks made after each day from the simulator's state and the files only.

This is the oracle: it imports nothing of kufertui's sync/store code. What kufertui reports or journals is
never read here; only the simulator (contacts, request log) and files (export, write-back, workspace).
"""

from __future__ import annotations

import base64
import csv
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from kufertui.simulator import SimState

IMPORT_FIELD = "ImportAPI"
EXPORT_HEADER = ("TNR", "Anrede", "Titel", "Vorname", "Name", "E-Mail", "Geschlecht", "Newsletter", "Dozent",
                 "Fachbereich", "Geburtsdatum", "Strasse", "PLZ Ort")
FIRST = (("Jörg", "joerg", "Herr", "M"), ("Käthe", "kaethe", "Frau", "W"), ("Bärbel", "baerbel", "Frau", "W"),
         ("Sören", "soeren", "Herr", "M"), ("Zoë", "zoe", "Frau", "W"), ("Ömer", "oemer", "Herr", "M"),
         ("Anna", "anna", "Frau", "W"), ("Renée", "renee", "Frau", "W"), ("Kai", "kai", "", "D"))
LAST = (("Müller", "mueller"), ("Weiß", "weiss"), ("Groß", "gross"), ("Strauß", "strauss"), ("Köhler", "koehler"),
        ("Schäfer", "schaefer"), ("Böhm", "boehm"), ("Özdemir", "oezdemir"), ("Becker", "becker"))
DOMAINS = ("example.org", "vhs-test.de", "posteo.example", "web.example")
DEPARTMENTS = ("Sprachen", "Gesundheit", "Kultur", "Beruf", "Gesellschaft")
# the model's own rule for an address Maileon takes: one @, a dotted domain, no blanks (the generator's
# invalid addresses lack the dot in the domain)
_VALID = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def valid_address(email: str) -> bool:
    return _VALID.fullmatch(email) is not None


@dataclass
class Person:
    number: str
    first: str
    last: str
    salutation: str
    gender: str
    email: str
    status: str  # the KUFER newsletter cell: J, K, N or ""
    addresses: list[str] = field(default_factory=list)  # every address KUFER ever had for the person
    present: bool = True  # in KUFER (and so in its full export)
    decision: str | None = None  # "unsubscribed" (in Maileon) or "objected" (N in KUFER)
    decided_at: int | None = None  # the simulator's request-log length when the decision was made/known
    clicked_on: int | None = None  # the day the person unsubscribed in Maileon
    clicked_late: bool = False  # ... after that day's sync (the write-back follows on the next day)
    # request-log lengths when an imported full export first missed the person, and when one had them again
    absences: list[list[int | None]] = field(default_factory=list)

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def emails_lc(self) -> set[str]:
        return {a.lower() for a in self.addresses}


class Kufer:
    """KUFER as the test sees it: persons, their export, and the N list its admin imports."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.persons: dict[str, Person] = {}
        self.next_number = 100_001
        self.unmatched_rows: list[tuple[str, str]] = []  # write-back rows KUFER could not match: (file, row)
        self.applied: set[tuple[str, bytes]] = set()
        self.rows_by_decision: Counter[str] = Counter()  # applied rows by the person's decision (for the summary)

    # --- persons -------------------------------------------------------------------------------------
    def new_person(self, status: str | None = None, *, invalid: bool = False) -> Person:
        rng = self.rng
        number = str(self.next_number)
        self.next_number += 1
        first, first_ascii, salutation, gender = rng.choice(FIRST)
        last, last_ascii = rng.choice(LAST)
        domain = rng.choice(DOMAINS)
        email = f"{first_ascii}.{last_ascii}.{number[-4:]}@{domain}"
        if invalid:
            email = f"{first_ascii}.{last_ascii}.{number[-4:]}@{domain.split('.')[0]}"  # no dot: Maileon refuses
        if status is None:
            status = rng.choices(("J", "K", "", "N"), (60, 25, 8, 7))[0]
        p = Person(number, first, last, salutation, gender, email, status, [email])
        self.persons[number] = p
        return p

    def change_email(self, p: Person, day: int) -> str:
        if self.rng.random() < 0.15 and valid_address(p.email):
            local, _, domain = p.email.partition("@")
            new = f"{local.capitalize()}@{domain}"  # only the case: the same mailbox, written otherwise
            if new == p.email:
                new = f"{local}.neu{day}@{domain}"
        else:
            local = p.email.partition("@")[0].split(".neu")[0]
            new = f"{local}.neu{day}@{self.rng.choice(DOMAINS)}"
        p.email = new
        p.addresses.append(new)
        return new

    def present(self) -> list[Person]:
        return [p for p in self.persons.values() if p.present]

    def by_email(self, email: str) -> list[Person]:
        return [p for p in self.persons.values() if p.present and p.email.lower() == email.lower()]

    # --- the export ----------------------------------------------------------------------------------
    def write_export(self, path: Path) -> Path:
        """A full KUFER export as KUFER writes it: Windows-1252, `;`, CRLF, German headers, sorted by TNR
        with a few rows out of order (a sort by name in between)."""
        rows = sorted(self.present(), key=lambda p: p.number)
        for _ in range(len(rows) // 20):
            i, j = self.rng.randrange(len(rows)), self.rng.randrange(len(rows))
            rows[i], rows[j] = rows[j], rows[i]
        lines = [";".join(EXPORT_HEADER)]
        for p in rows:
            n = int(p.number)
            dozent = "J" if n % 17 == 0 else ""
            birthday = f"{n % 28 + 1:02d}.{n % 12 + 1:02d}.{1940 + n % 60}"
            lines.append(";".join((p.number, p.salutation, "Dr." if n % 23 == 0 else "", p.first, p.last, p.email,
                                   p.gender, p.status, dozent, DEPARTMENTS[n % len(DEPARTMENTS)], birthday,
                                   f"Hauptstraße {n % 90 + 1}", f"8{n % 10000:04d} Mühldorf a. Inn")))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
        return path

    def imported(self, log_index: int) -> None:
        """An export of this state was just imported: KUFER's N is now known, and who is missing from it left.
        (An objection of a person deleted from KUFER the same day never reaches an export: not known.)"""
        for p in self.persons.values():
            if p.status == "N" and p.present and not p.decided:
                p.decision, p.decided_at = "objected", log_index
            away = bool(p.absences) and p.absences[-1][1] is None
            if not p.present and not away:
                p.absences.append([log_index, None])
            elif p.present and away:
                p.absences[-1][1] = log_index

    # --- the write-back ------------------------------------------------------------------------------
    def apply_writeback_files(self, folder: Path) -> int:
        """What the admin does with kufertui's N lists: import each into KUFER. A row with a TNR finds the
        person by number, one without by the e-mail KUFER holds now. Returns the files applied for the
        first time. Applying a file again changes nothing (N stays N)."""
        applied = 0
        for path in sorted(folder.glob("*.csv")) if folder.exists() else []:
            data = path.read_bytes()
            if (path.name, data) in self.applied:
                continue
            self.applied.add((path.name, data))
            applied += 1
            text = data.decode("utf-8-sig")
            rows = list(csv.reader(text.splitlines(), delimiter=";"))
            assert rows and rows[0][:3] == ["E-Mail", "TNR", "Status"], f"{path.name}: header {rows[:1]}"
            for row in rows[1:]:
                email, number, status = row[0], row[1], row[2]
                assert status == "N", f"{path.name}: {row}"
                by_number = [self.persons[number]] if number in self.persons else []
                targets = by_number if number else self.by_email(email)
                if not targets:
                    self.unmatched_rows.append((path.name, ";".join(row)))
                for p in targets:
                    p.status = "N"
                    self.rows_by_decision[p.decision or "none"] += 1
        return applied


# ----------------------------------------------------------------------------------------- the day plan

# Overload (429, 503 with Retry-After) teaches kufertui's client a slower rate, which it keeps for the next
# runs of the same day (and the simulated days are minutes apart): aimed where the run sends briskly, not at
# its first requests, so that the cut is not to the floor. Outages (503 without Retry-After, other 5xx,
# drops, timeouts) teach nothing and may come anywhere.
FAULT_MENU = (
    "429@POST /contacts#{k}:retry-after=1",
    "429@*#{kk}-{kk2}:retry-after=1",
    "503@POST /contacts#{k}",
    "503@*#{kk}:retry-after=1",
    "500@GET /reports/unsubscriptions#1",
    "502@DELETE /contacts/*#{k}",
    "drop@POST /contacts#{k}",
    "drop@DELETE /contacts/*#{k}",
    "drop@GET /reports/unsubscriptions#1:when=before",
    "504@PUT /contacts/*#1",
    "timeout",  # a held upload request that lands after the client gave up (see Day.fault_spec)
)
# where a kill lands, taken in turn (from a seeded start) so that a few seeds see every one
KILL_POINTS = ("upload", "writeback", "moves", "push", "preflight", "upload", "report")


@dataclass
class Day:
    number: int
    new: int = 0
    signups: int = 0  # "" → J: a new consent recorded in KUFER
    objections: int = 0
    objection_with_change: int = 0  # an objection and a new address in the same export (issue 23.2)
    email_changes: int = 0
    leavers: int = 0
    returners: int = 0  # persons who left and are in the export again
    clicks: int = 0  # recipients unsubscribing in Maileon before the sync
    old_address_clicks: int = 0  # ... under the address KUFER changed today (issue 23.1)
    late_clicks: int = 0  # ... after the day's sync
    pull_alone: bool = False  # `kufertui unsubscribers pull` in the morning
    pull_killed: bool = False  # ... SIGKILLed once its pull is on the ledger, before the write-back
    reimport: bool = False  # the same export imported twice
    forgot_writeback: bool = False
    anonymise: bool = False  # Maileon's retention passes for the entries of the days before
    faults: list[str] = field(default_factory=list)
    kill: str | None = None  # where the sync is killed (then changes happen, then --resume)
    kill_at: int = 1  # for "upload"/"push": the n-th such request of the run

    def fault_spec(self, read_timeout: float) -> str:
        rules = ["delay=0.02"]  # a little latency: answers leave 20 ms after the request came in
        for f in self.faults:
            if f == "timeout":
                rules.append(f"delay@POST /contacts#{self.kill_at + 1}:seconds={read_timeout + 1.0}")
            else:
                rules.append(f)
        return "; ".join(rules)


def plan_days(seed: int, days: int) -> list[Day]:
    """Each day's events, drawn from the seed; every kind of day shows up at least once after day 1."""
    rng = random.Random(seed * 7919 + days)
    plan: list[Day] = [Day(1, clicks=0, pull_alone=False)]  # day 1: the first import and the first sync
    kills = seed % len(KILL_POINTS)
    plan[0].faults = [rng.choice(FAULT_MENU[:4]).format(k=3, kk=12, kk2=13)]
    for n in range(2, days + 1):
        d = Day(n, new=rng.randint(3, 8), signups=rng.randint(0, 2), objections=rng.randint(1, 4),
                objection_with_change=rng.randint(0, 1), email_changes=rng.randint(2, 6),
                leavers=rng.randint(1, 4), clicks=rng.randint(2, 6), old_address_clicks=rng.randint(0, 2),
                late_clicks=rng.randint(0, 2), pull_alone=rng.random() < 0.4, reimport=rng.random() < 0.3,
                returners=rng.choice((0, 0, 1, 2)), pull_killed=rng.random() < 0.3,
                forgot_writeback=rng.random() < 0.25, anonymise=rng.random() < 0.15)
        if rng.random() < 0.8:
            kk = rng.randint(10, 20)
            d.faults = [rng.choice(FAULT_MENU).format(k=rng.randint(2, 5), kk=kk, kk2=kk + rng.randint(0, 2))
                        for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.4:
            d.kill, kills = KILL_POINTS[kills % len(KILL_POINTS)], kills + 1
            d.kill_at = rng.randint(1, 2 if d.kill == "push" else 5)  # within the day's objection calls, batches
        plan.append(d)
    # every kind of day at least once (the short variant has only a few)
    later = plan[1:]
    if later:
        musts = ["kill", "forgot_writeback", "anonymise", "pull_alone", "old_address_clicks",
                 "objection_with_change", "faults"]
        for i, what in enumerate(musts):
            d = later[(seed + i) % len(later)]
            if what == "kill":  # one kill day in every six at least (a kill may miss: no moves that day, say)
                for extra in [x for x in later if not x.kill][:1 + len(later) // 6 - sum(1 for x in later if x.kill)]:
                    extra.kill, extra.kill_at, kills = KILL_POINTS[kills % len(KILL_POINTS)], 1 + seed % 2, kills + 1
            elif what == "forgot_writeback" and not any(x.forgot_writeback for x in later[:-1]):
                # not the last day: a forgotten write-back is applied (and checked) on the next day
                (later[-2] if len(later) > 1 else d).forgot_writeback = len(later) > 1
            elif what == "anonymise" and not any(x.anonymise for x in later):
                d.anonymise = True
            elif what == "pull_alone" and not any(x.pull_alone for x in later):
                d.pull_alone = True
            elif what == "old_address_clicks" and not any(x.old_address_clicks for x in later):
                d.old_address_clicks = 1
            elif what == "objection_with_change" and not any(x.objection_with_change for x in later):
                d.objection_with_change = 1
            elif what == "faults" and sum(1 for x in later if x.faults) < len(later) - 1:
                d.faults = d.faults or ["503@POST /contacts#2", "drop@DELETE /contacts/*#1"]
    plan[-1].forgot_writeback = False  # the last day's files are applied, so that every unsubscribe is checked
    return plan


# ----------------------------------------------------------------------------------------- the oracle

def log_length(state: SimState) -> int:
    with state.lock:
        return len(state.request_log)


@dataclass(frozen=True)
class Send:
    """A request that puts a person into Maileon (an upload, a move): its log position and whom it names."""

    index: int
    method: str
    path: str
    emails: frozenset[str]
    numbers: frozenset[str]


def sends_since(state: SimState, start: int) -> list[Send]:
    """Every upload (`POST /contacts`), move or single write (`PUT`/`POST /contacts/...`) from log position
    ``start`` on, with the addresses and external ids its body (and path) names."""
    with state.lock:
        entries = list(enumerate(state.request_log))[start:]
    out: list[Send] = []
    for index, r in entries:
        if not (r.method in ("POST", "PUT") and r.path.startswith("/contacts")) or not r.complete:
            continue  # a body cut off by a kill never reached Maileon's contacts
        if r.path.startswith("/contacts/fields"):
            continue
        emails: set[str] = set()
        numbers: set[str] = set()
        if r.body.strip():
            root = etree.fromstring(r.body)
            for c in [root] if root.tag == "contact" else root.findall("contact"):
                if (c.findtext("email") or "").strip():
                    emails.add(c.findtext("email").strip().lower())  # type: ignore[union-attr]
                if (c.findtext("external_id") or "").strip():
                    numbers.add(c.findtext("external_id").strip())  # type: ignore[union-attr]
        if r.path.startswith("/contacts/email/"):
            emails.add(unquote(r.path.removeprefix("/contacts/email/")).lower())
        if r.path.startswith("/contacts/externalid/"):
            numbers.add(unquote(r.path.removeprefix("/contacts/externalid/")))
        out.append(Send(index, r.method, r.path, frozenset(emails), frozenset(numbers)))
    return out


def sent_against_will(kufer: Kufer, sends: Iterable[Send]) -> list[str]:
    """Persons named by a send after their decision (unsubscribe, objection) or while they were gone from KUFER
    (from the import of a full export without them to the import of one with them again)."""
    problems: list[str] = []
    sends = list(sends)
    for p in kufer.persons.values():
        spans = [(p.decided_at, None, p.decision)] if p.decided_at is not None else []
        spans += [(start, end, "left KUFER") for start, end in p.absences]
        mine = p.emails_lc()
        for since, until, why in spans:
            for s in sends:
                if s.index >= since and (until is None or s.index < until) and (
                        s.emails & mine or p.number in s.numbers):
                    problems.append(f"{p.number} ({why}) sent again: {s.method} {s.path} #{s.index}")
                    break
    return problems


def active_against_will(kufer: Kufer, state: SimState) -> list[str]:
    """Decided persons that Maileon holds as a contact with a permission, under any address or their number."""
    decided = {p.number: p for p in kufer.persons.values() if p.decided}
    by_email = {a: p for p in decided.values() for a in p.emails_lc()}
    problems: list[str] = []
    with state.lock:
        contacts = list(state.contacts.values())
    for c in contacts:
        if c.permission == 1:
            continue
        p = decided.get(c.external_id or "") or by_email.get((c.email or "").lower())
        if p is not None:
            problems.append(f"{p.number} ({p.decision}) active in Maileon as {c.email} "
                            f"(external id {c.external_id}, permission {c.permission})")
    return problems


def marked(state: SimState) -> dict[str, str | None]:
    """Lower-cased e-mail → external id of every contact with ImportAPI true."""
    with state.lock:
        return {(c.email or "").lower(): c.external_id for c in state.contacts.values()
                if str(c.custom.get(IMPORT_FIELD, "")).lower() == "true"}


def import_api_problems(state: SimState, expected: dict[str, str], tolerated: set[str]) -> list[str]:
    """``expected``: KUFER number → address that must carry ImportAPI (with the number as external id); every
    other contact must not, except contacts of the ``tolerated`` numbers (either way is right for them)."""
    have = marked(state)
    problems = [f"{number} ({email}) selected but ImportAPI not true" for number, email in sorted(expected.items())
                if have.get(email.lower()) != number]
    wanted = {(email.lower(), number) for number, email in expected.items()}
    problems += [f"{email} (external id {eid}) carries ImportAPI but is not selected"
                 for email, eid in sorted(have.items(), key=lambda kv: kv[0])
                 if (email, eid) not in wanted and eid not in tolerated]
    return problems


REPORT_LINE = re.compile(
    r"(\d+) ausgewählt · (\d+) aktualisiert · (\d+) neu · (\d+) ungültig ausgefiltert · (\d+) Abmelder übernommen"
    r"(?: · (\d+) K zurückgehalten)?")


def report_figures(stdout: str) -> tuple[int, list[int]]:
    """The one-line report of `kufertui sync` (German): the selection and its parts."""
    found = REPORT_LINE.findall(stdout)
    assert len(found) == 1, f"expected one report line, found {found!r} in:\n{stdout[-2000:]}"
    selected, *parts = (int(x) if x else 0 for x in found[0])
    return selected, parts


def secret_forms(key: str) -> list[bytes]:
    forms = [key, base64.b64encode(key.encode()).decode(), base64.b64encode((key + ":").encode()).decode(),
             key[4:-4]]
    return [f.encode() for f in forms]


def leaks(key: str, roots: Iterable[Path], outputs: Iterable[str]) -> list[str]:
    """Files (any, byte for byte: SQLite, logs, XML, CSV, TOML) and outputs that contain the key."""
    forms = secret_forms(key)
    found = [str(path) for root in roots if root.exists() for path in root.rglob("*")
             if path.is_file() and any(f in path.read_bytes() for f in forms)]
    found += [f"output: {text[:80]!r}" for text in outputs if any(f in text.encode() for f in forms)]
    return found
