"""The only module that knows where kufertui keeps its files.

KUFERTUI_HOME (tests, portable installs) puts everything under one folder; otherwise the
platform's config and data folders are used (platformdirs), so Windows KUFER servers work too.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from kufertui import platform

APP = "kufertui"


def _home() -> Path | None:
    value = os.environ.get("KUFERTUI_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else user_config_path(APP, appauthor=False)


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else user_data_path(APP, appauthor=False)


def default_config_file() -> Path:
    value = os.environ.get("KUFERTUI_CONFIG")
    return Path(value).expanduser() if value else config_dir() / "config.toml"


def default_workspace_dir() -> Path:
    return data_dir() / "workspace"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and missing parents) readable only by its owner (0700 where the OS has modes).

    A folder that exists already keeps its mode: it may be a shared folder the admin chose.
    """
    missing: list[Path] = []
    folder = path
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)  # the mode applies at creation only (umask may narrow it)
        platform.make_private(folder, directory=True)  # and an owner-only ACL on Windows
    return path


def is_private(path: Path) -> bool:
    """True when no other user may read path (modes on POSIX, the ACL on Windows)."""
    return platform.is_private(path)


class WorkspacePaths:
    """Files inside one workspace folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def database(self) -> Path:
        return self.root / "workspace.sqlite"

    @property
    def lock(self) -> Path:
        return self.root / "sync.lock"

    @property
    def upload_xml(self) -> Path:
        return self.root / "upload" / "maileon-upload.xml"

    @property
    def writeback_dir(self) -> Path:
        return self.root / "writeback"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "kufertui.log"

    @property
    def profiles_dir(self) -> Path:
        return self.root / "profiles"
