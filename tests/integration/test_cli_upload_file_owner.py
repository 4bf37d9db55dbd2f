"""A finished run does not block the next (issue 26.9): its upload file is ours to replace and is kept as
`.prev.xml`; a file no run of ours wrote, or the one of the run that can still be resumed, only with --yes."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from sync_helpers import CliPaths, cli_paths, make_settings, person, run_cli, run_engine, seed_workspace, sim_state

from kufertui.paths import WorkspacePaths
from kufertui.simulator import running_simulator
from kufertui.store import Workspace
from kufertui.sync import upload_owner


def files(paths: CliPaths) -> tuple[Path, Path]:
    upload = WorkspacePaths(paths.workspace).upload_xml
    return upload, upload.with_name(upload.stem + ".prev.xml")


def test_sync_twice_without_yes_replaces_the_finished_runs_file(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 21)])
        upload, prev = files(paths)
        assert run_cli(paths, "sync").returncode == 0
        first = upload.read_bytes()
        assert run_cli(paths, "sync", "--dry-run").returncode == 0  # a dry run writes no upload file
        assert upload.read_bytes() == first and not prev.exists()
        second = run_cli(paths, "sync", "--lang", "en")
        assert second.returncode == 0, second.stdout + second.stderr
        assert f"The earlier upload file is kept as {prev}." in second.stdout
        assert prev.read_bytes() == first and b"<contact>" in upload.read_bytes()
        third = run_cli(paths, "sync", "--json")  # and again: the second run's file is ours as well
        assert third.returncode == 0 and json.loads(third.stdout)["ok"] is True


def test_a_file_no_run_wrote_is_replaced_only_with_yes(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 6)])
        upload, prev = files(paths)
        assert run_cli(paths, "sync").returncode == 0
        upload.write_bytes(b"<contacts><!-- edited by hand --></contacts>")  # changed since: not the run's any more
        refused = run_cli(paths, "sync", "--json")
        doc = json.loads(refused.stdout)
        assert refused.returncode == 2 and (doc["error"], doc["hint_id"]) == ("engine.xml-exists", "xml-exists")
        assert "kein Lauf von kufertui geschrieben" in doc["message"] and prev.name in doc["message"]
        assert upload.read_bytes() == b"<contacts><!-- edited by hand --></contacts>" and not prev.exists()
        assert run_cli(paths, "sync", "--yes").returncode == 0
        assert prev.read_bytes() == b"<contacts><!-- edited by hand --></contacts>"


def test_the_resumable_runs_file_is_not_replaced_unasked(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 6)])
        _, prev = files(paths)
        assert run_cli(paths, "sync").returncode == 0
        with Workspace.open(paths.workspace) as ws:  # as if a step after the upload had stopped the run
            run_id = ws.journal.runs()[0].id
            ws.journal.set_state(run_id, "aborted")
        refused = run_cli(paths, "sync", "--json", "--lang", "en")
        doc = json.loads(refused.stdout)
        assert refused.returncode == 2
        assert (doc["error"], doc["hint_id"]) == ("engine.xml-unfinished", "resume-available")
        assert f"belongs to run #{run_id}, which did not finish" in doc["message"]
        assert not prev.exists()
        assert run_cli(paths, "sync", "--yes").returncode == 0  # starting over is a choice, then made
        assert prev.exists()


def test_a_workspace_from_before_the_record_is_recognised_by_its_journal(tmp_path: Path) -> None:
    with running_simulator(sim_state()) as base_url:
        paths = cli_paths(tmp_path, make_settings(base_url, batch_size=10))
        seed_workspace(paths.workspace, [person(i) for i in range(1, 6)])
        upload, prev = files(paths)
        assert run_cli(paths, "sync").returncode == 0

        def forget_the_record() -> None:
            with Workspace.open(paths.workspace) as ws:
                ws.conn.execute("DELETE FROM meta WHERE key='upload_xml'")
                ws.conn.commit()

        forget_the_record()
        assert run_cli(paths, "sync").returncode == 0  # the journal names the file, nobody touched it since
        assert prev.exists()
        forget_the_record()
        later = upload.stat().st_mtime + 3600
        os.utime(upload, (later, later))  # younger than the run that wrote it: changed since
        assert run_cli(paths, "sync").returncode == 2


def test_the_run_records_its_files_own_hash_and_a_later_process_does_not_read_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 27: the run hashes the file as it writes it (not by reading 40 MB again at its end), and records the
    file's size and time with the hash: a later process recognises the unchanged file without reading it. A file
    touched since is read and recognised by its hash."""
    with running_simulator(sim_state()) as base_url:
        settings = make_settings(base_url, batch_size=10)
        seed_workspace(tmp_path, [person(i) for i in range(1, 26)])
        run = run_engine(settings, tmp_path)
    upload = WorkspacePaths(tmp_path).upload_xml
    with Workspace.open(tmp_path) as ws:
        record = json.loads(ws.get_meta(upload_owner.RECORD_KEY) or "{}")
        stat = upload.stat()
        assert record == {"run_id": run.report.run_id, "sha256": hashlib.sha256(upload.read_bytes()).hexdigest(),
                          "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        monkeypatch.setattr(upload_owner, "_digests", {})  # as in a process of its own

        def read_again(path: Path) -> str:
            raise AssertionError(f"{path} read again")

        with monkeypatch.context() as patched:
            patched.setattr(upload_owner, "_sha256", read_again)
            assert upload_owner.upload_file_owner(ws).state == "finished"
        os.utime(upload, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert upload_owner.upload_file_owner(ws).state == "finished"  # read, and its hash is the recorded one
        upload.write_bytes(upload.read_bytes().replace(b"Vor1<", b"Vor9<"))
        assert upload_owner.upload_file_owner(ws).state == "foreign"
