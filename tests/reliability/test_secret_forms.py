"""Issue 17.2: secrets besides the API key. A real proxy on a socket echoes the request's
Proxy-Authorization and Authorization headers in its 407 body (some do); neither the proxy
password nor the key may reach stdout, stderr, the log or the support bundle in any encoding.
The SQL DSN password stays out of the bundle's settings."""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from rel_helpers import CANARY_KEY, PYTHON, cli_env, make_workspace

from kufertui.config import Secret, Settings, load_settings, redacted_dict
from kufertui.sync.bundle import build_bundle

USER, PASSWORD = "kufer", "pr0xy-s3cr%t pw"
DSN_PASSWORD = "dsn-p@ss:w0rd/x"


def forms() -> list[str]:
    b64 = base64.b64encode
    return [PASSWORD, quote(PASSWORD, safe=""), b64(f"{USER}:{PASSWORD}".encode()).decode(),
            CANARY_KEY, b64(CANARY_KEY.encode()).decode(), DSN_PASSWORD, quote(DSN_PASSWORD, safe="")]


def leaks(text: str) -> list[str]:
    return [f for f in forms() if f in text]


class EchoProxy(BaseHTTPRequestHandler):
    """Refuses every request with 407 and shows the credentials it got, as a careless proxy does."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = (f"<error><message>proxy said no; got Proxy-Authorization: "
                f"{self.headers.get('Proxy-Authorization')} and Authorization: "
                f"{self.headers.get('Authorization')}</message></error>").encode()
        self.send_response(407)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_proxy() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_proxy_credentials_echoed_in_an_error_never_leak(echo_proxy: int, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ws_root = make_workspace(tmp_path / "ks", 5)
    env = cli_env(tmp_path / "home", KUFERTUI_BASE_URL="http://127.0.0.1:9/1.0",
                  KUFERTUI_PROXY__HOST="127.0.0.1", KUFERTUI_PROXY__PORT=str(echo_proxy),
                  KUFERTUI_PROXY__USER=USER, KUFERTUI_PROXY__PASSWORD=PASSWORD,
                  KUFERTUI_SOURCE__SQL_DSN=f"mssql://sa:{quote(DSN_PASSWORD, safe='')}@db.vhs.local/kufer")
    base = [PYTHON, "-m", "kufertui", "--lang", "en", "--workspace", str(ws_root)]
    doctor = subprocess.run([*base, "doctor"], env=env, capture_output=True, timeout=60)
    sync = subprocess.run([*base, "sync", "--yes"], env=env, capture_output=True, timeout=60)
    outputs = [p.stdout.decode() + p.stderr.decode() for p in (doctor, sync)]
    assert "proxy said no" in outputs[0], outputs[0]  # the echo reached the output, scrubbed
    log = (ws_root / "logs" / "kufertui.log").read_text(encoding="utf-8")
    assert "proxy said no" in log
    for name, text in (("doctor", outputs[0]), ("sync", outputs[1]), ("log", log)):
        assert not leaks(text), (name, leaks(text), text[-1500:])

    for key, value in env.items():
        if key.startswith("KUFERTUI_"):
            monkeypatch.setenv(key, value)
    settings = load_settings(tmp_path / "none.toml")
    bundle = build_bundle(settings, tmp_path / "none.toml", ws_root, tmp_path / "bundle.zip")
    with zipfile.ZipFile(bundle) as archive:
        blob = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
        settings_json = json.loads(archive.read("settings.json"))
    assert "proxy said no" in blob
    assert not leaks(blob), leaks(blob)
    assert settings_json["source"]["sql_dsn"] == "mssql://sa:********@db.vhs.local/kufer"


def test_redacted_settings_mask_the_dsn_password_in_every_form() -> None:
    settings = Settings()
    settings.source.sql_dsn = f"mssql://sa:{quote(DSN_PASSWORD, safe='')}@db.vhs.local:1433/kufer"
    settings.source.sql_query = f"SELECT email FROM p -- {DSN_PASSWORD}"  # pasted by mistake
    settings.proxy.user, settings.proxy.password = USER, Secret(PASSWORD)
    text = json.dumps(redacted_dict(settings))
    assert not leaks(text), leaks(text)
    assert "mssql://sa:********@db.vhs.local:1433/kufer" in text
