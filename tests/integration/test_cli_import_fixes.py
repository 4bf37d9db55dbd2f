"""`kufertui import` on the files an exploratory tester brought: UTF-16 XML with BOM, a profile's encoding
that does not fit, a workspace path that is a file, repeated KUFER numbers, Excel's sep= line and a file
without a status column. The CLI runs as a subprocess against a real SQLite workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_helpers import CliPaths, cli_paths, make_settings, run_cli

from kufertui.store import Workspace

C16 = ('<?xml version="1.0" encoding="UTF-16"?>\n<ANMELDUNGEN><ANMELDUNG><STAMMDATEN><TNR>1</TNR>'
       "<NEWSLETTER>J</NEWSLETTER><KOMMUNIKATION><KOMMUNIKATIONSEINTRAG><KOMMART>E</KOMMART>"
       "<KOMMWERT>x1@example.org</KOMMWERT></KOMMUNIKATIONSEINTRAG></KOMMUNIKATION></STAMMDATEN></ANMELDUNG>"
       "</ANMELDUNGEN>")
HEADER = "TNR;Vorname;Name;E-Mail;Newsletter\r\n"


@pytest.fixture
def paths(tmp_path: Path) -> CliPaths:
    return cli_paths(tmp_path, make_settings("http://127.0.0.1:9"))


def contacts(paths: CliPaths) -> dict[str, tuple[str, str]]:
    """TNR (or e-mail) → (e-mail, status) as stored."""
    with Workspace.open(paths.workspace) as ws:
        return {c.person_no or c.email: (c.email, c.status.value) for _, c in ws.contacts.iter_contacts()}


def test_utf16_xml_with_bom_imports(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "c16.xml"
    path.write_bytes(C16.encode("utf-16"))
    proc = run_cli(paths, "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["inserted"] == 1
    assert contacts(paths) == {"1": ("x1@example.org", "J")}


def test_utf16_csv_imports_without_a_profile(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + "7;Jörg;Weiß;jw@example.org;K\r\n").encode("utf-16"))
    proc = run_cli(paths, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "Kodierung utf-16" in proc.stdout and contacts(paths) == {"7": ("jw@example.org", "K")}


def test_profile_encoding_that_does_not_fit_is_exit_2_with_a_clear_message(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "u8.csv"
    path.write_text(HEADER + "1;A;B;a@example.org;J\r\n", encoding="utf-8")
    profile = tmp_path / "p.toml"
    profile.write_text('encoding = "utf-16"\n', encoding="utf-8")
    proc = run_cli(paths, "import", str(path), "--profile", str(profile))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and "utf-16" in proc.stderr and "UTF-8" in proc.stderr
    assert "encoding" in proc.stderr  # what to do: fix or delete the profile's encoding line
    proc = run_cli(paths, "--lang", "en", "import", str(path), "--profile", str(profile), "--json")
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"] == "import.fail.encoding-mismatch"


@pytest.mark.parametrize("command", [("import", "FILE"), ("sync",), ("unsubscribers", "pull"), ("segment", "list"),
                                     ("sync", "--json")])
def test_workspace_that_is_a_file_is_exit_2(paths: CliPaths, tmp_path: Path, command: tuple[str, ...]) -> None:
    data = tmp_path / "in.csv"
    data.write_text(HEADER + "1;A;B;a@example.org;J\r\n", encoding="utf-8")
    blocker = tmp_path / "passwd"
    blocker.write_text("root:x:0:0\n", encoding="utf-8")
    for workspace in (blocker, blocker / "inside"):
        target = CliPaths(paths.home, paths.config, workspace)
        proc = run_cli(target, *(str(data) if part == "FILE" else part for part in command))
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"{blocker} ist eine Datei" in proc.stderr
        if "--json" in command:
            assert json.loads(proc.stdout)["error"] == "workspace.not-a-folder"
    assert blocker.read_text(encoding="utf-8") == "root:x:0:0\n"


def test_workspace_path_the_system_refuses_is_exit_2(paths: CliPaths, tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    data.write_text(HEADER + "1;A;B;a@example.org;J\r\n", encoding="utf-8")
    too_long = tmp_path / ("w" * 5000)  # the OS answers ENAMETOOLONG to a mere look
    proc = run_cli(CliPaths(paths.home, paths.config, too_long), "import", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "kann nicht geöffnet werden" in proc.stderr


def test_doctor_names_the_right_fix_for_a_workspace_file(paths: CliPaths, tmp_path: Path) -> None:
    blocker = tmp_path / "passwd"
    blocker.write_text("x\n", encoding="utf-8")
    proc = run_cli(CliPaths(paths.home, paths.config, blocker), "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(proc.stdout)["checks"]}
    assert checks["workspace"]["ok"] is False and checks["workspace"]["hint_id"] == "workspace-not-a-folder"


def test_repeated_kufer_number_is_reported_and_the_last_row_wins(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + "5;Tina;Nr;tnr@example.org;J\r\n5;Tina;Nr;tnr-other@example.org;K\r\n"
                    "6;Nina;Nein;n@example.org;N\r\n6;Nina;Nein;n-other@example.org;J\r\n"
                    "7;Otto;Ok;o@example.org;J\r\n", encoding="utf-8")
    proc = run_cli(paths, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "2 Zeilen wiederholen eine Person" in out
    assert "TNR 5: Zeile 3 ersetzt Zeile 2" in out and "TNR 6: Zeile 5 ersetzt Zeile 4" in out
    # the later row counts, as a re-import would; a later J does not lift the N of the same person
    assert contacts(paths) == {"5": ("tnr-other@example.org", "K"), "6": ("n-other@example.org", "N"),
                               "7": ("o@example.org", "J")}
    proc = run_cli(paths, "--lang", "en", "import", str(path), "--json")
    data = json.loads(proc.stdout)
    assert data["duplicates"] == 2
    assert data["duplicate_examples"] == [{"person_no": "5", "earlier_line": 2, "line": 3},
                                          {"person_no": "6", "earlier_line": 4, "line": 5}]


def test_excel_sep_line_is_accepted(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfsep=,\r\n" + HEADER.replace(";", ",").encode() + b"1,A,B,a@example.org,J\r\n")
    proc = run_cli(paths, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "Trennzeichen ','" in proc.stdout and contacts(paths) == {"1": ("a@example.org", "J")}


def test_file_without_status_column_warns(paths: CliPaths, tmp_path: Path) -> None:
    path = tmp_path / "nostatus.csv"
    path.write_text("TNR;E-Mail\r\n1;a@example.org\r\n", encoding="utf-8")
    proc = run_cli(paths, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "keine Spalte für den Newsletter-Status" in proc.stdout
    proc = run_cli(paths, "--lang", "en", "import", str(path), "--json")
    assert json.loads(proc.stdout)["warnings"] == ["no-status-column"]
    with_status = tmp_path / "status.csv"
    with_status.write_text(HEADER + "1;A;B;a@example.org;J\r\n", encoding="utf-8")
    proc = run_cli(paths, "import", str(with_status))
    assert "Newsletter-Status:" not in proc.stdout and "keine Spalte" not in proc.stdout


def test_xml_import_names_no_delimiter(paths: CliPaths, tmp_path: Path) -> None:
    """An XML export has no delimiter: the summary said "Kodierung xml, Trennzeichen ''"."""
    path = tmp_path / "c.xml"
    path.write_bytes(C16.replace("UTF-16", "UTF-8").encode("utf-8"))
    proc = run_cli(paths, "--lang", "en", "import", str(path))
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert "format xml" in first and "delimiter" not in first and "''" not in first
