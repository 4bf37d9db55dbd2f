"""Issue 18 on Linux: the Windows behaviour of kufertui.platform, driven through fakes of the Windows
parts (icacls, sharing violations, drive types) and real files, processes and SQLite everywhere else."""

from __future__ import annotations

import io
import json
import os
import shlex
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from kufertui import cli, paths, platform
from kufertui.config import Settings, save_settings
from kufertui.store import Workspace
from kufertui.store.db import _is_sqlite_file, connect

# ------------------------------------------------------------------------------------ 1. output


def test_cp1252_stream_is_switched_to_utf8() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    platform.ensure_utf8_output(stream)
    stream.write("⚠ Übertragung ✔\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "⚠ Übertragung ✔\n"


def test_utf8_stream_is_left_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    platform.ensure_utf8_output(stream)
    assert (stream.encoding, stream.errors) == ("utf-8", "strict")


# ------------------------------------------------------------------------------------ 2. serve command line

ARGV = [r"C:\Program Files\Python311\python.exe", "-m", "kufertui", "--config", r"D:\VHS\Konfig Ä\config.toml",
        "--workspace", 'D:\\VHS\\"quoted"\\ws']


CMD_ENV = {"USERNAME": "anna", "PATH": r"C:\Windows", "COMSPEC": r"C:\Windows\system32\cmd.exe"}


def cmd_exe(line: str) -> str:
    """What `cmd.exe /c LINE` hands the program (command-line rules): %NAME% of a set variable expanded, an
    unknown one left as it is; then outside quotes a caret escapes the next character and & | < > split or
    redirect the command (raised here, as they would run something else)."""
    expanded, i = [], 0
    while i < len(line):
        end = line.find("%", i + 1) if line[i] == "%" else -1
        if end > i and line[i + 1:end].upper() in CMD_ENV:
            expanded.append(CMD_ENV[line[i + 1:end].upper()])
            i = end + 1
            continue
        expanded.append(line[i])
        i += 1
    text, out, quoted, i = "".join(expanded), [], False, 0
    while i < len(text):
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif char == "^" and not quoted:
            i += 1
            char = text[i] if i < len(text) else ""
        elif char in "&|<>" and not quoted:
            raise AssertionError(f"cmd.exe acts on {char!r} in {line!r}")
        out.append(char)
        i += 1
    return "".join(out)


def crt_argv(line: str) -> list[str]:
    """How the C runtime (CommandLineToArgvW) splits a command line into arguments."""
    args: list[str] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        arg: list[str] = []
        quoted = False
        while i < n and (quoted or line[i] not in " \t"):
            if line[i] == "\\":
                j = i
                while j < n and line[j] == "\\":
                    j += 1
                if j < n and line[j] == '"':
                    arg.append("\\" * ((j - i) // 2))
                    if (j - i) % 2:
                        arg.append('"')
                        j += 1
                else:
                    arg.append("\\" * (j - i))
                i = j
            elif line[i] == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    arg.append('"')
                    i += 2
                else:
                    quoted = not quoted
                    i += 1
            else:
                arg.append(line[i])
                i += 1
        args.append("".join(arg))
    return args


HOSTILE_WINDOWS_ARGV = [
    r"C:\Program Files\Python311\python.exe", "-m", "kufertui", "--lang", "de",
    "--config", r"D:\VHS&Co\Konfig Ä\config.toml",  # & with and without spaces around
    "--workspace", r"D:\A&B^C\100% sicher\%USERNAME%\ws",  # ^ and % (cmd.exe expands %…% in quotes too)
    r"C:\(x)|y<z>!w!", 'D:\\VHS\\"quoted"\\ws\\', "",
]


def test_windows_command_line_survives_cmd_exe_unchanged() -> None:
    """Issue 24.6: textual-serve runs the command through cmd.exe; a path with & or ^ split it (list2cmdline
    quotes only around spaces, and % expands even inside quotes)."""
    line = platform.shell_command(HOSTILE_WINDOWS_ARGV, windows=True)
    assert crt_argv(cmd_exe(line)) == HOSTILE_WINDOWS_ARGV
    assert "'" not in line  # cmd.exe does not know single quotes
    assert crt_argv(cmd_exe(platform.shell_command(ARGV, windows=True))) == ARGV
    with pytest.raises(ValueError):
        platform.shell_command(["python", "a\nb"], windows=True)  # a line break cannot pass through cmd.exe


def test_posix_command_line_round_trips_through_sh(tmp_path: Path) -> None:
    argv = ["/opt/py thon/bin/python", "-c", "import sys, json; print(json.dumps(sys.argv[1:]))",
            "it's", "$HOME", "a b"]
    line = platform.shell_command(argv, windows=False)
    assert line == shlex.join(argv)
    script = tmp_path / "py thon"
    script.mkdir()
    real = [os.environ.get("PYTHON", "python3"), *argv[1:]]
    out = subprocess.run(platform.shell_command(real, windows=False), shell=True, capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == ["it's", "$HOME", "a b"]


# ------------------------------------------------------------------------------------ 3. owner-only ACL

USER = ("VHS\\anna", "S-1-5-21-1-2-3-1001")


class FakeIcacls:
    """icacls and whoami as far as kufertui uses them; ACLs live in a dict, new paths inherit a broad one."""

    def __init__(self, *, fail: bool = False) -> None:
        self.acl: dict[str, list[str]] = {}
        self.calls: list[list[str]] = []
        self.fail = fail

    def default(self) -> list[str]:
        return ["NT AUTHORITY\\SYSTEM:(I)(F)", "BUILTIN\\Administrators:(I)(F)", "BUILTIN\\Users:(I)(RX)",
                f"{USER[0]}:(I)(F)"]

    def __call__(self, args: list[str]) -> subprocess.CompletedProcess[bytes]:
        self.calls.append(args)
        if args[0] == "whoami":
            return subprocess.CompletedProcess(args, 0, f'"{USER[0]}","{USER[1]}"\r\n'.encode(), b"")
        if self.fail:
            return subprocess.CompletedProcess(args, 5, b"", "Zugriff verweigert".encode("cp850"))
        path = args[1]
        if len(args) == 2:
            aces = self.acl.get(path, self.default())
            lines = [f"{path} {aces[0]}"] + [" " * (len(path) + 1) + ace for ace in aces[1:]]
            text = "\r\n".join(lines) + "\r\n\r\nSuccessfully processed 1 files; Failed processing 0 files\r\n"
            return subprocess.CompletedProcess(args, 0, text.encode("cp850"), b"")
        assert args[2:4] == ["/inheritance:r", "/grant:r"], args
        principal, _, rights = args[4].partition(":")
        assert principal == "*" + USER[1]
        self.acl[path] = [f"{USER[0]}:{rights if rights.startswith('(') else '(' + rights + ')'}"]
        return subprocess.CompletedProcess(args, 0, b"processed file: " + path.encode(), b"")


@pytest.fixture
def icacls() -> Iterator[FakeIcacls]:
    fake = FakeIcacls()
    previous = platform.set_acl_backend(platform.WindowsAcl(run=fake))
    try:
        yield fake
    finally:
        platform.set_acl_backend(previous)


def test_parse_icacls_listing() -> None:
    text = ("D:\\VHS\\a b\\config.toml NT AUTHORITY\\SYSTEM:(I)(F)\r\n"
            "                         VORDEFINIERT\\Benutzer:(I)(RX)\r\n\r\n"
            "1 Dateien erfolgreich verarbeitet, bei 0 Dateien ist ein Verarbeitungsfehler aufgetreten.\r\n")
    assert platform.parse_icacls(text, "D:\\VHS\\a b\\config.toml") == ["NT AUTHORITY\\SYSTEM",
                                                                        "VORDEFINIERT\\Benutzer"]


def test_settings_and_workspace_get_owner_only_acls(tmp_path: Path, icacls: FakeIcacls) -> None:
    shared = tmp_path / "VHS"
    shared.mkdir()  # a folder colleagues use: never locked by us
    config = save_settings(Settings(), shared / "config.toml")
    assert icacls.acl[str(config)] == [f"{USER[0]}:(F)"]
    assert str(shared) not in icacls.acl
    assert paths.is_private(config)
    assert not paths.is_private(shared)  # the default listing has BUILTIN\Users

    with Workspace.open(tmp_path / "ws"):
        pass
    assert icacls.acl[str(tmp_path / "ws")] == [f"{USER[0]}:(OI)(CI)F"]
    assert icacls.acl[str(tmp_path / "ws" / "upload")] == [f"{USER[0]}:(OI)(CI)F"]
    assert str(tmp_path / "ws" / "workspace.sqlite") in icacls.acl
    assert sum(1 for c in icacls.calls if c[0] == "whoami") == 1  # asked once


def test_doctor_tells_the_truth_about_a_readable_config(tmp_path: Path, icacls: FakeIcacls,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config = save_settings(Settings(), tmp_path / "cfg" / "config.toml")
    icacls.acl[str(config)] = icacls.default()  # someone copied it in with the folder's ACL
    cli.main(["--lang", "en", "doctor", "--json", "--config", str(config), "--workspace", str(tmp_path / "ws")])
    captured = capsys.readouterr()
    check = next(c for c in json.loads(captured.out)["checks"] if c["name"] == "config-file")
    assert check["ok"] is False and str(config) in check["text"]
    assert str(config) in captured.err


def test_failed_acl_is_a_warning_naming_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeIcacls(fail=True)
    previous = platform.set_acl_backend(platform.WindowsAcl(run=fake))
    try:
        target = tmp_path / "D" / "config.toml"
        save_settings(Settings(), target)
        assert not paths.is_private(target)
    finally:
        platform.set_acl_backend(previous)
    err = capsys.readouterr().err
    assert str(target) in err and "icacls" in err


# ------------------------------------------------------------------------------------ 4. replace


def sharing_violation() -> PermissionError:
    exc = PermissionError(13, "The process cannot access the file because it is being used by another process")
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


def test_replace_waits_for_a_file_held_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "new.xml", tmp_path / "upload.xml"
    src.write_text("new")
    dst.write_text("old")
    real, failures = os.replace, [sharing_violation(), sharing_violation()]

    def flaky(a: object, b: object) -> None:
        if failures:
            raise failures.pop()
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", flaky)
    slept: list[float] = []
    assert platform.replace(src, dst, sleep=slept.append) == dst
    assert dst.read_text() == "new" and len(slept) == 2


def test_replace_falls_back_to_a_new_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "new.xml", tmp_path / "upload.xml"
    src.write_text("new")
    dst.write_text("old")
    real = os.replace

    def held(a: object, b: object) -> None:
        if Path(b) == dst:  # type: ignore[arg-type]
            raise sharing_violation()
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", held)
    notes: list[tuple[str, dict[str, str]]] = []
    previous = platform.set_note_sink(lambda key, params: notes.append((key, params)))
    try:
        other = platform.replace(src, dst, sleep=lambda s: None)
    finally:
        platform.set_note_sink(previous)
    assert other != dst and other.parent == dst.parent and other.name.startswith("upload-")
    assert other.suffix == ".xml" and other.read_text() == "new" and dst.read_text() == "old"
    assert notes == [("platform.replaced-elsewhere", {"path": str(dst), "other": str(other)})]
    with pytest.raises(PermissionError):
        src.write_text("again")
        platform.replace(src, dst, fallback=False, sleep=lambda s: None)


def test_other_permission_errors_are_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(a: object, b: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    slept: list[float] = []
    with pytest.raises(PermissionError):
        platform.replace(tmp_path / "a", tmp_path / "b", sleep=slept.append)
    assert slept == []


# ------------------------------------------------------------------------------------ 6. network shares

NETWORK = {"Z:": True, "C:": False}


def drive_type(root: str) -> int:
    return platform.DRIVE_REMOTE if NETWORK.get(root[:2].upper()) else 3  # 3 = DRIVE_FIXED


@pytest.mark.parametrize(("text", "network"), [
    (r"\\fileserver\VHS\kufertui\workspace.sqlite", True),
    (r"\\fileserver\VHS Daten\Arbeitsbereich Müller\workspace.sqlite", True),
    (r"\\?\UNC\fileserver\VHS\workspace.sqlite", True),
    (r"Z:\Kurse\Übersicht\workspace.sqlite", True),
    (r"C:\Users\anna\AppData\Local\kufertui\workspace.sqlite", False),
    (r"\\?\C:\Daten\workspace.sqlite", False),
    (r"\\.\PhysicalDrive0", False),
])
def test_network_paths(text: str, network: bool) -> None:
    assert platform.is_network_path(PureWindowsPath(text), drive_type=drive_type) is network


def test_posix_paths_are_local_here() -> None:
    assert platform.is_network_path(PurePosixPath("/mnt/share/ws.sqlite")) is False


@pytest.mark.parametrize(("text", "uri"), [
    (r"\\fileserver\VHS\ws.sqlite", "file:////fileserver/VHS/ws.sqlite"),
    (r"\\fileserver\VHS Daten\Müller\ws.sqlite", "file:////fileserver/VHS%20Daten/M%C3%BCller/ws.sqlite"),
    (r"\\?\UNC\fileserver\VHS\ws.sqlite", "file:////fileserver/VHS/ws.sqlite"),
    (r"Z:\Kurse 2026\Übersicht#1\ws.sqlite", "file:///Z:/Kurse%202026/%C3%9Cbersicht%231/ws.sqlite"),
    (r"C:\Users\anna\ws?.sqlite", "file:///C:/Users/anna/ws%3F.sqlite"),
])
def test_sqlite_uri_for_windows_paths(text: str, uri: str) -> None:
    assert platform.sqlite_uri(PureWindowsPath(text)) == uri


def test_as_uri_gave_an_authority_sqlite_refuses() -> None:
    # the old way: `\\fileserver\VHS\ws.sqlite` became file://fileserver/…, refused by SQLite
    assert PureWindowsPath(r"\\fileserver\VHS\ws.sqlite").as_uri().startswith("file://fileserver/")
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect("file://fileserver/VHS/ws.sqlite?mode=ro", uri=True)


def test_sqlite_opens_the_uri_with_umlauts_spaces_and_a_double_slash(tmp_path: Path) -> None:
    folder = tmp_path / "VHS Daten" / "Müller #1"
    folder.mkdir(parents=True)
    db = folder / "ws.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    # an empty authority followed by `//…` is how a UNC path reaches SQLite; POSIX reads // as /
    for path in (db, PurePosixPath("/" + str(db))):
        probe = sqlite3.connect(platform.sqlite_uri(path, mode="ro"), uri=True)
        assert probe.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
        probe.close()
    assert _is_sqlite_file(db)
    db.write_bytes(b"not a database at all" * 100)
    assert not _is_sqlite_file(db)  # the corruption check really runs on such a path


def test_workspace_on_a_share_uses_a_rollback_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes: list[tuple[str, dict[str, str]]] = []
    previous = platform.set_note_sink(lambda key, params: notes.append((key, params)))
    try:
        with monkeypatch.context() as patch:
            patch.setattr(platform, "is_network_path", lambda path, **kw: True)
            conn = connect(tmp_path / "ws.sqlite")
        local = connect(tmp_path / "local.sqlite")
    finally:
        platform.set_note_sink(previous)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert notes == [("platform.network-share", {"path": str(tmp_path / "ws.sqlite")})]
    assert local.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    local.close()


# ------------------------------------------------------------------------------------ 5. binary os.open

def test_every_os_open_is_binary() -> None:
    """On Windows os.open without O_BINARY is text mode: LF becomes CRLF (the log got CR CR LF)."""
    import ast

    root = Path(platform.__file__).parents[1]  # the package kufertui/, platform/ included
    bad: list[str] = []
    for source in sorted(root.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        assigned = {t.id: ast.unparse(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
                    for t in n.targets if isinstance(t, ast.Name)}  # `flags = … | O_BINARY`
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "os"):
                continue
            where = f"{source.relative_to(root.parent)}:{node.lineno}"
            if node.func.attr == "open":
                flags = ast.unparse(node.args[1]) if len(node.args) > 1 else ""
                flags = assigned.get(flags, flags)
                if "O_BINARY" not in flags:
                    bad.append(f"{where} os.open without O_BINARY")
            elif node.func.attr == "fdopen":
                mode = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else "r"
                if "b" not in str(mode) and not any(k.arg == "newline" for k in node.keywords):
                    bad.append(f"{where} os.fdopen in text mode without newline=")
    assert not bad, bad
