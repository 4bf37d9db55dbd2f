"""Shared builders for the end-to-end sync and CLI tests: workspaces, settings, engine runs,
simulator snapshots, a recording transport over a real socket, and the CLI as a subprocess."""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from kufertui.config import Secret, Settings, save_settings
from kufertui.core.contact import Contact, Status
from kufertui.core.fields import FieldMapping, default_mappings
from kufertui.core.report import RunReport
from kufertui.maileon.client import MaileonClient
from kufertui.simulator import SimState
from kufertui.store import ContactFilter, Workspace
from kufertui.sync import events as ev
from kufertui.sync.connect import client_options
from kufertui.sync.engine import SyncEngine, SyncOptions

API_KEY = "e2e-key-Qw3rty-0123456789"
REPO = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------------------ contacts

def person(i: int, status: str = "J", *, domain: str = "vhs-test.de", **kw: Any) -> Contact:
    """A well-formed KUFER contact with person number ``i``."""
    values: dict[str, Any] = dict(email=f"p{i:05d}@{domain}", status=Status(status), person_no=str(10000 + i),
                                  salutation="Frau" if i % 2 else "Herr", first_name=f"Vor{i}",
                                  last_name=f"Nach{i}")
    values.update(kw)
    return Contact(**values)


def seed_workspace(root: Path, contacts: Iterable[Contact]) -> None:
    with Workspace.open(root) as ws:
        ws.import_contacts(list(contacts), source="test")


def set_status(root: Path, emails: Iterable[str], status: str) -> None:
    """What a KUFER re-import does when an admin records an objection: the contact becomes N."""
    with Workspace.open(root) as ws:
        for e in emails:
            ws.conn.execute("UPDATE contacts SET status=?, n_source=NULL WHERE email_lc=?", (status, e.lower()))
        ws.conn.commit()


def statuses(root: Path) -> dict[str, str]:
    with Workspace.open(root) as ws:
        return {c.email.lower(): c.status.value for _, c in ws.contacts.iter_contacts()}


# ------------------------------------------------------------------------------------------ settings

def make_settings(base_url: str, *, batch_size: int = 50, lang: str = "de", in_flight: int = 4) -> Settings:
    s = Settings()
    s.maileon.api_key = Secret(API_KEY)
    s.maileon.base_url = base_url
    s.maileon.batch_size = batch_size
    s.maileon.batches_in_flight = in_flight
    s.maileon.requests_per_second = 0  # no pacing in tests
    s.maileon.connect_timeout = 2.0
    s.maileon.read_timeout = 10.0
    s.ui.language = lang
    s.legal.k_notice_confirmed_on = date.today().isoformat()
    return s


def fast_client_factory(settings: Settings, transport: httpx.AsyncBaseTransport | None = None
                        ) -> Callable[[], MaileonClient]:
    """The engine's own client options with a tiny backoff, so fault tests stay fast."""
    def make() -> MaileonClient:
        opts = replace(client_options(settings), backoff_base_s=0.01, backoff_max_s=0.05, max_retries=8,
                       retry_budget_s=30.0)
        return MaileonClient(opts, transport=transport)
    return make


def sim_state() -> SimState:
    return SimState.with_key(API_KEY, strict_media=True)  # a write without Content-Type is answered 415


# ------------------------------------------------------------------------------------------ engine

@dataclass
class EngineRun:
    report: RunReport
    events: list[ev.Event] = field(default_factory=list)

    def messages(self) -> list[str]:
        return [e.key for e in self.events if isinstance(e, ev.Message)]


def run_engine(settings: Settings, root: Path, options: SyncOptions | None = None, *,
               transport: httpx.AsyncBaseTransport | None = None,
               client_factory: Callable[[], MaileonClient] | None = None) -> EngineRun:
    events: list[ev.Event] = []
    engine = SyncEngine(settings, root, on_event=events.append, transport=transport,
                        client_factory=client_factory)
    options = options or sync_options()
    report = asyncio.run(engine.run(options))
    return EngineRun(report, events)


def sync_options(mappings: Sequence[FieldMapping] | None = None, **kw: Any) -> SyncOptions:
    kw.setdefault("replace_xml", True)
    return SyncOptions(selection=ContactFilter(frozenset({"J", "K"})),
                       mappings=list(mappings) if mappings is not None else default_mappings(), **kw)


# ------------------------------------------------------------------------------------------ recording

@dataclass
class Recorded:
    method: str
    path: str
    query: str
    body: bytes
    status: int | None


class RecordingTransport(httpx.AsyncBaseTransport):
    """A real socket transport that remembers every request (method, path, body, status)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[Recorded] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        rec = Recorded(request.method, request.url.path.removeprefix("/1.0"), request.url.query.decode(),
                       body, None)
        self.requests.append(rec)
        resp = await self.inner.handle_async_request(request)
        rec.status = resp.status_code
        return resp

    async def aclose(self) -> None:
        await self.inner.aclose()

    def count(self, method: str, prefix: str = "") -> int:
        return sum(1 for r in self.requests if r.method == method and r.path.startswith(prefix))

    def sync_bodies(self) -> bytes:
        return b"\n".join(r.body for r in self.requests if r.method == "POST" and r.path == "/contacts")


# ------------------------------------------------------------------------------------------ simulator

def sim_snapshot(state: SimState) -> dict[str, Any]:
    """Everything about the simulated account that an upload can change, in comparable form."""
    with state.lock:
        contacts = {email: (c.external_id, c.permission, tuple(sorted(c.standard.items())),
                            tuple(sorted(c.custom.items())), c.anonymous)
                    for email, c in state.contacts.items()}
        return {"contacts": contacts, "custom_fields": dict(state.custom_fields),
                "anonymised": len(state.anonymised), "markers": sorted(state.markers),
                "unsubscriptions": len(state.unsubscriptions), "filters": len(state.filters),
                "target_groups": len(state.target_groups)}


def import_api_true(state: SimState, field_name: str = "ImportAPI") -> int:
    return sum(1 for c in state.contacts.values() if str(c.custom.get(field_name, "")).lower() == "true")


def read_semicolon_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "write-back CSV must start with a UTF-8 BOM"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


# ------------------------------------------------------------------------------------------ CLI

@dataclass
class CliPaths:
    home: Path
    config: Path
    workspace: Path


def cli_paths(tmp_path: Path, settings: Settings) -> CliPaths:
    """A config file (no API key in it: that comes from the environment) and a workspace folder."""
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    stored = replace(settings, maileon=replace(settings.maileon, api_key=Secret("")))
    config = save_settings(stored, tmp_path / "config" / "config.toml")
    return CliPaths(home, config, tmp_path / "workspace")


def cli_env(paths: CliPaths, api_key: str = API_KEY, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUFERTUI_")}
    env.update(KUFERTUI_HOME=str(paths.home), KUFERTUI_API_KEY=api_key, PYTHONUNBUFFERED="1", CI="1")
    env.update(extra)
    return env


def cli_argv(paths: CliPaths, *args: str) -> list[str]:
    """``python -m kufertui <command> ... --config C --workspace W`` (options after the subcommand)."""
    return [sys.executable, "-m", "kufertui", *args, "--config", str(paths.config),
            "--workspace", str(paths.workspace)]


def run_cli(paths: CliPaths, *args: str, api_key: str = API_KEY, timeout: float = 60,
            **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_argv(paths, *args), env=cli_env(paths, api_key, **env), capture_output=True,
                          text=True, timeout=timeout, cwd=REPO)


def run_clis_at_once(jobs: list[tuple[CliPaths, tuple[str, ...]]], *, timeout: float = 60
                     ) -> list[subprocess.CompletedProcess[str]]:
    """Several CLI runs started together, each as run_cli would (give each its own workspace: a sync holds
    the workspace lock). For runs that spend their time waiting (retries to a port nobody listens on)."""
    procs = [(args, subprocess.Popen(cli_argv(paths, *args), env=cli_env(paths, API_KEY), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=REPO)) for paths, args in jobs]
    results = []
    for args, proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append(subprocess.CompletedProcess([*args], proc.returncode, out, err))
    return results
