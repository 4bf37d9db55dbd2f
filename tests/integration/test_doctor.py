"""`kufertui doctor` tells the truth: a refused key is not "no connection", http is not "TLS verified",
and a proxy is ticked only once traffic went through it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from sync_helpers import cli_paths, make_settings, run_cli, sim_state

from kufertui.simulator import running_simulator


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def checks(stdout: str) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in json.loads(stdout)["checks"]}


def test_refused_key_is_a_configuration_error_not_a_lost_connection(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        res = run_cli(paths, "doctor", "--json", "--lang", "en", api_key="not-the-key-0000000000")
        plain = run_cli(paths, "doctor", "--lang", "en", api_key="not-the-key-0000000000")
    assert res.returncode == 2, res.stdout + res.stderr
    found = checks(res.stdout)
    refused = [c for c in found.values() if c["hint_id"] == "key-invalid"]
    assert refused and not refused[0]["ok"]
    assert "connection" not in found  # Maileon answered: the connection is not what failed
    assert "No connection" not in plain.stdout and "refuses the API key" in plain.stdout
    assert "The key comes from the environment variable KUFERTUI_API_KEY" in plain.stdout  # where to fix it
    assert "API key from the environment variable KUFERTUI_API_KEY" in plain.stdout
    assert plain.returncode == 2


def test_plain_http_is_not_called_tls_verified(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        assert base_url.startswith("http://")
        paths = cli_paths(tmp_path, make_settings(base_url))
        de = run_cli(paths, "doctor")
        en = run_cli(paths, "doctor", "--lang", "en")
    assert de.returncode == 0, de.stdout + de.stderr
    assert "TLS geprüft" not in de.stdout and "unverschlüsselt" in de.stdout
    assert "TLS verified" not in en.stdout and "unencrypted" in en.stdout


def test_unreachable_proxy_is_not_ticked(tmp_path: Path) -> None:
    port = closed_port()
    with running_simulator(sim_state()) as base_url:
        settings = make_settings(base_url)
        settings.proxy.host, settings.proxy.port = "127.0.0.1", port
        paths = cli_paths(tmp_path, settings)
        res = run_cli(paths, "doctor", "--json", "--lang", "en")
        plain = run_cli(paths, "doctor", "--lang", "en")
    assert res.returncode == 3, res.stdout + res.stderr
    proxy = checks(res.stdout)["proxy"]
    assert proxy["ok"] is False and proxy["hint_id"] == "proxy-socket"
    assert f"✔ Proxy 127.0.0.1:{port}" not in plain.stdout
    assert f"Proxy 127.0.0.1:{port} not reached" in plain.stdout


def test_doctor_reads_the_sql_statements_and_gives_the_login_advice(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        settings = make_settings(base_url)
        settings.source.kind = "sql"
        settings.source.sql_dsn = "sqlite:///kufer.db"
        settings.source.sql_query = "SELECT email, tnr FROM personen"
        settings.source.sql_writeback = "UPDATE personen SET newsletter = 'N' WHERE email = :email"
        good = run_cli(cli_paths(tmp_path / "good", settings), "doctor", "--lang", "en")
        settings.source.sql_query = "SELECT email INTO copy FROM personen"
        bad = run_cli(cli_paths(tmp_path / "bad", settings), "doctor", "--json", "--lang", "en")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "database login of its own" in good.stdout
    assert bad.returncode == 2
    sql = [c for c in json.loads(bad.stdout)["checks"] if c["name"] == "sql"]
    assert any(not c["ok"] for c in sql) and any("login" in str(c["text"]) for c in sql)
