"""What differs on a Windows KUFER server, in one place (README.md, "Windows servers").

Console encoding, the command line for a shell, owner-only files (modes on POSIX, an ACL via
`icacls` on Windows), replacing a file another program holds open, binary file descriptors,
network paths and SQLite URIs. Every Windows branch takes its OS calls as parameters, so the
tests on Linux drive it with fakes. Owner-only files and replacing them: files.py; the notes a platform
problem leaves for the user: notes.py (both served here).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

from kufertui.platform.files import (
    AclBackend,
    AtomicFile,
    PosixModes,
    SharedFolder,
    WindowsAcl,
    create_private,
    held_open,
    is_private,
    make_private,
    make_private_dir,
    parse_icacls,
    refuse_shared_folder,
    replace,
    set_acl_backend,
    write_atomic,
)
from kufertui.platform.notes import IS_WINDOWS, O_BINARY, NoteSink, note, set_note_sink

# ---------------------------------------------------------------------------------------------- 1. output
SYMBOLS = "⚠✔✖»–„“…"


def ensure_utf8_output(*streams: TextIO) -> None:
    """Write UTF-8 where the stream's encoding cannot carry our symbols.

    Without a console (Task Scheduler `>> log`, `ssh host kufertui …`, pipes) Python on Windows
    writes the ANSI code page (cp1252), and the first `⚠` raised UnicodeEncodeError mid-run."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            SYMBOLS.encode(encoding)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass  # a stream that already saw output keeps its encoding; print() then replaces


# ---------------------------------------------------------------------------------------------- 2. shell
def shell_command(argv: Sequence[str], *, windows: bool = IS_WINDOWS) -> str:
    """One command line for the platform's shell (textual-serve runs it with create_subprocess_shell,
    which is /bin/sh on POSIX and `cmd.exe /c` on Windows).

    shlex.join quotes with single quotes, which cmd.exe does not understand; see cmd_command_line."""
    return cmd_command_line(argv) if windows else shlex.join(argv)


_CMD_SPECIAL = re.compile(r'([()%!^"<>&|])')


def _crt_quote(arg: str) -> str:
    """One argument as the C runtime (CommandLineToArgvW) reads it back: always in double quotes, a quote
    inside escaped with a backslash, and backslashes doubled only where they stand before a quote."""
    out = ['"']
    backslashes = 0
    for char in arg:
        if char == "\\":
            backslashes += 1
            continue
        if char == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + char)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def cmd_command_line(argv: Sequence[str]) -> str:
    """A command line that reaches the program unchanged through `cmd.exe /c`.

    Every argument is quoted for the C runtime, then every character cmd.exe acts on (& | < > ( ) ^ " % !)
    gets a caret: cmd.exe takes the caret away and sees nothing to split, redirect or expand (quotes alone
    do not do it: cmd.exe tracks them itself, and % expands inside them). A path with & or ^ stays whole.
    Line breaks cannot pass through cmd.exe at all: refused."""
    if any(ch in arg for arg in argv for ch in "\r\n\x00"):
        raise ValueError("a line break cannot pass through cmd.exe")
    return _CMD_SPECIAL.sub(r"^\1", " ".join(_crt_quote(str(arg)) for arg in argv))


# ---------------------------------------------------------------------------------------------- 6. shares
DRIVE_REMOTE = 4


def _drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _plain_windows(path: PureWindowsPath) -> PureWindowsPath:
    r"""Strip the `\\?\` prefix: `\\?\UNC\srv\share\x` is `\\srv\share\x`, `\\?\C:\x` is `C:\x`."""
    text = str(path)
    if text.startswith("\\\\?\\UNC\\"):
        return PureWindowsPath("\\\\" + text[8:])
    if text.startswith("\\\\?\\"):
        return PureWindowsPath(text[4:])
    return path


def is_network_path(path: PurePath, *, drive_type: Callable[[str], int] | None = None) -> bool:
    r"""A UNC path (`\\server\share\…`) or a drive letter mapped to a share (Windows only)."""
    if not isinstance(path, PureWindowsPath):
        if not IS_WINDOWS:
            return False
        path = PureWindowsPath(path)
    path = _plain_windows(path)
    drive = path.drive
    if drive.startswith("\\\\"):
        return not drive.startswith("\\\\.\\")  # \\.\ is a local device
    if len(drive) == 2 and drive[1] == ":":
        try:
            return (drive_type or _drive_type)(drive + "\\") == DRIVE_REMOTE
        except (OSError, AttributeError):
            return False
    return False


def sqlite_uri(path: PurePath, **query: str) -> str:
    r"""A `file:` URI SQLite accepts for any local, UNC or mapped path.

    Path.as_uri() writes `\\srv\share\ws.sqlite` as `file://srv/share/…`; SQLite refuses any
    authority but "localhost" there. With an empty authority the path keeps its two slashes."""
    if isinstance(path, PureWindowsPath) or (IS_WINDOWS and not isinstance(path, PurePosixPath)):
        text = str(_plain_windows(PureWindowsPath(path))).replace("\\", "/")
        if not text.startswith("//"):
            text = "/" + text  # C:/x -> /C:/x
    else:
        text = str(path)
    uri = "file://" + quote(text, safe="/:")
    if query:
        uri += "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return uri


def journal_mode(path: PurePath, **kw: Any) -> str:
    """WAL needs shared memory between processes, which network file systems do not give."""
    if is_network_path(path, **kw):
        note("platform.network-share", path=str(path))
        return "DELETE"
    return "WAL"


# ---------------------------------------------------------------------------------------------- 7. processes
def pid_alive(pid: int) -> bool:
    """True if a process with this id runs (or we cannot tell)."""
    if pid <= 0:
        return False
    if IS_WINDOWS:  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


__all__ = ["IS_WINDOWS", "O_BINARY", "SYMBOLS", "AclBackend", "AtomicFile", "NoteSink", "PosixModes", "SharedFolder",
           "WindowsAcl", "cmd_command_line", "create_private", "ensure_utf8_output", "held_open", "is_network_path",
           "is_private", "journal_mode", "make_private", "make_private_dir", "note", "parse_icacls", "pid_alive",
           "refuse_shared_folder", "replace", "set_acl_backend", "set_note_sink", "shell_command", "sqlite_uri",
           "write_atomic"]
