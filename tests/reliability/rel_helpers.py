"""Shared building blocks of the reliability suite: a small KUFER export, a workspace imported from
it, settings pointing at a simulator, the engine run the way `kufertui sync` runs it, and a
normalised view of the simulator's final state (ids and timestamps left out)."""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kufertui.config import Secret, Settings, save_settings
from kufertui.maileon.client import MaileonClient
from kufertui.simulator import SimState
from kufertui.store import ContactFilter, Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import client_options
from kufertui.sync.engine import SyncAborted, SyncEngine, SyncOptions
from kufertui.sync.importing import import_file
from kufertui.sync.mapping import mappings_from_settings

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# A canary: if this string shows up anywhere it must not, a test fails. Used as the API key of
# every reliability scenario.
CANARY_KEY = "CANARY-k3y-7f1d9a0b-do-not-leak-5e2c"
IMPORT_FIELD = "ImportAPI"
HEADER = "TNR;Anrede;Vorname;Name;E-Mail;Newsletter"
FIRST = ("Jörg", "Käthe", "Bärbel", "Sören", "Zoë", "Ömer", "Jürgen", "Renée")
LAST = ("Müller", "Weiß", "Groß", "Strauß", "Köhler", "Schäfer", "Böhm", "Özdemir")


def contact_rows(n: int, seed: int = 1, *, n_status: int = 0) -> list[dict[str, str]]:
    """n KUFER rows with unique addresses, J and K mixed, the last ``n_status`` with status N."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        status = "N" if i >= n - n_status else rng.choice("JJJK")
        rows.append({"TNR": str(1000 + i), "Anrede": rng.choice(("Frau", "Herr")),
                     "Vorname": rng.choice(FIRST), "Name": rng.choice(LAST),
                     "E-Mail": f"person{i:04d}@example.org", "Newsletter": status})
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [HEADER] + [";".join(r[h] for h in HEADER.split(";")) for r in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def make_workspace(root: Path, n: int = 60, seed: int = 1, *, n_status: int = 0) -> Path:
    """A workspace with n imported contacts (returns the workspace folder)."""
    root.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(root / "kufer.csv", contact_rows(n, seed, n_status=n_status))
    ws_root = root / "workspace"
    with Workspace.open(ws_root) as ws:
        import_file(ws, csv_path)
    return ws_root


def make_settings(base_url: str, *, key: str = CANARY_KEY, batch_size: int = 20, in_flight: int = 2,
                  read_timeout: float = 5.0, rps: float = 0.0) -> Settings:
    s = Settings()
    s.maileon.api_key = Secret(key)
    s.maileon.base_url = base_url
    s.maileon.batch_size = batch_size
    s.maileon.batches_in_flight = in_flight
    s.maileon.read_timeout = read_timeout
    s.maileon.connect_timeout = 2.0
    s.maileon.requests_per_second = rps
    s.maileon.import_field = IMPORT_FIELD
    s.legal.k_notice_confirmed_on = date.today().isoformat()
    return s


def write_config(path: Path, settings: Settings, *, with_key: bool = False) -> Path:
    """The settings as a TOML file; the key only goes in when asked (normally it comes from the env)."""
    saved = settings.maileon.api_key
    if not with_key:
        settings.maileon.api_key = Secret("")
    try:
        save_settings(settings, path)
    finally:
        settings.maileon.api_key = saved
    return path


def seed_sim(key: str = CANARY_KEY) -> SimState:
    """A simulator account with history: ImportAPI exists and is true on a contact from an older
    upload (a clean run must clear it), and one contact of the KUFER list already exists."""
    state = SimState.with_key(key)
    state.log_requests = True
    state.custom_fields[IMPORT_FIELD] = "boolean"
    state.seed_contact("old.upload@example.org", external_id="99", custom={IMPORT_FIELD: "true"})
    state.seed_contact("person0001@example.org", external_id="1001", standard={"LASTNAME": "Alt"})
    return state


def fast_client_factory(settings: Settings, **kw: Any) -> Any:
    """Client options as the engine builds them, with a quick backoff so retries stay fast."""
    def make() -> MaileonClient:
        base = client_options(settings)
        opts: dict[str, Any] = dict(backoff_base_s=0.02, backoff_max_s=0.1, max_retries=3, retry_budget_s=20.0)
        opts.update(kw)
        for k, v in opts.items():
            setattr(base, k, v)
        return MaileonClient(base)
    return make


@dataclass
class RunOutcome:
    exit_code: int
    failed: ev.Failed | None
    report: Any
    events: list[ev.Event]


def run_engine(settings: Settings, ws_root: Path, *, resume: bool = False, replace_xml: bool = True,
               client_kw: dict[str, Any] | None = None, shipped: bool = False) -> RunOutcome:
    """What `kufertui sync [--resume] --yes` does, in process (so a test can use fast backoff). ``shipped``: with
    the client options exactly as kufertui builds them (maileon/options.py: attempts, budget, backoff)."""
    options = SyncOptions(selection=ContactFilter(frozenset({"J", "K"})),
                          mappings=mappings_from_settings(settings), replace_xml=replace_xml)
    if resume:
        with Workspace.open(ws_root) as ws:
            record = ws.journal.resumable_run()
        if record is None:
            return RunOutcome(2, None, None, [])
        options.resume_run_id = record.id  # the engine restores the run's own selection and fields
    events: list[ev.Event] = []
    engine = SyncEngine(settings, ws_root, on_event=events.append,
                        client_factory=None if shipped else fast_client_factory(settings, **(client_kw or {})))
    try:
        report = asyncio.run(engine.run(options))
    except SyncAborted as exc:
        return RunOutcome(exc.failed.exit_code, exc.failed, None, events)
    return RunOutcome(1 if report.invalid else 0, None, report, events)


def snapshot(state: SimState) -> dict[str, Any]:
    """The simulator's account as a comparable value: contacts by e-mail (fields, permission,
    external id), custom fields, markers, unsubscribed addresses. Ids and timestamps are left out."""
    with state.lock:
        contacts = {
            email: (c.external_id, c.permission, tuple(sorted(c.standard.items())),
                    tuple(sorted(c.custom.items())))
            for email, c in state.contacts.items()}
        return {"contacts": contacts, "custom_fields": dict(state.custom_fields),
                "markers": sorted(state.markers),
                "unsubscribed": sorted((u.external_id or "") for u in state.unsubscriptions),
                "anonymised": len(state.anonymised)}


def journal_accounting(ws_root: Path, run_id: int | None = None) -> dict[str, Any]:
    """Per-contact outcomes of the newest sync run (or ``run_id``), straight from SQLite."""
    conn = sqlite3.connect(ws_root / "workspace.sqlite")
    try:
        if run_id is None:
            run_id = conn.execute("SELECT MAX(id) FROM runs WHERE kind='sync'").fetchone()[0]
        rows = conn.execute("SELECT contact_key, outcome FROM run_contacts WHERE run_id=?", (run_id,)).fetchall()
        state = conn.execute("SELECT state FROM runs WHERE id=?", (run_id,)).fetchone()[0]
        batches = conn.execute("SELECT state, COUNT(*) FROM batches WHERE run_id=? GROUP BY state",
                               (run_id,)).fetchall()
    finally:
        conn.close()
    keys = [k for k, _ in rows]
    return {"run_id": run_id, "state": state, "keys": keys, "outcomes": dict(rows),
            "batches": dict(batches)}


def selected_keys(ws_root: Path) -> set[str]:
    with Workspace.open(ws_root) as ws:
        return {c.key for _, c in ws.contacts.iter_contacts(ContactFilter(frozenset({"J", "K"})))}


def cli_env(home: Path, *, key: str | None = CANARY_KEY, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    env["KUFERTUI_HOME"] = str(home)
    env["CI"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    if key is not None:
        env["KUFERTUI_API_KEY"] = key
    env.update(extra)
    return env
