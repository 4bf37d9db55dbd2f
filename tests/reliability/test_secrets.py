"""Secrets (issue 7.5): a canary API key goes through the scenarios — sync success, 401, 403,
5xx, TLS and proxy failures, doctor, demo --headless, import — and must appear nowhere: stdout,
stderr, log files, the journal (SQLite dump), XML upload files, write-back files, exception texts,
`ps` output. The key never is on a command line (it comes from KUFERTUI_API_KEY). Files are
created 0600, and a group/world readable config draws a warning."""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from rel_helpers import (
    CANARY_KEY,
    PYTHON,
    cli_env,
    make_settings,
    make_workspace,
    run_engine,
    seed_sim,
    write_config,
)

from kufertui.simulator import SimState, running_simulator
from kufertui.simulator.faults import parse_faults

FORMS = [CANARY_KEY, base64.b64encode(CANARY_KEY.encode()).decode(),
         base64.b64encode((CANARY_KEY + ":").encode()).decode(), CANARY_KEY[:-4]]


def leaks(blob: bytes | str) -> list[str]:
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    return [f for f in FORMS if f in text]


def scan_tree(*roots: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            if path.suffix == ".sqlite":
                conn = sqlite3.connect(path)
                try:
                    data = "\n".join(conn.iterdump())
                finally:
                    conn.close()
            else:
                data = path.read_bytes().decode("utf-8", "replace")
            hit = leaks(data)
            if hit:
                found[str(path)] = hit
    return found


def ps_snapshot() -> str:
    """Every process's full command line, as `ps -eo pid,args -ww` shows it (psutil works on Windows too)."""
    return "\n".join(f"{p.info['pid']} {' '.join(p.info['cmdline'] or [])}"
                     for p in psutil.process_iter(["pid", "cmdline"]))


class Cli:
    def __init__(self, tmp: Path, url: str, **settings_kw: object) -> None:
        self.tmp = tmp
        self.ws_root = make_workspace(tmp / "ks", 30)
        self.config = write_config(tmp / "config.toml", make_settings(url, batch_size=10, **settings_kw))  # type: ignore[arg-type]
        self.env = cli_env(tmp / "home")
        self.outputs: list[bytes] = []
        self.ps: list[str] = []

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        cmd = [PYTHON, "-m", "kufertui", "--config", str(self.config), "--workspace", str(self.ws_root), *args]
        assert not leaks(" ".join(cmd))
        proc = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.3)
        self.ps.append(ps_snapshot())
        out, err = proc.communicate(timeout=timeout)
        self.outputs += [out, err]
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)

    def assert_clean(self) -> None:
        for blob in self.outputs:
            assert not leaks(blob), blob.decode("utf-8", "replace")[-2000:]
        for snap in self.ps:
            assert not leaks(snap)
        assert scan_tree(self.tmp) == {}


def test_canary_in_sync_success_doctor_import_pull(tmp_path: Path) -> None:
    state = seed_sim()
    state.seed_contact("person0003@example.org", external_id="1003")
    state.recipient_unsubscribes("person0003@example.org")  # so a write-back file is written
    with running_simulator(state, parse_faults("delay@POST /contacts:seconds=0.1")) as url:
        cli = Cli(tmp_path, url)
        csv_again = tmp_path / "ks" / "kufer.csv"
        assert cli.run("import", str(csv_again)).returncode == 0
        assert cli.run("doctor").returncode in (0, 1)
        done = cli.run("sync", "--yes")
        assert done.returncode == 0, done.stderr.decode()
        assert cli.run("sync", "--yes", "--json").returncode == 0
        assert cli.run("unsubscribers", "pull").returncode == 0
    assert list((cli.ws_root / "writeback").glob("*.csv")), "scenario should have produced a write-back file"
    assert (cli.ws_root / "upload" / "maileon-upload.xml").exists()
    cli.assert_clean()


@pytest.mark.parametrize("case", ["401", "403", "500", "malformed"])
def test_canary_in_failures(case: str, tmp_path: Path) -> None:
    if case == "401":
        state = SimState.with_key("some-other-key-0000")
    elif case == "403":
        state = SimState.with_key(CANARY_KEY, rights={"GET"})
    else:
        state = seed_sim()
    faults = {"500": "500@*", "malformed": "malformed@*"}.get(case, "")
    with running_simulator(state, faults) as url:
        cli = Cli(tmp_path, url)
        res = cli.run("sync", "--yes")
        # a refused key or missing rights is a configuration error (2); the others stop the run (3)
        assert res.returncode == (2 if case in ("401", "403") else 3), res
        cli.run("doctor", "--json")
        # in process: the exception texts and reprs
        out = run_engine(make_settings(url), cli.ws_root)
        assert out.failed is not None
        assert not leaks(repr(out.failed)) and not leaks(str(out.failed.params))
    cli.assert_clean()


def test_canary_in_tls_and_proxy_failures(tmp_path: Path) -> None:
    import asyncio
    import socket

    from kufertui.maileon.client import MaileonClient
    from kufertui.maileon.errors import MaileonError
    from kufertui.sync.connect import client_options

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    dead_port = sock.getsockname()[1]
    sock.close()
    settings = make_settings(f"https://127.0.0.1:{dead_port}/1.0")
    settings.proxy.host, settings.proxy.port = "127.0.0.1", dead_port
    settings.proxy.user = "proxyuser"
    from kufertui.config import Secret

    settings.proxy.password = Secret(CANARY_KEY)  # the proxy password is a secret too

    async def go() -> MaileonError:
        async with MaileonClient(client_options(settings)) as client:
            client._http.options.max_retries = 0
            try:
                await client.ping()
            except MaileonError as exc:
                return exc
        raise AssertionError("no error")

    exc = asyncio.run(go())
    assert exc.hint_id == "proxy-socket"
    for text in (str(exc), repr(exc), exc.detail, repr(client_options(settings)), repr(settings)):
        assert not leaks(text), text


@pytest.mark.windows_incompatible(reason="file modes; the Windows ACLs: tests/unit/test_platform.py")
def test_files_are_private_and_readable_config_warns(tmp_path: Path) -> None:
    state = seed_sim()
    state.seed_contact("person0003@example.org", external_id="1003")
    state.recipient_unsubscribes("person0003@example.org")
    with running_simulator(state) as url:
        cli = Cli(tmp_path, url)
        assert cli.run("sync", "--yes").returncode == 0
        assert stat.S_IMODE(cli.config.stat().st_mode) == 0o600
        public = [str(p) for p in cli.ws_root.rglob("*") if p.is_file() and p.name != "kufer.csv"
                  and stat.S_IMODE(p.stat().st_mode) & 0o077]
        assert public == [], f"workspace files readable by others: {public}"
        os.chmod(cli.config, 0o644)
        res = cli.run("doctor")
        assert "chmod 600" in res.stderr.decode(), res.stderr.decode()
    # saving settings through the app creates 0600 in a 0700 folder
    from kufertui.config import load_settings, save_settings

    target = tmp_path / "new" / "config.toml"
    save_settings(load_settings(cli.config), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_demo_headless_with_canary_in_env(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    proc = subprocess.run([PYTHON, "-m", "kufertui", "demo", "--headless", "--contacts", "60"], env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert not leaks(proc.stdout + proc.stderr)
    assert scan_tree(tmp_path) == {}
