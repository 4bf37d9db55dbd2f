"""Proxy and TLS (issue 7.6): a whole sync through a real forwarding proxy (proxy.py, started
here on 127.0.0.1) with and without credentials; the simulator over HTTPS with a test CA
(trustme): refused without the CA bundle setting (hint "tls"), accepted with `tls.ca_bundle`;
a wrong proxy port gives the socket-error hint ("proxy-socket"); wrong proxy credentials give
"proxy-auth"."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from rel_helpers import make_settings, make_workspace, run_engine, seed_sim, snapshot

from kufertui.config import Secret
from kufertui.simulator import running_simulator

pytestmark = pytest.mark.skipif(shutil.which("proxy") is None and sys.platform == "win32",
                                reason="proxy.py not available")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proxy_log(tmp: Path, auth: str | None) -> Path:
    return tmp / f"proxy-{'auth' if auth else 'open'}.log"


def start_proxy(tmp: Path, auth: str | None) -> tuple[subprocess.Popen[bytes], int]:
    port_file = tmp / f"proxy-{'auth' if auth else 'open'}.port"
    # INFO: proxy.py writes one access line per forwarded request, which the tests read back
    cmd = [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--port-file",
           str(port_file), "--num-workers", "1", "--num-acceptors", "1", "--log-level", "INFO",
           "--log-file", str(proxy_log(tmp, auth))]
    if auth:
        cmd += ["--basic-auth", auth]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            port = int(port_file.read_text().strip())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return proc, port
            except OSError:
                pass
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "proxy died")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("proxy.py did not start")


@pytest.fixture(scope="module")
def proxies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("proxy")
    open_proc, open_port = start_proxy(tmp, None)
    auth_proc, auth_port = start_proxy(tmp, "kufer:s3cr%t pw")
    yield {"open": open_port, "auth": auth_port,
           "logs": {"open": proxy_log(tmp, None), "auth": proxy_log(tmp, "kufer:s3cr%t pw")}}
    for proc in (open_proc, auth_proc):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def clean_run(tmp: Path) -> dict[str, object]:
    ws_root = make_workspace(tmp, 30)
    state = seed_sim()
    with running_simulator(state) as url:
        assert run_engine(make_settings(url, batch_size=10), ws_root).exit_code == 0
    return snapshot(state)


def forwarded(log: Path, base_url: str) -> list[str]:
    """``METHOD path`` of each request the proxy forwarded to the simulator at ``base_url``, from its access log."""
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.search(r" - ([A-Z]+) " + re.escape(host) + r"(/\S*) - \d{3} ", line)
        if m:
            out.append(f"{m.group(1)} {m.group(2).split('?', 1)[0]}")
    return out


@pytest.mark.parametrize("mode", ["open", "auth"])
def test_sync_through_a_forwarding_proxy(mode: str, proxies: dict[str, Any], tmp_path: Path) -> None:
    clean = clean_run(tmp_path / "clean")
    ws_root = make_workspace(tmp_path / "run", 30)
    state = seed_sim()
    with running_simulator(state) as url:
        settings = make_settings(url, batch_size=10)
        settings.proxy.host, settings.proxy.port = "127.0.0.1", proxies[mode]
        if mode == "auth":
            settings.proxy.user, settings.proxy.password = "kufer", Secret("s3cr%t pw")
        out = run_engine(settings, ws_root)
        assert out.exit_code == 0, out.failed
        through_proxy = forwarded(proxies["logs"][mode], url)
    assert snapshot(state) == clean
    # the proxy's access log shows the run's calls to the simulator (proxy.py writes one line per client
    # connection, for its first request, so not every call appears), and nothing the simulator did not get
    received = {f"{r.method} /1.0{r.path}" for r in state.request_log}
    assert through_proxy and set(through_proxy) <= received


def test_proxy_with_wrong_credentials_gives_proxy_auth_hint(proxies: dict[str, Any], tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, 10)
    state = seed_sim()
    with running_simulator(state) as url:
        settings = make_settings(url)
        settings.proxy.host, settings.proxy.port = "127.0.0.1", proxies["auth"]
        for user, password in (("", ""), ("kufer", "wrong")):
            settings.proxy.user, settings.proxy.password = user, Secret(password)
            out = run_engine(settings, ws_root, client_kw={"max_retries": 0})
            assert out.exit_code == 2 and out.failed is not None  # the proxy login is a setting
            assert out.failed.hint_id == "proxy-auth", out.failed
    assert not state.request_log, "the proxy let a request through without credentials"


def test_wrong_proxy_port_gives_socket_hint(tmp_path: Path) -> None:
    ws_root = make_workspace(tmp_path, 10)
    state = seed_sim()
    with running_simulator(state) as url:
        settings = make_settings(url)
        settings.proxy.host, settings.proxy.port = "127.0.0.1", free_port()
        out = run_engine(settings, ws_root, client_kw={"max_retries": 1})
    assert out.exit_code == 3 and out.failed is not None
    assert out.failed.hint_id == "proxy-socket", out.failed
    assert out.failed.resumable


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = {"ca": tmp / "ca.pem", "cert": tmp / "server.pem", "key": tmp / "server.key"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    cert.cert_chain_pems[0].write_to_path(str(files["cert"]))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(files["cert"]), append=True)
    cert.private_key_pem.write_to_path(str(files["key"]))
    return files


def test_https_simulator_needs_the_ca_bundle(tls_files: dict[str, Path], tmp_path: Path) -> None:
    clean = clean_run(tmp_path / "clean")
    ws_root = make_workspace(tmp_path / "run", 30)
    state = seed_sim()
    with running_simulator(state, ssl_certfile=tls_files["cert"], ssl_keyfile=tls_files["key"]) as url:
        assert url.startswith("https://")
        settings = make_settings(url, batch_size=10)
        refused = run_engine(settings, ws_root)
        assert refused.exit_code == 3 and refused.failed is not None
        assert refused.failed.hint_id == "tls", refused.failed
        assert not state.request_log, "a request got through without verification"
        settings.tls.ca_bundle = str(tls_files["ca"])
        # a fresh sync: resuming a run stopped before its upload is the engine bug of the fault matrix
        accepted = run_engine(settings, ws_root)
        assert accepted.exit_code == 0, accepted.failed
    assert snapshot(state) == clean


def test_https_through_the_proxy_with_ca_bundle(tls_files: dict[str, Path], proxies: dict[str, int],
                                               tmp_path: Path) -> None:
    """CONNECT tunnel through the authenticating proxy, TLS verified end to end with the test CA."""
    ws_root = make_workspace(tmp_path, 20)
    state = seed_sim()
    with running_simulator(state, ssl_certfile=tls_files["cert"], ssl_keyfile=tls_files["key"]) as url:
        settings = make_settings(url, batch_size=10)
        settings.proxy.host, settings.proxy.port = "127.0.0.1", proxies["auth"]
        settings.proxy.user, settings.proxy.password = "kufer", Secret("s3cr%t pw")
        settings.tls.ca_bundle = str(tls_files["ca"])
        out = run_engine(settings, ws_root)
    assert out.exit_code == 0, out.failed
