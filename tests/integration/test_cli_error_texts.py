"""Errors speak the user's language, the technical detail comes second, and the network hint names the scheme
and port in use (issue 26.8, 26.16)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_state

from kufertui import i18n
from kufertui.core.hints import api_host_of
from kufertui.simulator import running_simulator


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nobody listens there


@pytest.mark.parametrize(("lang", "headline", "scheme_words"), [
    ("de", "✖ Die Anfrage an Maileon ist fehlgeschlagen. Details: ", "HTTP zu 127.0.0.1:"),
    ("en", "✖ The request to Maileon failed. Details: ", "HTTP to 127.0.0.1:"),
])
def test_an_unreachable_maileon_is_said_in_words_with_the_scheme_and_port_in_use(
        tmp_path: Path, lang: str, headline: str, scheme_words: str) -> None:
    port = closed_port()
    paths = cli_paths(tmp_path, make_settings(f"http://127.0.0.1:{port}/1.0"))
    seed_workspace(paths.workspace, [person(1)])
    result = run_cli(paths, "sync", "--json", "--lang", lang)  # the lines for the eye still go to stderr
    assert result.returncode == 3
    failure = next(line for line in result.stderr.splitlines() if line.startswith("✖"))
    assert failure.startswith(headline), failure  # the class name only in the detail
    assert "ConnectError" in failure.partition("Details: ")[2]
    assert f"{scheme_words}{port}" in result.stderr and "HTTPS" not in result.stderr
    doc = json.loads(result.stdout)
    assert doc["message"] == failure[2:] and f"{scheme_words}{port}" in doc["fix"] and "HTTPS" not in doc["fix"]


def test_the_network_hint_names_scheme_and_port() -> None:
    for lang, plain_http, default in (
            ("de", "über HTTP (Port 9)", "über HTTPS (Port 443)"),
            ("en", "outgoing HTTP connections (port 9)", "outgoing HTTPS connections (port 443)")):
        i18n.set_language(lang)
        local = i18n.hint_cause("network", api_host_of("http://127.0.0.1:9/1.0"))
        assert plain_http in local and "443" not in local
        assert default in i18n.hint_cause("network", api_host_of("https://api.maileon.com/1.0"))
        assert "Port 8443" in i18n.hint_cause("network", api_host_of("https://maileon.vhs.de:8443/1.0")) \
            or "port 8443" in i18n.hint_cause("network", api_host_of("https://maileon.vhs.de:8443/1.0"))
    i18n.set_language("de")


@pytest.mark.parametrize(("lang", "headline"), [
    ("de", "✖ Maileon lehnt den API-Key ab (HTTP 401)"),
    ("en", "✖ Maileon refuses the API key (HTTP 401)"),
])
def test_a_refused_key_is_said_in_words_not_as_the_exception_class(tmp_path: Path, lang: str, headline: str) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url))
        seed_workspace(paths.workspace, [person(1)])
        result = run_cli(paths, "sync", "--lang", lang, api_key="not-the-key-0000000000")
    assert result.returncode == 2
    failure = next(line for line in result.stderr.splitlines() if line.startswith("✖"))
    assert failure.startswith(headline), failure
    words, _, detail = failure.partition("Details: ")
    assert "AuthError" not in result.stderr and "Unauthorized" not in words
    assert detail.startswith("GET /") and "HTTP 401" in detail
