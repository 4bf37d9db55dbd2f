"""What differs on a Windows KUFER server, in one place (README.md, "Windows servers").

Console encoding, the command line for a shell, owner-only files (modes on POSIX, an ACL via
`icacls` on Windows), replacing a file another program holds open, binary file descriptors,
network paths and SQLite URIs. Every Windows branch takes its OS calls as parameters, so the
tests on Linux drive it with fakes.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Protocol, TextIO
from urllib.parse import quote

IS_WINDOWS = os.name == "nt"

# os.open opens in text mode on Windows unless told otherwise: LF would become CRLF
O_BINARY: int = getattr(os, "O_BINARY", 0)

# ---------------------------------------------------------------------------------------------- notes
# A platform problem the user must hear about (no ACL, a fallback file name, a network share).
# Lower layers call note(); the default sink prints the translated text to stderr once.
NoteSink = Callable[[str, dict[str, str]], None]
_seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()


def _print_note(message_id: str, params: dict[str, str]) -> None:
    from kufertui import i18n

    key = (message_id, tuple(sorted(params.items())))
    if key in _seen:
        return
    _seen.add(key)
    print(i18n.t(message_id, **params), file=sys.stderr, flush=True)


_sink: NoteSink = _print_note


def note(message_id: str, **params: str) -> None:
    _sink(message_id, params)


def set_note_sink(sink: NoteSink | None) -> NoteSink:
    """Route notes elsewhere (tests, the TUI); None restores stderr. Returns the previous sink."""
    global _sink
    previous, _sink = _sink, sink or _print_note
    return previous


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


# ---------------------------------------------------------------------------------------------- 3. owner only
class AclBackend(Protocol):
    def restrict(self, path: Path, *, directory: bool) -> bool:
        """Make path readable by its owner only; False if that could not be done."""

    def is_private(self, path: Path) -> bool:
        """True when no other ordinary user may read path."""


class PosixModes:
    def restrict(self, path: Path, *, directory: bool) -> bool:
        os.chmod(path, 0o700 if directory else 0o600)  # an error here is raised, as it always was
        return True

    def is_private(self, path: Path) -> bool:
        return (path.stat().st_mode & 0o077) == 0


Runner = Callable[[list[str]], "subprocess.CompletedProcess[bytes]"]


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, check=False, timeout=30)


# Principals that may read anything anyway (names as icacls prints them, English and German Windows)
_TRUSTED = {"nt authority\\system", "nt-autorität\\system", "builtin\\administrators",
            "vordefiniert\\administratoren", "creator owner", "ersteller-besitzer"}


@dataclass
class WindowsAcl:
    """Owner-only ACLs with icacls (part of every Windows since Server 2003; no pywin32 needed).

    The user is granted by SID (`*S-1-…`), which no localisation changes."""

    run: Runner = _run
    _user: tuple[str, str] | None = field(default=None, repr=False)

    def user(self) -> tuple[str, str]:
        """(DOMAIN\\name, SID) of the current user, from `whoami /user`."""
        if self._user is None:
            out = self.run(["whoami", "/user", "/fo", "csv", "/nh"])
            name, _, sid = _decode(out.stdout).strip().partition(",")
            if out.returncode != 0 or not sid:
                raise OSError("whoami /user failed")
            self._user = (name.strip('"'), sid.strip().strip('"'))
        return self._user

    def restrict(self, path: Path, *, directory: bool) -> bool:
        try:
            _, sid = self.user()
            grant = f"*{sid}:(OI)(CI)F" if directory else f"*{sid}:F"
            out = self.run(["icacls", str(path), "/inheritance:r", "/grant:r", grant])
        except (OSError, subprocess.SubprocessError):
            return False
        return out.returncode == 0

    def is_private(self, path: Path) -> bool:
        try:
            name, _ = self.user()
            out = self.run(["icacls", str(path)])
        except (OSError, subprocess.SubprocessError):
            return False  # cannot tell: do not claim it is private
        if out.returncode != 0:
            return False
        principals = parse_icacls(_decode(out.stdout), str(path))
        allowed = _TRUSTED | {name.lower()}
        return bool(principals) and all(p.lower() in allowed for p in principals)


def parse_icacls(text: str, path: str) -> list[str]:
    """The principals of an `icacls <path>` listing (first line starts with the path)."""
    principals = []
    for number, line in enumerate(text.splitlines()):
        entry = line[len(path):] if number == 0 and line.startswith(path) else line
        entry = entry.strip()
        if ":(" in entry:
            principals.append(entry.split(":(", 1)[0].strip())
    return principals


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("oem", "utf-8"):  # console tools print in the OEM code page (cp850 in Germany)
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


_acl: AclBackend = WindowsAcl() if IS_WINDOWS else PosixModes()


def set_acl_backend(backend: AclBackend | None) -> AclBackend:
    """Swap the owner-only backend (tests); None restores the platform's. Returns the previous one."""
    global _acl
    previous, _acl = _acl, backend or (WindowsAcl() if IS_WINDOWS else PosixModes())
    return previous


def make_private(path: Path, *, directory: bool = False) -> bool:
    """Owner only, or a note naming the path when the OS would not let us."""
    if _acl.restrict(path, directory=directory):
        return True
    note("platform.not-private", path=str(path))
    return False


def make_private_dir(path: Path) -> None:
    """Create path owner-only. On Windows only a folder we create gets the ACL: `--config D:\\VHS\\…`
    must not lock colleagues out of a shared folder (the files we write there are restricted)."""
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True)
    if existed:  # never change the mode or ACL of a folder we did not create
        return
    make_private(path, directory=True)


def is_private(path: Path) -> bool:
    if not path.exists():
        return True
    try:
        return _acl.is_private(path)
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------- 4. replace
_HELD_OPEN = {5, 32, 33}  # ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def held_open(exc: OSError) -> bool:
    """Windows refuses to replace a file another program (Excel, a virus scanner, a viewer) holds open."""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in _HELD_OPEN


def replace(src: Path, dst: Path, *, fallback: bool = True, notify: bool = True, attempts: int = 10,
            delay_s: float = 0.1, sleep: Callable[[float], None] = time.sleep) -> Path:
    """os.replace that waits briefly for a file held open, then writes beside it.

    Returns where the file went: dst, or with fallback a new name such as
    `maileon-upload-20261201-040501.xml` (a note names it unless notify is False, for callers that
    report it themselves). Other errors are raised."""
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return dst
        except PermissionError as exc:
            if not held_open(exc):
                raise
            if attempt + 1 == attempts:
                if not fallback:
                    raise
            else:
                sleep(delay_s)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    other = dst.with_name(f"{dst.stem}-{stamp}{dst.suffix}")
    counter = 1
    while other.exists():
        counter += 1
        other = dst.with_name(f"{dst.stem}-{stamp}-{counter}{dst.suffix}")
    os.replace(src, other)
    if notify:
        note("platform.replaced-elsewhere", path=str(dst), other=str(other))
    return other


# ---------------------------------------------------------------------------------------------- 5. new files
class SharedFolder(PermissionError):
    """A folder other users may write: a file we create or replace there could be pre-created, swapped or read
    by them (a `config.toml.tmp` planted by another user made them the owner of the API key)."""

    hint_id = "shared-folder"

    def __init__(self, folder: Path, why: str, name: str = "") -> None:
        from kufertui import i18n

        self.folder, self.why = folder, why
        super().__init__(errno.EACCES, i18n.t(f"platform.shared-folder.{why}", folder=str(folder), name=name),
                         str(folder))

    def __str__(self) -> str:
        return str(self.strerror)


def _group_is_private(gid: int) -> bool:
    """The user's own group (user private groups, as Debian/Ubuntu create them): no other member."""
    try:
        import grp
        import pwd

        me = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(gid)
    except (ImportError, KeyError):
        return False
    return gid == os.getegid() and group.gr_name == me and set(group.gr_mem) <= {me}


def refuse_shared_folder(folder: Path, target: Path | None = None) -> None:
    """Raise SharedFolder unless only we (or root) may write in ``folder``; a sticky folder (/tmp) is fine
    when ``target`` is not there yet or is ours. POSIX modes; on Windows the folder's ACL is not judged
    (our files get an owner-only ACL, see make_private)."""
    if IS_WINDOWS:
        return
    import stat

    info = os.stat(folder)
    uid = os.geteuid()
    if info.st_uid not in (uid, 0):
        raise SharedFolder(folder, "owner")
    others = stat.S_IWOTH | (0 if _group_is_private(info.st_gid) else stat.S_IWGRP)
    if not info.st_mode & others:
        return
    if not info.st_mode & stat.S_ISVTX:
        raise SharedFolder(folder, "writable")
    if target is not None:
        try:
            existing = os.lstat(target)
        except FileNotFoundError:
            return
        if existing.st_uid != uid or stat.S_ISLNK(existing.st_mode):
            raise SharedFolder(folder, "foreign-file", target.name)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | O_BINARY


def create_private(path: Path) -> int:
    """A new file, ours alone: the folder checked, created exclusively (never through a planted file or a
    symlink), owner-only. Returns a binary file descriptor."""
    refuse_shared_folder(path.parent, path)
    fd = os.open(path, _NEW_FILE, 0o600)
    try:
        make_private(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


class AtomicFile:
    """Replace ``target`` as a whole: ``with AtomicFile(path, "w", encoding=…) as fh: fh.write(…)``.

    The content goes to a new file with an unpredictable name in the same folder (created exclusively and
    owner-only, see create_private), is synced, and then replaces the target (platform.replace: a file
    held open on Windows is waited for, or with ``fallback`` written beside it). A failure leaves the old
    file and no temporary one. Afterwards ``path`` is where the file went."""

    def __init__(self, target: Path, mode: str = "wb", *, encoding: str | None = None,
                 newline: str | None = None, fallback: bool = False, notify: bool = True) -> None:
        self.target = Path(target)
        self.path = self.target
        self._mode, self._encoding, self._newline = mode, encoding, newline
        self._fallback, self._notify = fallback, notify
        self._tmp: Path | None = None
        self._handle: Any = None

    def __enter__(self) -> Any:
        folder = self.target.parent
        refuse_shared_folder(folder, self.target)
        fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=folder)  # O_EXCL, 0600
        self._tmp = Path(name)
        try:
            make_private(self._tmp)  # the ACL on Windows, before a byte is written
            self._handle = os.fdopen(fd, self._mode, encoding=self._encoding, newline=self._newline)
        except BaseException:
            os.close(fd)
            self._tmp.unlink(missing_ok=True)
            raise
        return self._handle

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._tmp is not None
        try:
            if exc_type is None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
            self._handle.close()
            if exc_type is None:
                self.path = replace(self._tmp, self.target, fallback=self._fallback, notify=self._notify)
                make_private(self.path)  # a rename keeps mode and ACL; said again by name, cheap
        finally:
            if self._tmp.exists() and self.path != self._tmp:
                try:
                    self._tmp.unlink()
                except OSError:
                    pass


def write_atomic(target: Path, data: bytes, **kw: Any) -> Path:
    """``data`` as the whole new content of ``target`` (see AtomicFile); returns where it went."""
    writer = AtomicFile(target, "wb", **kw)
    with writer as handle:
        handle.write(data)
    return writer.path


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
