"""Files ours alone, replaced whole: owner-only modes (an ACL via `icacls` on Windows), replacing a file another
program holds open, new files created exclusively and never in a folder other users may write (README.md,
"Windows servers"). Every Windows branch takes its OS calls as parameters, so the tests on Linux drive it
with fakes."""

from __future__ import annotations

import errno
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kufertui.platform.notes import IS_WINDOWS, O_BINARY, note


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
