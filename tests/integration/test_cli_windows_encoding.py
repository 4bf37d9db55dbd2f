"""Issue 18.1: Windows without a console (Task Scheduler `>> log`, `ssh host kufertui …`, pipes) writes
stdout in cp1252. PYTHONIOENCODING=cp1252 gives Linux the same streams: the K-notice warning (⚠)
must not kill a sync, and --json must come out as UTF-8."""

from __future__ import annotations

import json
import subprocess

from sync_helpers import REPO, cli_argv, cli_env, cli_paths, make_settings, person, seed_workspace, sim_state

from kufertui.simulator import running_simulator

CP1252 = {"PYTHONIOENCODING": "cp1252"}


def run_bytes(paths, *args: str) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.run(cli_argv(paths, *args), env=cli_env(paths, **CP1252), capture_output=True,
                          timeout=60, cwd=REPO)


def test_sync_with_k_notice_warning_survives_a_cp1252_stream(tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = sim_state()
    with running_simulator(state) as base_url:
        settings = make_settings(base_url, batch_size=10)
        settings.legal.k_notice_confirmed_on = ""  # the default: the K-notice warning fires mid-run
        paths = cli_paths(tmp_path, settings)
        seed_workspace(paths.workspace, [person(i, "J") for i in range(1, 6)] + [person(i, "K") for i in (6, 7)])

        plain = run_bytes(paths, "sync", "--lang", "de")
        out, err = plain.stdout.decode("utf-8"), plain.stderr.decode("utf-8")
        assert "Traceback" not in err, err
        assert "⚠" in out + err
        assert plain.returncode == 0, err
        assert len(state.contacts) == 5

        as_json = run_bytes(paths, "sync", "--yes", "--json", "--lang", "de")
        assert as_json.returncode == 0, as_json.stderr.decode("utf-8")
        doc = json.loads(as_json.stdout.decode("utf-8"))  # UTF-8, not cp1252
        assert "ausgewählt" in doc["report_line"]
