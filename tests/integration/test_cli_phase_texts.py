"""`kufertui sync` prints the engine's own phase and report texts, not the TUI's shorter wordings
(both used to share the keys phase.* and report.*, and whichever module loaded last won)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import cli_paths, make_settings, person, run_cli, seed_workspace, sim_state

from kufertui.simulator import running_simulator

# (engine's text the CLI prints, the TUI's text for the same thing, which the CLI must not print)
TEXTS = {
    "de": {"writeback": ("Abmelder an KUFER zurückgeben", "Rückgabe an KUFER"),
           "preflight": ("Vorabprüfung", "Pre-flight-Prüfung"),
           "upload": ("Übertragen", "Übertragung"),
           "rejected_preflight": ("bei der Vorabprüfung zurückgehalten", "ungültig (Pre-flight)")},
    "en": {"writeback": ("Handing unsubscribes back to KUFER", "Hand back to KUFER"),
           "preflight": ("Pre-flight check", None),  # the same words in both faces
           "upload": ("Uploading", "Upload"),
           "rejected_preflight": ("held back by the pre-flight check", "invalid (pre-flight)")},
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_cli_prints_the_engines_phase_and_report_texts(tmp_path: Path, lang: str) -> None:
    state = sim_state()
    with running_simulator(state) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [person(1), person(2, "K"), person(3, email="kein-at.vhs-test.de")])
        result = run_cli(paths, "sync", "--lang", lang)
    assert result.returncode == 1, result.stderr  # one contact rejected
    lines = result.stdout.splitlines()
    phases = [line.removeprefix("» ") for line in lines if line.startswith("» ")]
    texts = TEXTS[lang]
    for name in ("writeback", "preflight", "upload"):
        engine_text, tui_text = texts[name]
        assert engine_text in phases, (name, phases)
        assert tui_text not in phases, (name, phases)
    engine_text, tui_text = texts["rejected_preflight"]
    assert f"  {engine_text}: 1" in lines
    assert tui_text not in result.stdout
